import { strict as assert } from 'node:assert';
import { analyzeDmarc, discoverDmarc, treeWalkNames } from '../../src/engine/email/dmarc';
import { MemoryResolver, a, mx, txt, type Zone } from '../support/memory-dns';

const ids = (findings: { ruleId: string }[]) => findings.map((finding) => finding.ruleId).sort();

const REPORTS: Zone = {
  'acme.test': [mx(10, 'mx.acme.test')],
  'mx.acme.test': [a('192.0.2.25')],
  'reports.example': [mx(10, 'in.reports.example')],
  'in.reports.example': [a('192.0.2.26')],
  'acme.test._report._dmarc.reports.example': [txt('v=DMARC1')],
  'nomail.example': [mx(0, '.')],
  'acme.test._report._dmarc.nomail.example': [txt('v=DMARC1')],
};

function withRecord(record: string, extra: Zone = {}): MemoryResolver {
  return new MemoryResolver({ ...REPORTS, '_dmarc.acme.test': [txt(record)], ...extra });
}

describe('email: DMARC (RFC 9989)', () => {
  it('a strict record with authorised external reports has no findings', async () => {
    const analysis = await analyzeDmarc(withRecord('v=DMARC1; p=reject; rua=mailto:agg@reports.example,mailto:dmarc@acme.test'), 'acme.test', { stage: 'launch', policy: 'reject', reportAddresses: ['dmarc@acme.test'] });
    assert.deepEqual(ids(analysis.findings), []);
    assert.equal(analysis.effectivePolicy, 'reject');
  });

  it('tree walk: names from the domain up to the TLD, at most 7 labels after the first query', () => {
    assert.deepEqual(treeWalkNames('a.b.acme.test'), ['b.acme.test', 'acme.test', 'test']);
    assert.deepEqual(treeWalkNames('1.2.3.4.5.6.7.8.9.test'), ['4.5.6.7.8.9.test', '5.6.7.8.9.test', '6.7.8.9.test', '7.8.9.test', '8.9.test', '9.test', 'test']);
  });

  it('a subdomain without a record inherits sp= from the organizational domain found by the walk', async () => {
    const resolver = withRecord('v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@acme.test');
    const discovery = await discoverDmarc(resolver, 'mail.eu.acme.test');
    assert.equal(discovery.record?.domain, 'acme.test');
    assert.equal(discovery.organizationalDomain, 'acme.test');
    assert.deepEqual(discovery.walked, ['_dmarc.mail.eu.acme.test', '_dmarc.eu.acme.test', '_dmarc.acme.test', '_dmarc.test']);
    const analysis = await analyzeDmarc(resolver, 'mail.eu.acme.test');
    assert.equal(analysis.effectivePolicy, 'quarantine');
  });

  it('psd=y at a public suffix makes the domain below it the organizational domain', async () => {
    const resolver = new MemoryResolver({ '_dmarc.gov.test': [txt('v=DMARC1; p=reject; psd=y')], '_dmarc.agency.gov.test': [txt('v=DMARC1; p=none; rua=mailto:d@agency.gov.test')] });
    const discovery = await discoverDmarc(resolver, 'mail.agency.gov.test');
    assert.equal(discovery.record?.domain, 'agency.gov.test');
    assert.equal(discovery.organizationalDomain, 'agency.gov.test');
  });

  it('email/dmarc-missing (and not when a parent publishes one)', async () => {
    const none = await analyzeDmarc(new MemoryResolver(REPORTS), 'acme.test');
    assert.deepEqual(ids(none.findings), ['email/dmarc-missing']);
    const inherited = await analyzeDmarc(withRecord('v=DMARC1; p=reject; rua=mailto:d@acme.test'), 'shop.acme.test');
    assert.deepEqual(ids(inherited.findings), []);
  });

  it('email/could-not-verify when _dmarc times out, never dmarc-missing', async () => {
    const analysis = await analyzeDmarc(new MemoryResolver({ '_dmarc.acme.test': ['TIMEOUT'] }), 'acme.test');
    assert.deepEqual(ids(analysis.findings), ['email/could-not-verify']);
  });

  it('a timeout below a parent record is could-not-verify, not the parent\'s policy', async () => {
    const resolver = withRecord('v=DMARC1; p=reject; rua=mailto:d@acme.test', { '_dmarc.shop.acme.test': ['TIMEOUT'] });
    const analysis = await analyzeDmarc(resolver, 'shop.acme.test');
    assert.deepEqual(ids(analysis.findings), ['email/could-not-verify']);
    assert.equal(analysis.effectivePolicy, undefined);
  });

  it('email/dmarc-syntax, not dmarc-missing, for a record that is almost DMARC', async () => {
    for (const record of ['v=dmarc1; p=reject', 'p=reject; v=DMARC1']) {
      const analysis = await analyzeDmarc(withRecord(record), 'acme.test');
      assert.deepEqual(ids(analysis.findings), ['email/dmarc-syntax'], record);
      assert.equal(analysis.findings[0].observed?.record, record);
    }
  });

  it('email/dmarc-multiple', async () => {
    const resolver = new MemoryResolver({ '_dmarc.acme.test': [txt('v=DMARC1; p=none'), txt('v=DMARC1; p=reject')] });
    assert.deepEqual(ids((await analyzeDmarc(resolver, 'acme.test')).findings), ['email/dmarc-multiple']);
  });

  it('email/dmarc-policy-none: always without rua, with rua only from the launch stage on', async () => {
    const noRua = await analyzeDmarc(withRecord('v=DMARC1; p=none'), 'acme.test', { stage: 'prototype' });
    assert.deepEqual(noRua.findings.map((f) => [f.ruleId, f.severity]), [['email/dmarc-policy-none', 'high']]);
    const early = await analyzeDmarc(withRecord('v=DMARC1; p=none; rua=mailto:d@acme.test'), 'acme.test', { stage: 'demo' });
    assert.deepEqual(ids(early.findings), []);
    const launch = await analyzeDmarc(withRecord('v=DMARC1; p=none; rua=mailto:d@acme.test'), 'acme.test', { stage: 'launch' });
    assert.deepEqual(launch.findings.map((f) => [f.ruleId, f.severity]), [['email/dmarc-policy-none', 'medium']]);
  });

  it('email/dmarc-policy-none (low) when sp=none leaves subdomains open under a strict p', async () => {
    const analysis = await analyzeDmarc(withRecord('v=DMARC1; p=reject; sp=none; rua=mailto:d@acme.test'), 'acme.test');
    assert.deepEqual(analysis.findings.map((f) => [f.ruleId, f.severity]), [['email/dmarc-policy-none', 'low']]);
  });

  it('email/dmarc-syntax: every tag validated, with its position', async () => {
    const record = 'v=DMARC1; p=rejekt; sp=none; np=block; psd=x; t=maybe; adkim=x; aspf=r; fo=2; rua=dmarc@acme.test';
    const analysis = await analyzeDmarc(withRecord(record), 'acme.test');
    const syntax = analysis.findings.filter((f) => f.ruleId === 'email/dmarc-syntax');
    const spans = syntax.map((f) => {
      const position = f.observed?.position as { start: number; end: number };
      return record.slice(position.start, position.end);
    });
    assert.deepEqual(spans, ['p=rejekt', 'np=block', 'psd=x', 't=maybe', 'adkim=x', 'fo=2', 'rua=dmarc@acme.test']);
    const clean = await analyzeDmarc(withRecord('v=DMARC1; p=quarantine; sp=reject; np=reject; psd=n; t=n; adkim=s; aspf=s; fo=0:d; rua=mailto:d@acme.test; ruf=mailto:f@acme.test'), 'acme.test');
    assert.deepEqual(ids(clean.findings), ['email/dmarc-legacy-difference']);
  });

  it('email/dmarc-removed-tag for pct, rf and ri', async () => {
    const analysis = await analyzeDmarc(withRecord('v=DMARC1; p=reject; pct=100; rf=afrf; ri=86400; rua=mailto:d@acme.test'), 'acme.test');
    assert.deepEqual(ids(analysis.findings), ['email/dmarc-removed-tag', 'email/dmarc-removed-tag', 'email/dmarc-removed-tag']);
  });

  it('email/dmarc-legacy-difference for np, t=y and pct < 100', async () => {
    const analysis = await analyzeDmarc(withRecord('v=DMARC1; p=reject; np=reject; t=y; pct=50; rua=mailto:d@acme.test'), 'acme.test');
    const legacy = analysis.findings.find((f) => f.ruleId === 'email/dmarc-legacy-difference');
    assert.deepEqual((legacy?.observed?.differences as string[]).map((text) => text.split(' ')[0]), ['np=reject', 't=y', 'pct=50']);
    const plain = await analyzeDmarc(withRecord('v=DMARC1; p=reject; rua=mailto:d@acme.test'), 'acme.test');
    assert.ok(!ids(plain.findings).includes('email/dmarc-legacy-difference'));
  });

  it('email/dmarc-external-rua-unauthorized when the destination has not published the authorisation', async () => {
    const analysis = await analyzeDmarc(withRecord('v=DMARC1; p=reject; rua=mailto:agg@other.example', { 'other.example': [mx(10, 'in.reports.example')] }), 'acme.test');
    const finding = analysis.findings.find((f) => f.ruleId === 'email/dmarc-external-rua-unauthorized');
    assert.equal(finding?.observed?.authorizationName, 'acme.test._report._dmarc.other.example');
    assert.deepEqual(ids(analysis.findings), ['email/dmarc-external-rua-unauthorized']);
  });

  it('email/dmarc-report-undeliverable for a null MX or no mail host at all', async () => {
    const nullMx = await analyzeDmarc(withRecord('v=DMARC1; p=reject; rua=mailto:agg@nomail.example'), 'acme.test');
    assert.deepEqual(ids(nullMx.findings), ['email/dmarc-report-undeliverable']);
    const noHost = await analyzeDmarc(withRecord('v=DMARC1; p=reject; rua=mailto:d@nowhere.acme.test'), 'acme.test');
    assert.deepEqual(ids(noHost.findings), ['email/dmarc-report-undeliverable']);
  });

  it('email/dmarc-policy-mismatch and email/dmarc-report-missing against launch.yaml', async () => {
    const analysis = await analyzeDmarc(withRecord('v=DMARC1; p=quarantine; rua=mailto:other@acme.test'), 'acme.test', { policy: 'reject', reportAddresses: ['mailto:dmarc@acme.test'] });
    assert.deepEqual(ids(analysis.findings), ['email/dmarc-policy-mismatch', 'email/dmarc-report-missing']);
    const noRua = await analyzeDmarc(withRecord('v=DMARC1; p=reject'), 'acme.test');
    assert.deepEqual(ids(noRua.findings), ['email/dmarc-report-missing']);
  });
});
