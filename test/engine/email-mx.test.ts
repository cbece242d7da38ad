import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { checkEmail, emailDomainsFromLaunch } from '../../src/engine/email';
import { parseLaunchYaml } from '../../src/engine/launch/parse';
import { analyzeBimi, analyzeMtaStsRecord, analyzeMx, analyzeTlsRpt, checkMtaStsPolicy, mxMatchesPattern, type PolicyResponse } from '../../src/engine/email/mx';
import { EMAIL_RULES } from '../../src/engine/email/catalog';
import { MemoryResolver, a, mx, txt, type Zone } from '../support/memory-dns';

const ids = (findings: { ruleId: string }[]) => findings.map((finding) => finding.ruleId).sort();

function rsaKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
}

describe('email: MX, null MX, MTA-STS, TLS-RPT, BIMI', () => {
  const zone: Zone = {
    'acme.test': [mx(10, 'mx1.acme.test'), mx(20, 'mx2.acme.test')],
    'mx1.acme.test': [a('192.0.2.1')],
    'mx2.acme.test': [a('2001:db8::2')],
    'dangling.test': [mx(10, 'gone.dangling.test')],
    'parked.test': [mx(0, '.')],
    'nomx.test': [a('192.0.2.9')],
    'flaky.test': [{ type: 'MX', fail: 'servfail' }],
    '_mta-sts.acme.test': [txt('v=STSv1; id=20260101T000000')],
    'mta-sts.acme.test': [a('192.0.2.80')],
    '_mta-sts.nohost.test': [txt('v=STSv1; id=1')],
    '_mta-sts.bad.test': [txt('v=STSv1; id=2026-01-01')],
    'mta-sts.bad.test': [a('192.0.2.81')],
    '_smtp._tls.acme.test': [txt('v=TLSRPTv1; rua=mailto:tls@acme.test,https://reports.example/tls')],
    '_smtp._tls.bad.test': [txt('v=TLSRPTv1; rua=tls@acme.test')],
    'default._bimi.acme.test': [txt('v=BIMI1; l=https://acme.test/logo.svg; a=')],
    'default._bimi.bad.test': [txt('v=BIMI1; l=http://bad.test/logo.svg')],
  };
  const resolver = new MemoryResolver(zone);

  it('MX present and resolving: no findings', async () => {
    const analysis = await analyzeMx(resolver, 'acme.test', true);
    assert.deepEqual(ids(analysis.findings), []);
    assert.deepEqual(analysis.exchanges.map((entry) => entry.exchange), ['mx1.acme.test', 'mx2.acme.test']);
  });

  it('email/mx-missing only when the domain takes mail', async () => {
    assert.deepEqual(ids((await analyzeMx(resolver, 'nomx.test', true)).findings), ['email/mx-missing']);
    assert.deepEqual(ids((await analyzeMx(resolver, 'nomx.test', false)).findings), []);
  });

  it('email/mx-dangling', async () => {
    assert.deepEqual(ids((await analyzeMx(resolver, 'dangling.test', true)).findings), ['email/mx-dangling']);
  });

  it('reads a null MX', async () => {
    const analysis = await analyzeMx(resolver, 'parked.test', false);
    assert.equal(analysis.nullMx, true);
    assert.deepEqual(ids(analysis.findings), []);
  });

  it('email/could-not-verify on an MX SERVFAIL, never mx-missing', async () => {
    assert.deepEqual(ids((await analyzeMx(resolver, 'flaky.test', true)).findings), ['email/could-not-verify']);
  });

  it('email/mta-sts-syntax checks the id', async () => {
    assert.equal((await analyzeMtaStsRecord(resolver, 'acme.test')).id, '20260101T000000');
    assert.deepEqual(ids((await analyzeMtaStsRecord(resolver, 'acme.test')).findings), []);
    assert.deepEqual(ids((await analyzeMtaStsRecord(resolver, 'bad.test')).findings), ['email/mta-sts-syntax']);
    assert.deepEqual(ids((await analyzeMtaStsRecord(resolver, 'nomx.test')).findings), []);
  });

  it('email/mta-sts-policy when the policy host does not resolve', async () => {
    assert.deepEqual(ids((await analyzeMtaStsRecord(resolver, 'nohost.test')).findings), ['email/mta-sts-policy']);
  });

  it('email/mta-sts-policy through the fetcher hook: status, redirects, type and MX patterns', async () => {
    const good: PolicyResponse = { status: 200, redirected: false, contentType: 'text/plain; charset=utf-8', body: 'version: STSv1\nmode: enforce\nmx: mx1.acme.test\nmx: *.acme.test\nmax_age: 604800\n' };
    assert.deepEqual(await checkMtaStsPolicy('acme.test', ['mx1.acme.test', 'mx2.acme.test'], async () => good), []);
    const bad: PolicyResponse = { status: 200, redirected: true, contentType: 'text/html', body: 'version: STSv1\nmode: enforce\nmx: mx1.acme.test\nmax_age: 604800\n' };
    const findings = await checkMtaStsPolicy('acme.test', ['mx1.acme.test', 'mx2.acme.test'], async () => bad);
    assert.deepEqual(ids(findings), ['email/mta-sts-policy']);
    assert.match(findings[0].message, /redirects/);
    const html: PolicyResponse = { ...bad, redirected: false };
    const wrong = await checkMtaStsPolicy('acme.test', ['mx1.acme.test', 'mx2.acme.test'], async () => html);
    assert.equal(wrong.length, 2); // served as text/html, and mx2 matches no pattern
    assert.ok(wrong.every((finding) => finding.ruleId === 'email/mta-sts-policy'));
    assert.equal(mxMatchesPattern('a.b.acme.test', '*.acme.test'), false);
  });

  it('email/tls-rpt-syntax', async () => {
    assert.deepEqual(ids(await analyzeTlsRpt(resolver, 'acme.test')), []);
    assert.deepEqual(ids(await analyzeTlsRpt(resolver, 'bad.test')), ['email/tls-rpt-syntax']);
    assert.deepEqual(ids(await analyzeTlsRpt(resolver, 'nomx.test')), []);
  });

  it('email/bimi-syntax only when a BIMI record is published', async () => {
    assert.deepEqual(ids(await analyzeBimi(resolver, 'acme.test')), []);
    assert.deepEqual(ids(await analyzeBimi(resolver, 'bad.test')), ['email/bimi-syntax']);
    assert.deepEqual(ids(await analyzeBimi(resolver, 'nomx.test')), []);
  });
});

