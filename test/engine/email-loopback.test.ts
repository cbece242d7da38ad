// The email checks through the real resolver against the real loopback DNS server (UDP and TCP
// on 127.0.0.1): the same zones a user's DNS would serve, including faults and truncation.
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import { createResolver } from '../../src/engine/net/dns-resolver';
import type { DnsResolver } from '../../src/engine/net/dns-types';
import { checkEmail } from '../../src/engine/email';
import { checkHost } from '../../src/engine/email/spf/check-host';
import { analyzeSpf } from '../../src/engine/email/spf/analyze';
import { startDnsServer, type RunningDnsServer } from '../world/dns-server';

const ids = (findings: { ruleId: string }[]) => findings.map((finding) => finding.ruleId).sort();

/** A TXT rdata of 255-byte quoted strings, as a zone file writes a long record. */
function quotedPieces(text: string): string {
  return (text.match(/.{1,255}/g) ?? []).map((piece) => `"${piece}"`).join(' ');
}

describe('email over the loopback DNS server', () => {
  let dns: RunningDnsServer;
  let resolver: DnsResolver;
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const weakKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const longSpf = `v=spf1 ${Array.from({ length: 24 }, (_, index) => `ip4:198.51.${index}.0/24`).join(' ')} -all`;

  before(async () => {
    dns = await startDnsServer(
      [
        {
          origin: 'acme.test',
          records: `
            @                 MX    10 mx.mail.test.
            @                 TXT   "v=spf1 include:_spf.mail.test " "-all"
            @                 TXT   "site-verification=123"
            s1._domainkey     CNAME s1.dkim.mail.test.
            old._domainkey    TXT   ${quotedPieces(`v=DKIM1; k=rsa; p=${weakKey}`)}
            _dmarc            TXT   "v=DMARC1; p=reject; rua=mailto:agg@reports.test"
            _mta-sts          TXT   "v=STSv1; id=2026a"
            mta-sts           A     192.0.2.80
            _smtp._tls        TXT   "v=TLSRPTv1; rua=mailto:tls@acme.test"
            big               TXT   ${quotedPieces(longSpf)}
            big               MX    10 mx.mail.test.
            heavy             TXT   "v=spf1 include:a.mail.test include:b.mail.test include:c.mail.test include:d.mail.test -all"
            heavy             MX    10 mx.mail.test.
            loop              TXT   "v=spf1 include:loop2.acme.test -all"
            loop2             TXT   "v=spf1 redirect=loop.acme.test"
            parked            MX    0 .
            parked            TXT   "v=spf1 -all"
            _dmarc.parked     TXT   "v=DMARC1; p=reject"
            broken            MX    10 mx.mail.test.
            silent            MX    10 mx.mail.test.
          `,
        },
        {
          origin: 'mail.test',
          records: `
            mx                A     192.0.2.25
            _spf              TXT   "v=spf1 ip4:192.0.2.0/24 ~all"
            s1.dkim           TXT   ${quotedPieces(`v=DKIM1; k=rsa; p=${key}`)}
            a                 TXT   "v=spf1 include:_spf.mail.test a mx ~all"
            b                 TXT   "v=spf1 include:a.mail.test ~all"
            c                 TXT   "v=spf1 include:a.mail.test ~all"
            d                 TXT   "v=spf1 include:a.mail.test ~all"
            @                 MX    10 mx.mail.test.
            @                 A     192.0.2.26
          `,
        },
        {
          origin: 'reports.test',
          records: `
            @                             MX   10 mx.mail.test.
            acme.test._report._dmarc      TXT  "v=DMARC1"
          `,
        },
      ],
      { faults: { 'broken.acme.test': { rcode: 'SERVFAIL', types: ['TXT'] }, 'silent.acme.test': { drop: true, types: ['TXT'] } } },
    );
    resolver = createResolver({ kind: 'servers', servers: [dns.server], timeoutMs: 1500, retries: 2 });
  });

  after(async () => {
    await dns?.close();
  });

  it('a good domain, with its DKIM key delegated by CNAME, has no findings', async () => {
    const result = await checkEmail({ domain: 'acme.test', spfIncludes: ['_spf.mail.test'], dkimSelectors: ['s1'], dmarc: { policy: 'reject' } }, resolver, { stage: 'launch' });
    assert.deepEqual(ids(result.findings), []);
    assert.deepEqual(result.dkim[0].chain, ['s1._domainkey.acme.test', 's1.dkim.mail.test']);
    assert.equal(result.dkim[0].keyBits, 2048);
    assert.equal(result.spf.record, 'v=spf1 include:_spf.mail.test -all');
  });

  it('check_host() over the wire: pass, fail and the deciding term', async () => {
    const pass = await checkHost(resolver, { ip: '192.0.2.77', sender: 'ceo@acme.test' });
    assert.deepEqual([pass.result, pass.mechanism, pass.lookups], ['pass', 'include:_spf.mail.test', 1]);
    const fail = await checkHost(resolver, { ip: '203.0.113.5', sender: 'ceo@acme.test' });
    assert.deepEqual([fail.result, fail.mechanism], ['fail', '-all']);
  });

  it('a weak DKIM key read over the wire', async () => {
    const result = await checkEmail({ domain: 'acme.test', spfIncludes: [], dkimSelectors: ['s1', 'old'] }, resolver);
    assert.deepEqual(result.findings.map((f) => [f.ruleId, f.severity]), [['email/dkim-weak-key', 'medium']]);
  });

  it('a record in 255-byte strings that needs TCP: joined, and flagged for size', async () => {
    const analysis = await analyzeSpf(resolver, 'big.acme.test');
    assert.equal(analysis.record, longSpf);
    assert.deepEqual(ids(analysis.findings), ['email/spf-record-size']);
    assert.ok(dns.queries.some((query) => query.name === 'big.acme.test' && query.transport === 'tcp'));
  });

  it('lookup limit counted through nested includes, with each include\'s cost', async () => {
    const analysis = await analyzeSpf(resolver, 'heavy.acme.test');
    assert.equal(analysis.lookups, 4 + 5 + 5 + 5);
    const finding = analysis.findings.find((f) => f.ruleId === 'email/spf-lookup-limit');
    assert.match(finding?.message ?? '', /include:a\.mail\.test \(4\), include:b\.mail\.test \(5\), include:c\.mail\.test \(5\), include:d\.mail\.test \(5\)/);
    const outcome = await checkHost(resolver, { ip: '203.0.113.5', sender: 'x@heavy.acme.test' });
    assert.equal(outcome.result, 'permerror');
  });

  it('an include/redirect loop ends in a finding and permerror, not a hang', async () => {
    const analysis = await analyzeSpf(resolver, 'loop.acme.test');
    assert.ok(ids(analysis.findings).includes('email/spf-loop'));
    assert.equal((await checkHost(resolver, { ip: '192.0.2.1', sender: 'a@loop.acme.test' })).result, 'permerror');
  });

  it('a null-MX domain locked down with -all and p=reject passes', async () => {
    const result = await checkEmail({ domain: 'parked.acme.test', sends: false }, resolver);
    assert.equal(result.mx.nullMx, true);
    assert.deepEqual(ids(result.findings), []);
  });

  it('SERVFAIL and a server that never answers give could-not-verify and temperror, never "missing"', async () => {
    for (const domain of ['broken.acme.test', 'silent.acme.test']) {
      const analysis = await analyzeSpf(resolver, domain);
      assert.deepEqual(ids(analysis.findings), ['email/could-not-verify'], domain);
      assert.equal(analysis.findings[0].observed?.status, domain.startsWith('broken') ? 'servfail' : 'timeout');
      assert.equal((await checkHost(resolver, { ip: '192.0.2.1', sender: `a@${domain}` })).result, 'temperror', domain);
    }
  });
});
