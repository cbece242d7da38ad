import { strict as assert } from 'node:assert';
import { parseSpf } from '../../src/engine/email/spf/parse';
import { checkHost } from '../../src/engine/email/spf/check-host';
import { analyzeSpf, estimateTxtAnswerSize } from '../../src/engine/email/spf/analyze';
import { EMAIL_RULES } from '../../src/engine/email/catalog';
import { MemoryResolver, a, mx, txt, type Zone } from '../support/memory-dns';

const ids = (findings: { ruleId: string }[]) => findings.map((finding) => finding.ruleId).sort();

describe('email: SPF parser', () => {
  it('gives every term its character offsets in the record', () => {
    const record = 'v=spf1 ip4:192.0.2.0/24  include:_spf.example.net ~all exp=why.%{d}';
    const parsed = parseSpf(record);
    assert.deepEqual(parsed.errors, []);
    assert.deepEqual(
      parsed.terms.map((term) => [term.text, term.start, term.end, record.slice(term.start, term.end)]),
      [
        ['ip4:192.0.2.0/24', 7, 23, 'ip4:192.0.2.0/24'],
        ['include:_spf.example.net', 25, 49, 'include:_spf.example.net'],
        ['~all', 50, 54, '~all'],
        ['exp=why.%{d}', 55, 67, 'exp=why.%{d}'],
      ],
    );
    assert.equal(parsed.exp?.value, 'why.%{d}');
  });

  it('reports syntax errors at the offending term and keeps parsing', () => {
    const record = 'v=spf1 ip4:192.0.2.300 a:example mx/33 foo:bar redirect=a.example.com redirect=b.example.com -all';
    const parsed = parseSpf(record);
    const spans = parsed.errors.map((error) => record.slice(error.start, error.end));
    assert.deepEqual(spans, ['192.0.2.300', 'example', 'mx/33'.slice(2), 'foo:bar', 'redirect=b.example.com']);
    assert.deepEqual(parsed.terms.map((term) => term.text), ['redirect=a.example.com', 'redirect=b.example.com', '-all']);
  });

  it('reads dual CIDR lengths and macros', () => {
    const [term] = parseSpf('v=spf1 a:%{d}/24//64').terms;
    assert.equal(term.kind === 'mechanism' && `${term.domainSpec} ${term.cidr4} ${term.cidr6}`, '%{d} 24 64');
    assert.equal(parseSpf('v=spf1 exists:%{c}.example.com').errors[0]?.message.includes('only allowed in exp='), true);
  });
});

const ZONE: Zone = {
  'example.com': [txt('v=spf1 ip4:192.0.2.0/24 include:_spf.provider.test ', '-all'), mx(10, 'mx.example.com')],
  'mx.example.com': [a('198.51.100.7')],
  '_spf.provider.test': [txt('v=spf1 ip6:2001:db8::/32 a:relay.provider.test ~all')],
  'relay.provider.test': [a('203.0.113.9')],
  'soft.example.com': [txt('v=spf1 mx ~all')],
  'neutral.example.com': [txt('v=spf1 ?all')],
  'empty.example.com': [a('192.0.2.1')],
  'loop.example.com': [txt('v=spf1 include:loop2.example.com -all')],
  'loop2.example.com': [txt('v=spf1 redirect=loop.example.com')],
  'two.example.com': [txt('v=spf1 -all'), txt('v=spf1 +all')],
  'broken.example.com': ['SERVFAIL'],
  'slow.example.com': [txt('v=spf1 include:timeout.example.com -all')],
  'timeout.example.com': ['TIMEOUT'],
  'explained.example.com': [txt('v=spf1 -all exp=why.example.com')],
  'why.example.com': [txt('%{i} may not send for %{d} (sender %{l}@%{o})')],
  'macro.example.com': [txt('v=spf1 exists:%{ir}.%{l1r+-}._spf.%{d} -all')],
  '2.0.192.in-addr.arpa': [],
  '7.2.0.192.alice._spf.macro.example.com': [a('127.0.0.2')],
};

