// The DNS checks through the real resolver against the real loopback DNS server: each rule has a
// zone that triggers it, and good.test, which triggers none of them.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDns, DNS_RULES, takeoverServiceFor, dnsProviderFor } from '../../src/engine/dns';
import { parseLaunchYaml, type LaunchConfig } from '../../src/engine/launch';
import { createResolver } from '../../src/engine/net/dns-resolver';
import type { DnsResolver } from '../../src/engine/net/dns-types';
import type { Finding } from '../../src/engine/model';
import { parseZoneFile, startDnsServer, type RunningDnsServer } from '../world/dns-server';

const ZONES = `
$ORIGIN test
good                DS    12345 13 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE3F2E7E7A2D6A4C5F1B2E3D4C
other               DS    23456 13 2 0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C4B5A69788796A5B4C3D2E1F0

$ORIGIN good.test
$SIGNED
@          3600  A     192.0.2.10
@                NS    ns1.cloudflare.com.
@                NS    ns2.cloudflare.com.
@                CAA   0 issue "letsencrypt.org"
@                CAA   0 iodef "mailto:security@good.test"
www        3600  CNAME good.test.
app        3600  CNAME good-app.vercel-dns.com.
api        3600  A     192.0.2.20
api        3600  A     192.0.2.21
api        3600  AAAA  2001:db8::21

$ORIGIN broken.test
@                NS    ns-1.awsdns-01.com.
@                CAA   0 issue "digicert.com"
app        30    A     192.0.2.99
docs             CNAME broken-docs.github.io.
shop             CNAME gone.myshopify.com.
staging          A     192.0.2.40
admin            A     10.0.0.5

$ORIGIN other.test
@        172800  A     192.0.2.60
@                NS    ns1.cloudflare.com.
@                NS    ns-2.awsdns-02.net.
www              CNAME elsewhere.netlify.app.

$ORIGIN crit.test
@                A     192.0.2.70
@                CAA   128 tbs "unknown"
www              CNAME crit.test.

$ORIGIN flat.test
@                A     192.0.2.80
@                NS    ns1.vercel-dns.com.
@                NS    ns2.vercel-dns.com.
www              CNAME flat.test.

$ORIGIN vercel-dns.com
good-app         A     192.0.2.50

$ORIGIN netlify.app
elsewhere        A     192.0.2.90
flat-site        A     192.0.2.80

$ORIGIN github.io
other-site       A     192.0.2.91

$ORIGIN myshopify.com
gone             TXT   "no address here"
`;

function launch(yaml: string): LaunchConfig {
  const parsed = parseLaunchYaml(yaml, 'launch.yaml', { today: '2026-11-25' });
  assert.ok(parsed.config, parsed.findings.map((finding) => finding.message).join('\n'));
  return parsed.config;
}

const ids = (findings: readonly Finding[]) => [...new Set(findings.map((finding) => finding.ruleId))].sort();
const only = (findings: readonly Finding[], ruleId: string) => findings.filter((finding) => finding.ruleId === ruleId);

const GOOD = launch(`
app: { name: Good, stage: launch }
domain:
  primary: www.good.test
  redirects:
    - from: good.test
      to: https://www.good.test
  subdomains:
    www: { cname: good.test }
    app: { cname: good-app.vercel-dns.com }
    api: { a: [192.0.2.20, 192.0.2.21], aaaa: ["2001:db8:0::21"] }
    staging: { cname: good-staging.fly.dev, public: false }
  certificateAuthorities: [letsencrypt.org]
  dnssec: true
owners:
  dns: { provider: Cloudflare, owner: ops@good.test }
`);

const BROKEN = launch(`
app: { name: Broken, stage: launch }
domain:
  primary: app.broken.test
  subdomains:
    app: { a: [192.0.2.30] }
    api: { cname: api-host.herokudns.com }
    docs: { cname: broken-docs.github.io }
    shop: { cname: gone.myshopify.com }
    staging: { a: [192.0.2.40], public: false }
    admin: { a: [10.0.0.5], public: false }
  certificateAuthorities: [letsencrypt.org]
  dnssec: true
owners:
  dns: { provider: cloudflare }
`);

const OTHER = launch(`
app: { name: Other, stage: launch }
domain:
  primary: other.test
  subdomains:
    www: { cname: other-site.github.io }
  certificateAuthorities: [letsencrypt.org]
`);

const CRIT = launch(`
app: { name: Crit, stage: launch }
domain:
  primary: crit.test
  dnssec: false
`);

const FLAT = launch(`
app: { name: Flat, stage: launch }
domain:
  primary: flat.test
  subdomains:
    "@": { cname: flat-site.netlify.app }
  dnssec: false
`);