describe('email: checkEmail()', () => {
  const key = rsaKey();
  const world: Zone = {
    'acme.test': [mx(10, 'mx.mail.test'), txt('v=spf1 include:_spf.mail.test -all')],
    'mx.mail.test': [a('192.0.2.25')],
    '_spf.mail.test': [txt('v=spf1 ip4:192.0.2.0/24 ~all')],
    's1._domainkey.acme.test': [txt(`v=DKIM1; k=rsa; p=${key}`)],
    '_dmarc.acme.test': [txt('v=DMARC1; p=reject; rua=mailto:dmarc@acme.test')],
    'nodkim.test': [mx(10, 'mx.mail.test'), txt('v=spf1 include:_spf.mail.test -all')],
    '_dmarc.nodkim.test': [txt('v=DMARC1; p=reject; rua=mailto:dmarc@nodkim.test')],
    'nothing.test': [mx(10, 'mx.mail.test')],
    '_dmarc.nothing.test': [txt('v=DMARC1; p=reject; rua=mailto:dmarc@nothing.test')],
    'parked.test': [mx(0, '.'), txt('v=spf1 -all')],
    '_dmarc.parked.test': [txt('v=DMARC1; p=reject')],
    'halfparked.test': [txt('v=spf1 include:_spf.mail.test -all'), a('192.0.2.1')],
    '_dmarc.halfparked.test': [txt('v=DMARC1; p=none; rua=mailto:d@acme.test')],
  };
  const resolver = new MemoryResolver(world);

  it('a well set-up sending domain has no findings', async () => {
    const result = await checkEmail({ domain: 'acme.test', spfIncludes: ['_spf.mail.test'], dkimSelectors: ['s1'], dmarc: { policy: 'reject' } }, resolver, { stage: 'launch' });
    assert.deepEqual(ids(result.findings), []);
    assert.equal(result.spf.lookups, 1);
    assert.equal(result.dkim[0].keyBits, 2048);
  });

  it('an IDN domain is checked in its ASCII form', async () => {
    const idn = new MemoryResolver({ 'xn--bcher-kva.test': [mx(10, 'mx.mail.test'), txt('v=spf1 -all')], 'mx.mail.test': [a('192.0.2.25')], '_dmarc.xn--bcher-kva.test': [txt('v=DMARC1; p=reject; rua=mailto:d@xn--bcher-kva.test')] });
    const result = await checkEmail({ domain: 'Bücher.test', dkimSelectors: [] }, idn);
    assert.equal(result.domain, 'xn--bcher-kva.test');
    assert.deepEqual(ids(result.findings), ['email/dkim-no-selector']);
  });

  it('email/dkim-no-selector when launch.yaml lists none', async () => {
    const result = await checkEmail({ domain: 'acme.test' }, resolver);
    assert.deepEqual(ids(result.findings), ['email/dkim-no-selector']);
  });

  it('email/dmarc-alignment: SPF-only is a warning, nothing usable is high', async () => {
    const spfOnly = await checkEmail({ domain: 'nodkim.test', dkimSelectors: ['s1'] }, resolver);
    assert.deepEqual(spfOnly.findings.map((f) => [f.ruleId, f.severity]).sort(), [['email/dkim-missing', 'high'], ['email/dmarc-alignment', 'medium']]);
    const none = await checkEmail({ domain: 'nothing.test', dkimSelectors: ['s1'] }, resolver);
    assert.deepEqual(none.findings.map((f) => [f.ruleId, f.severity]).sort(), [['email/dkim-missing', 'high'], ['email/dmarc-alignment', 'high'], ['email/spf-missing', 'high']]);
  });

  it('a locked-down non-sending domain has no findings; a half-locked one gets email/null-mx-incomplete', async () => {
    const parked = await checkEmail({ domain: 'parked.test', sends: false }, resolver);
    assert.deepEqual(ids(parked.findings), []);
    const half = await checkEmail({ domain: 'halfparked.test', sends: false }, resolver);
    const finding = half.findings.find((f) => f.ruleId === 'email/null-mx-incomplete');
    assert.equal((finding?.observed?.missing as string[]).length, 3);
  });

  it('a null MX on a domain that sends mail is reported', async () => {
    const result = await checkEmail({ domain: 'parked.test', dkimSelectors: [] }, resolver);
    assert.ok(ids(result.findings).includes('email/mx-missing'));
  });

  it('every finding shows the raw record it read or the lookup it made', async () => {
    const results = await Promise.all(['acme.test', 'nodkim.test', 'nothing.test', 'halfparked.test'].map((domain) => checkEmail({ domain, dkimSelectors: ['s1', 'absent'] }, resolver)));
    for (const finding of results.flatMap((result) => result.findings)) {
      assert.ok(finding.observed && ('record' in finding.observed || 'raw' in finding.observed || 'status' in finding.observed), finding.ruleId);
      assert.equal(finding.stage, 'email');
      assert.equal(finding.location.kind, 'host');
    }
  });

  it('reads its domains from launch.yaml and checks them', async () => {
    const yaml = [
      'version: 1',
      'app: { name: Acme, stage: launch }',
      'email:',
      '  senders:',
      '    - domain: acme.test',
      '      provider: mail',
      '      spfIncludes: [_spf.mail.test]',
      '      dkimSelectors: [s1]',
      '  dmarc: { policy: reject, reportTo: dmarc@acme.test }',
      '  nonSendingDomains: [parked.test]',
      '',
    ].join('\n');
    const parsed = parseLaunchYaml(yaml, 'launch.yaml');
    assert.ok(parsed.config, JSON.stringify(parsed.findings.map((f) => f.message)));
    const { domains, options } = emailDomainsFromLaunch(parsed.config);
    assert.deepEqual(domains.map((domain) => [domain.domain, domain.sends]), [['acme.test', true], ['parked.test', false]]);
    assert.equal(options.stage, 'launch');
    const results = await Promise.all(domains.map((domain) => checkEmail(domain, resolver, options)));
    assert.deepEqual(results.flatMap((result) => ids(result.findings)), []);
  });

  it('email/dmarc-alignment when the declared return-path cannot align and DKIM is missing', async () => {
    const result = await checkEmail({ domain: 'nodkim.test', dkimSelectors: ['s1'], returnPath: 'bounces.mail.test' }, resolver);
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.severity]).sort(), [['email/dkim-missing', 'high'], ['email/dmarc-alignment', 'high']]);
  });

  it('every rule id in the catalog is unique and namespaced', () => {
    const seen = new Set(EMAIL_RULES.map((rule) => rule.id));
    assert.equal(seen.size, EMAIL_RULES.length);
  });
});