describe('email: check_host()', () => {
  const resolver = new MemoryResolver(ZONE);
  const cases: [string, string, string, string][] = [
    ['192.0.2.55', 'a@example.com', 'pass', 'ip4:192.0.2.0/24'],
    ['2001:db8::1', 'a@example.com', 'pass', 'include:_spf.provider.test'],
    ['203.0.113.10', 'a@example.com', 'fail', '-all'],
    ['198.51.100.7', 'a@soft.example.com', 'softfail', '~all'],
    ['198.51.100.7', 'a@neutral.example.com', 'neutral', '?all'],
    ['198.51.100.7', 'a@empty.example.com', 'none', ''],
    ['198.51.100.7', 'a@two.example.com', 'permerror', ''],
    ['198.51.100.7', 'a@loop.example.com', 'permerror', ''],
    ['198.51.100.7', 'a@broken.example.com', 'temperror', ''],
    ['198.51.100.7', 'a@slow.example.com', 'temperror', ''],
    ['192.0.2.7', 'alice@macro.example.com', 'pass', 'exists:%{ir}.%{l1r+-}._spf.%{d}'],
    ['192.0.2.8', 'alice@macro.example.com', 'fail', '-all'],
  ];
  for (const [ip, sender, result, mechanism] of cases) {
    it(`${ip} from ${sender} → ${result}`, async () => {
      const outcome = await checkHost(resolver, { ip, sender, helo: 'mail.client.test' });
      assert.equal(outcome.result, result, outcome.reason);
      if (mechanism) assert.equal(outcome.mechanism, mechanism);
    });
  }

  it('expands the exp= explanation with macros', async () => {
    const outcome = await checkHost(resolver, { ip: '192.0.2.9', sender: 'bob@explained.example.com' });
    assert.equal(outcome.explanation, '192.0.2.9 may not send for explained.example.com (sender bob@explained.example.com)');
  });

  it('checks the HELO identity when MAIL FROM is empty', async () => {
    const outcome = await checkHost(resolver, { ip: '192.0.2.1', sender: '', helo: 'example.com' });
    assert.equal(outcome.result, 'pass');
  });

  it('counts lookups and stops a loop with permerror, not a hang', async () => {
    const outcome = await checkHost(resolver, { ip: '198.51.100.7', sender: 'a@loop.example.com' });
    assert.equal(outcome.lookups, 11);
    assert.match(outcome.reason ?? '', /more than 10/);
  });
});

function resolverFor(record: string | string[], extra: Zone = {}): MemoryResolver {
  const strings = Array.isArray(record) ? record : [record];
  return new MemoryResolver({ 'acme.test': [txt(...strings)], ...extra });
}