describe('DNS checks over the loopback DNS server', () => {
  let dns: RunningDnsServer;
  let resolver: DnsResolver;

  before(async () => {
    dns = await startDnsServer(parseZoneFile(ZONES), {
      faults: {
        'silent.test': { drop: true },
        'www.silent.test': { drop: true },
        'sick.test': { rcode: 'SERVFAIL' },
        'www.sick.test': { rcode: 'SERVFAIL' },
      },
    });
    resolver = createResolver({ kind: 'servers', servers: [dns.server], timeoutMs: 1500, retries: 2 });
  });
  after(() => dns.close());

  it('finds nothing wrong with a well-configured domain, and lists what it read', async () => {
    const report = await checkDns(GOOD, { resolver, issuerOrganisations: ["Let's Encrypt"] });
    assert.deepEqual(report.findings, []);
    assert.equal(report.facts.domain, 'good.test');
    assert.deepEqual(report.facts.nameservers, [
      { host: 'ns1.cloudflare.com', provider: 'Cloudflare' },
      { host: 'ns2.cloudflare.com', provider: 'Cloudflare' },
    ]);
    assert.equal(report.facts.dnssec, 'signed');
    const www = report.facts.hosts.find((host) => host.host === 'www.good.test');
    assert.deepEqual(www?.cnames, ['good.test']);
    assert.deepEqual(www?.addresses, ['192.0.2.10']);
    assert.equal(www?.ttl, 3600);
    assert.ok(www?.records.includes('www.good.test. 3600 IN CNAME good.test.'), www?.records.join('\n'));
    const staging = report.facts.hosts.find((host) => host.host === 'staging.good.test');
    assert.equal(staging?.status, 'nxdomain');
    // A CNAME is followed for CAA too (RFC 8659 §3): www's set is good.test's, read through the alias.
    assert.deepEqual(report.facts.caa.map((entry) => [entry.host, entry.foundAt, entry.issuers]), [
      ['good.test', 'good.test', ['letsencrypt.org']],
      ['www.good.test', 'good.test', ['letsencrypt.org']],
      ['app.good.test', 'good.test', ['letsencrypt.org']],
      ['api.good.test', 'good.test', ['letsencrypt.org']],
    ]);
  });

  it('reports every broken record with the raw records it read', async () => {
    const report = await checkDns(BROKEN, { resolver });
    assert.deepEqual(ids(report.findings), [
      'dns/apex-not-resolving',
      'dns/caa-disallows-ca',
      'dns/dangling-cname',
      'dns/dnssec-unsigned',
      'dns/nameserver-provider-mismatch',
      'dns/nameserver-single',
      'dns/private-host-public',
      'dns/subdomain-mismatch',
      'dns/subdomain-not-resolving',
      'dns/ttl-very-low',
      'dns/www-not-resolving',
    ]);
    for (const finding of report.findings) {
      assert.equal(finding.stage, 'dns');
      assert.equal(finding.location.kind, 'host');
      assert.ok(Array.isArray(finding.observed?.records), finding.ruleId);
    }

    const dangling = only(report.findings, 'dns/dangling-cname');
    assert.deepEqual(dangling.map((finding) => [finding.location.kind === 'host' && finding.location.host, finding.severity, finding.observed?.service]), [
      ['docs.broken.test', 'blocker', 'GitHub Pages'],
      ['shop.broken.test', 'blocker', 'Shopify'],
    ]);
    assert.match(dangling[0].message, /broken-docs\.github\.io, which does not exist \(NXDOMAIN\): a GitHub Pages name/);
    assert.match(dangling[1].message, /gone\.myshopify\.com, which has no A or AAAA record/);
    assert.deepEqual(dangling[0].observed?.records, ['docs.broken.test. 300 IN CNAME broken-docs.github.io.']);

    const [mismatch] = only(report.findings, 'dns/subdomain-mismatch');
    assert.match(mismatch.message, /app\.broken\.test should have A 192\.0\.2\.30 .* but DNS answers 192\.0\.2\.99/);
    assert.deepEqual(mismatch.observed?.records, ['app.broken.test. 30 IN A 192.0.2.99']);

    const notResolving = only(report.findings, 'dns/subdomain-not-resolving');
    assert.deepEqual(notResolving.map((finding) => finding.location.kind === 'host' && finding.location.host), ['api.broken.test']);

    const exposed = only(report.findings, 'dns/private-host-public');
    assert.deepEqual(exposed.map((finding) => [finding.location.kind === 'host' && finding.location.host, finding.severity]).sort(), [
      ['admin.broken.test', 'low'],
      ['staging.broken.test', 'high'],
    ]);

    const [www] = only(report.findings, 'dns/www-not-resolving');
    assert.equal(www.severity, 'medium', 'www is not named in launch.yaml, so its absence is less severe');

    const [caa] = only(report.findings, 'dns/caa-disallows-ca');
    assert.equal(caa.severity, 'blocker');
    assert.match(caa.message, /allows digicert\.com, not letsencrypt\.org/);
    assert.deepEqual(caa.observed?.records, ['broken.test. 300 IN CAA 0 issue "digicert.com"']);

    assert.equal(only(report.findings, 'dns/dnssec-unsigned')[0].severity, 'high', 'launch.yaml asks for DNSSEC');
    assert.match(only(report.findings, 'dns/nameserver-provider-mismatch')[0].message, /DNS is at cloudflare, but broken\.test is delegated to Amazon Route 53/);
  });

  it('reads TTLs, mixed nameservers, a missing CAA, an unvalidated DS and a CNAME to the wrong target', async () => {
    const report = await checkDns(OTHER, { resolver });
    assert.deepEqual(ids(report.findings), ['dns/caa-missing', 'dns/dnssec-unvalidated', 'dns/nameservers-mixed', 'dns/subdomain-mismatch', 'dns/ttl-very-high']);
    assert.match(only(report.findings, 'dns/subdomain-mismatch')[0].message, /should be a CNAME to other-site\.github\.io .* but DNS has a CNAME to elsewhere\.netlify\.app/);
    assert.equal(only(report.findings, 'dns/ttl-very-high')[0].observed?.ttl, 172800);
    assert.deepEqual(only(report.findings, 'dns/nameservers-mixed')[0].observed?.providers, ['Cloudflare', 'Amazon Route 53']);
    assert.equal(report.facts.dnssec, 'signed-unvalidated');
  });

  it('reports a critical unknown CAA tag and a domain without nameservers; accepts a conscious "no DNSSEC"', async () => {
    const report = await checkDns(CRIT, { resolver });
    assert.deepEqual(ids(report.findings), ['dns/caa-unknown-critical', 'dns/nameservers-missing']);
    assert.equal(report.facts.dnssec, 'unsigned');
  });

  it('accepts a flattened apex CNAME whose addresses match the declared target', async () => {
    const report = await checkDns(FLAT, { resolver });
    assert.deepEqual(ids(report.findings), ['dns/caa-missing']);
    assert.deepEqual(report.facts.nameservers.map((entry) => entry.provider), ['Vercel', 'Vercel']);
  });

  it('checks CAA against the issuer of the certificate in use', async () => {
    const report = await checkDns(GOOD, { resolver, issuerOrganisations: ['DigiCert Inc'] });
    assert.deepEqual(ids(report.findings), ['dns/caa-disallows-ca']);
    assert.match(report.findings[0].message, /not DigiCert Inc \(issuer of the current certificate\)/);
  });

  it('reports a resolver that never answers, or answers SERVFAIL, as could-not-verify and never as missing', async () => {
    const quick = createResolver({ kind: 'servers', servers: [dns.server], timeoutMs: 200, retries: 0 });
    for (const name of ['silent', 'sick']) {
      const config = launch(`app: { name: X, stage: launch }\ndomain: { primary: ${name}.test, dnssec: true }\n`);
      const report = await checkDns(config, { resolver: quick });
      assert.deepEqual(ids(report.findings), ['dns/could-not-verify'], name);
      const statuses = report.findings.map((finding) => finding.observed?.status);
      assert.ok(statuses.every((status) => status === (name === 'silent' ? 'timeout' : 'servfail')), statuses.join());
      assert.deepEqual(report.findings.map((finding) => finding.location.kind === 'host' && `${finding.location.host} ${finding.location.subject}`).sort(), [
        `${name}.test A`,
        `${name}.test DS`,
        `${name}.test NS`,
        `www.${name}.test A`,
      ]);
      assert.equal(report.facts.dnssec, 'unknown');
    }
  });

  it('has no domain to check without a domain section', async () => {
    const report = await checkDns(launch('app: { name: X, stage: idea }\n'), { resolver });
    assert.deepEqual(report, { findings: [], facts: { domain: undefined, nameservers: [], dnssec: 'unknown', hosts: [], caa: [] } });
  });
});

describe('DNS rule data', () => {
  it('names hosted services from CNAME targets, label-wise', () => {
    assert.equal(takeoverServiceFor('acme.herokudns.com')?.service, 'Heroku');
    assert.equal(takeoverServiceFor('bucket.s3.amazonaws.com')?.service, 'AWS S3');
    assert.equal(takeoverServiceFor('bucket.s3-website-eu-west-1.amazonaws.com')?.service, 'AWS S3');
    assert.equal(takeoverServiceFor('ec2-1-2-3-4.compute.amazonaws.com'), undefined);
    assert.equal(takeoverServiceFor('d111.cloudfront.net')?.service, 'AWS CloudFront');
    assert.equal(takeoverServiceFor('notgithub.io'), undefined);
    assert.equal(takeoverServiceFor('acme.azurewebsites.net')?.service, 'Azure');
  });

  it('recognises DNS providers from nameserver names', () => {
    assert.equal(dnsProviderFor('ns-1234.awsdns-12.org')?.id, 'route53');
    assert.equal(dnsProviderFor('dns1.registrar-servers.com')?.id, 'namecheap');
    assert.equal(dnsProviderFor('ns45.domaincontrol.com')?.id, 'godaddy');
    assert.equal(dnsProviderFor('ns1.example.net'), undefined);
  });

  it('lists every rule in the README with its default severity', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    for (const rule of DNS_RULES) assert.ok(readme.includes(`| \`${rule.id}\` | ${rule.defaultSeverity}`), rule.id);
  });

  it('has unique ids, all in the dns stage', () => {
    assert.equal(new Set(DNS_RULES.map((rule) => rule.id)).size, DNS_RULES.length);
    assert.ok(DNS_RULES.every((rule) => rule.stage === 'dns' && rule.id.startsWith('dns/')));
  });
});