describe('email: SPF analysis findings', () => {
  const providers: Zone = {
    '_spf.mail.test': [txt('v=spf1 include:_a.mail.test include:_b.mail.test ~all')],
    '_a.mail.test': [txt('v=spf1 ip4:192.0.2.0/24 a:host.mail.test ~all')],
    '_b.mail.test': [txt('v=spf1 ip4:198.51.100.0/24 ~all')],
    'host.mail.test': [a('192.0.2.5')],
    'crm.test': [txt('v=spf1 mx a ~all'), mx(5, 'in.crm.test'), a('203.0.113.1')],
    'in.crm.test': [a('203.0.113.2')],
  };

  it('a clean record produces no findings and shows its cost tree', async () => {
    const analysis = await analyzeSpf(resolverFor('v=spf1 include:_spf.mail.test -all', providers), 'acme.test', { expectedIncludes: ['_spf.mail.test'] });
    assert.deepEqual(ids(analysis.findings), []);
    assert.equal(analysis.lookups, 4);
    assert.deepEqual(
      analysis.tree?.children.map((child) => [child.term, child.total, child.children.map((grandchild) => [grandchild.term, grandchild.total])]),
      [['include:_spf.mail.test', 4, [['include:_a.mail.test', 2], ['include:_b.mail.test', 1]]]],
    );
  });

  it('email/spf-missing: no v=spf1 record (and not for a record that exists)', async () => {
    const missing = await analyzeSpf(new MemoryResolver({ 'acme.test': [txt('google-site-verification=abc')] }), 'acme.test');
    assert.deepEqual(ids(missing.findings), ['email/spf-missing']);
    assert.deepEqual(missing.findings[0].observed?.raw, ['acme.test. 300 IN TXT "google-site-verification=abc"']);
  });

  it('email/spf-multiple', async () => {
    const analysis = await analyzeSpf(new MemoryResolver({ 'acme.test': [txt('v=spf1 -all'), txt('v=spf1 ~all')] }), 'acme.test');
    assert.ok(ids(analysis.findings).includes('email/spf-multiple'));
  });

  it('email/spf-syntax carries the position of the bad term', async () => {
    const record = 'v=spf1 ip4:10.0.0.1/40 -all';
    const analysis = await analyzeSpf(resolverFor(record), 'acme.test');
    const [finding] = analysis.findings.filter((f) => f.ruleId === 'email/spf-syntax');
    const position = finding.observed?.position as { start: number; end: number };
    assert.equal(record.slice(position.start, position.end), '/40');
    assert.equal(finding.observed?.record, record);
  });

  it('email/spf-lookup-limit counts through includes and shows each include\'s cost', async () => {
    const many: Zone = { ...providers };
    for (let index = 0; index < 4; index++) many[`p${index}.test`] = [txt(`v=spf1 include:_spf.mail.test ~all`)];
    const heavy = await analyzeSpf(resolverFor('v=spf1 include:p0.test include:p1.test include:p2.test -all', many), 'acme.test');
    assert.equal(heavy.lookups, 15);
    const finding = heavy.findings.find((f) => f.ruleId === 'email/spf-lookup-limit');
    assert.match(finding?.message ?? '', /include:p0\.test \(5\), include:p1\.test \(5\), include:p2\.test \(5\)/);
    const light = await analyzeSpf(resolverFor('v=spf1 include:p0.test include:crm.test -all', many), 'acme.test');
    assert.equal(light.lookups, 8);
    assert.ok(!ids(light.findings).includes('email/spf-lookup-limit'));
  });

  it('email/spf-void-limit: more than two lookups that find nothing', async () => {
    const voids = await analyzeSpf(resolverFor('v=spf1 a:gone1.acme.test a:gone2.acme.test mx:gone3.acme.test -all'), 'acme.test');
    assert.equal(voids.voidLookups, 3);
    assert.ok(ids(voids.findings).includes('email/spf-void-limit'));
    const two = await analyzeSpf(resolverFor('v=spf1 a:gone1.acme.test a:gone2.acme.test -all'), 'acme.test');
    assert.ok(!ids(two.findings).includes('email/spf-void-limit'));
  });

  it('email/spf-permissive-all for +all, bare all and ?all, not for -all/~all', async () => {
    for (const [record, severity] of [['v=spf1 +all', 'blocker'], ['v=spf1 all', 'blocker'], ['v=spf1 ?all', 'high']] as const) {
      const found = (await analyzeSpf(resolverFor(record), 'acme.test')).findings.find((f) => f.ruleId === 'email/spf-permissive-all');
      assert.equal(found?.severity, severity, record);
    }
    for (const record of ['v=spf1 -all', 'v=spf1 ~all']) {
      assert.deepEqual(ids((await analyzeSpf(resolverFor(record), 'acme.test')).findings), [], record);
    }
  });

  it('email/spf-permissive-all when an include ends in +all', async () => {
    const analysis = await analyzeSpf(resolverFor('v=spf1 include:open.test -all', { 'open.test': [txt('v=spf1 +all')] }), 'acme.test');
    assert.deepEqual(ids(analysis.findings), ['email/spf-permissive-all']);
  });

  it('email/spf-no-all, following redirect= to find the all', async () => {
    assert.deepEqual(ids((await analyzeSpf(resolverFor('v=spf1 ip4:192.0.2.1'), 'acme.test')).findings), ['email/spf-no-all']);
    const redirected = await analyzeSpf(resolverFor('v=spf1 redirect=_spf.mail.test', providers), 'acme.test');
    assert.deepEqual(ids(redirected.findings), []);
  });

  it('email/spf-ptr', async () => {
    const analysis = await analyzeSpf(resolverFor('v=spf1 ptr -all'), 'acme.test');
    assert.deepEqual(ids(analysis.findings), ['email/spf-ptr']);
  });

  it('email/spf-provider-include-missing, found also when nested', async () => {
    const analysis = await analyzeSpf(resolverFor('v=spf1 include:_spf.mail.test -all', providers), 'acme.test', { expectedIncludes: ['sendgrid.net', '_b.mail.test'] });
    assert.deepEqual(
      analysis.findings.map((f) => [f.ruleId, f.observed?.expected]),
      [['email/spf-provider-include-missing', 'sendgrid.net']],
    );
  });

  it('email/spf-include-broken: include target without SPF', async () => {
    const analysis = await analyzeSpf(resolverFor('v=spf1 include:nothing.test -all'), 'acme.test');
    assert.deepEqual(ids(analysis.findings), ['email/spf-include-broken']);
  });

  it('email/spf-loop through include and redirect ends, with the chain named', async () => {
    const zone: Zone = { 'acme.test': [txt('v=spf1 include:b.test -all')], 'b.test': [txt('v=spf1 redirect=acme.test')] };
    const analysis = await analyzeSpf(new MemoryResolver(zone), 'acme.test');
    const loop = analysis.findings.find((f) => f.ruleId === 'email/spf-loop');
    assert.match(loop?.message ?? '', /acme\.test → b\.test → acme\.test/);
  });

  it('joins TXT strings split at 255 bytes and flags a string that is too long', async () => {
    const ranges = Array.from({ length: 30 }, (_, index) => `ip4:198.51.${index}.0/24`).join(' ');
    const record = `v=spf1 ${ranges} -all`;
    const split = record.match(/.{1,255}/g) ?? [];
    assert.ok(split.length >= 3);
    const ok = await analyzeSpf(resolverFor(split), 'acme.test');
    assert.equal(ok.record, record);
    assert.ok(!ok.findings.some((f) => /must be split/.test(f.message)));
    const tooLong = await analyzeSpf(resolverFor(record), 'acme.test');
    assert.ok(tooLong.findings.some((f) => f.ruleId === 'email/spf-record-size' && /must be split/.test(f.message)));
  });

  it('email/spf-record-size when the TXT answer needs TCP', async () => {
    const filler = Array.from({ length: 6 }, (_, index) => txt(`verification-${index}=${'x'.repeat(80)}`));
    const resolver = new MemoryResolver({ 'acme.test': [txt('v=spf1 -all'), ...filler] });
    const analysis = await analyzeSpf(resolver, 'acme.test');
    assert.ok(estimateTxtAnswerSize('acme.test', [['v=spf1 -all']]) < 512);
    assert.deepEqual(ids(analysis.findings), ['email/spf-record-size']);
  });

  it('email/could-not-verify on SERVFAIL and timeouts, never spf-missing', async () => {
    const servfail = await analyzeSpf(new MemoryResolver({ 'acme.test': ['SERVFAIL'] }), 'acme.test');
    assert.deepEqual(ids(servfail.findings), ['email/could-not-verify']);
    const nested = await analyzeSpf(resolverFor('v=spf1 include:t.test -all', { 't.test': ['TIMEOUT'] }), 'acme.test');
    assert.deepEqual(ids(nested.findings), ['email/could-not-verify']);
    assert.equal(nested.findings[0].observed?.status, 'timeout');
  });

  it('a resolver that throws is could-not-verify, not a crash', async () => {
    const throwing = { lookup: async () => Promise.reject(new Error('socket exploded')) };
    const analysis = await analyzeSpf(throwing, 'acme.test');
    assert.deepEqual(ids(analysis.findings), ['email/could-not-verify']);
    assert.equal((await checkHost(throwing, { ip: '192.0.2.1', sender: 'a@acme.test' })).result, 'temperror');
  });

  it('the lookup-limit finding carries the cost tree as text', async () => {
    const many: Zone = { ...providers };
    for (let index = 0; index < 3; index++) many[`p${index}.test`] = [txt('v=spf1 include:_spf.mail.test ~all')];
    const heavy = await analyzeSpf(resolverFor('v=spf1 include:p0.test include:p1.test include:p2.test -all', many), 'acme.test');
    const tree = heavy.findings.find((f) => f.ruleId === 'email/spf-lookup-limit')?.observed?.costTree as string[];
    assert.deepEqual(tree.slice(0, 5), ['acme.test: 15 DNS lookups', '  include:p0.test  5', '    include:_spf.mail.test  4', '      include:_a.mail.test  2', '        a:host.mail.test  1']);
  });

  it('every email rule is documented', () => {
    for (const rule of EMAIL_RULES) {
      assert.match(rule.id, /^email\/[a-z0-9-]+$/);
      assert.ok(rule.description.length > 20 && rule.remediation.length > 10, rule.id);
    }
  });
});
