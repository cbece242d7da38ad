import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { declarationFor, hostDeclarations, ownerCandidates, withDeclarations } from '../../src/engine/audit';
import { parseLaunchYaml } from '../../src/engine/launch';
import type { Finding, HostLocation } from '../../src/engine/model';
import { toSarif } from '../../src/engine/report/sarif';
import { REPO_ROOT } from '../support/cli';

// A host finding (DNS, email, HTTPS) opens the launch.yaml line that named its host: which line
// wins when several name it depends on the rule.

const LAUNCH_YAML = `app: { name: Acme, stage: launch }
domain:
  primary: www.acme.com
  redirects:
    - from: shop.acme.com
      to: https://www.acme.com/shop
    - from: http://old.acme.com/pricing
      to: https://www.acme.com/pricing
  subdomains:
    www: { cname: acme.vercel-dns.com }
    app: { cname: cname.vercel-dns.com }
    "@": { a: [203.0.113.10] }
    "*": { cname: www.acme.com }
    staging: { cname: acme-staging.fly.dev, public: false }
email:
  senders:
    - domain: acme.com
      provider: google-workspace
      spfIncludes: [_spf.google.com]
      dkimSelectors: [google]
    - domain: mail.acme.com
      provider: postmark
      returnPath: pm-bounces.acme.com
  dmarc:
    policy: reject
    reportTo: mailto:dmarc@reports.example
  nonSendingDomains:
    - acme-old.com
deploy:
  healthUrl: https://api.acme.com/health
environments:
  preview:
    url: https://preview.acme.com
latency:
  endpoints:
    - url: https://api.acme.com/v1/invoices
      p95Ms: 500
monitoring:
  uptime:
    - https://www.acme.com/
  statusPage: https://status.acme-status.com
`;

/** The 1-based line of the first line containing `text`. */
function lineOf(text: string): number {
  const index = LAUNCH_YAML.split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `fixture has ${text}`);
  return index + 1;
}

function hostFinding(ruleId: string, host: string, subject?: string): Finding {
  return {
    ruleId,
    severity: 'high',
    stage: 'dns',
    message: 'm',
    location: { kind: 'host', host, ...(subject ? { subject } : {}) },
    remediation: 'r',
    fingerprint: `${ruleId}:${host}:${subject ?? ''}`,
  };
}

describe('host declarations in launch.yaml', () => {
  const parsed = parseLaunchYaml(LAUNCH_YAML, 'launch.yaml', { today: '2026-11-25' });
  const declarations = hostDeclarations(LAUNCH_YAML, parsed.positionOf);
  const lineFor = (ruleId: string, host: string, subject?: string) => declarationFor(hostFinding(ruleId, host, subject), declarations)?.range.startLine;

  it('parses the fixture cleanly (every declaration below is a valid one)', () => {
    assert.ok(parsed.config);
    assert.deepEqual(parsed.findings.map((finding) => finding.message), []);
  });

  it('finds every kind of declaration, at the line that names the host', () => {
    const seen = declarations.filter((declaration) => !declaration.derived).map((declaration) => `${declaration.kind} ${declaration.host} ${declaration.range.startLine}`);
    assert.deepEqual(seen, [
      `primary www.acme.com ${lineOf('primary: www.acme.com')}`,
      `subdomain www.acme.com ${lineOf('www: { cname')}`,
      `subdomain app.acme.com ${lineOf('app: { cname')}`,
      `subdomain acme.com ${lineOf('"@":')}`,
      `subdomain staging.acme.com ${lineOf('staging: { cname')}`,
      `redirect-from shop.acme.com ${lineOf('from: shop.acme.com')}`,
      `redirect-to www.acme.com ${lineOf('to: https://www.acme.com/shop')}`,
      `redirect-from old.acme.com ${lineOf('from: http://old.acme.com/pricing')}`,
      `redirect-to www.acme.com ${lineOf('to: https://www.acme.com/pricing')}`,
      `email-sender acme.com ${lineOf('domain: acme.com')}`,
      `spf-include _spf.google.com ${lineOf('spfIncludes: [_spf.google.com]')}`,
      `email-sender mail.acme.com ${lineOf('domain: mail.acme.com')}`,
      `return-path pm-bounces.acme.com ${lineOf('returnPath:')}`,
      `non-sending-domain acme-old.com ${lineOf('- acme-old.com')}`,
      `dmarc-report reports.example ${lineOf('reportTo:')}`,
      `health-url api.acme.com ${lineOf('healthUrl:')}`,
      `latency-endpoint api.acme.com ${lineOf('url: https://api.acme.com/v1/invoices')}`,
      `uptime www.acme.com ${lineOf('- https://www.acme.com/')}`,
      `status-page status.acme-status.com ${lineOf('statusPage:')}`,
      `environment-url preview.acme.com ${lineOf('url: https://preview.acme.com')}`,
    ]);
    // A wildcard entry names no host a check looks at.
    assert.ok(!declarations.some((declaration) => declaration.host.startsWith('*')));
    // The apex of the primary host is named through it as well (the DNS checks look at it).
    assert.ok(declarations.some((declaration) => declaration.derived && declaration.host === 'acme.com' && declaration.range.startLine === lineOf('primary: www.acme.com')));
  });

  it('picks the line the rule is about when several name the host', () => {
    // DNS: the subdomain entry that declares the records, before the primary host.
    assert.equal(lineFor('dns/subdomain-mismatch', 'www.acme.com', 'CNAME'), lineOf('www: { cname'));
    assert.equal(lineFor('dns/nameservers-missing', 'acme.com', 'NS'), lineOf('"@":'));
    // Email: the sending domain, although the apex is also a subdomain entry.
    assert.equal(lineFor('email/spf-missing', 'acme.com', 'TXT'), lineOf('domain: acme.com'));
    assert.equal(lineFor('email/null-mx-incomplete', 'acme-old.com', 'MX'), lineOf('- acme-old.com'));
    assert.equal(lineFor('email/spf-include-unresolvable', 'pm-bounces.acme.com'), lineOf('returnPath:'));
    // Redirects: the redirect entry, by host or by the URL it starts from.
    assert.equal(lineFor('web/redirect-mismatch', 'shop.acme.com', 'https://shop.acme.com/'), lineOf('from: shop.acme.com'));
    assert.equal(lineFor('web/redirect-dead-end', 'old.acme.com', 'http://old.acme.com/pricing'), lineOf('from: http://old.acme.com/pricing'));
    // URLs launch.yaml lists open their own line.
    assert.equal(lineFor('web/health-failing', 'api.acme.com', 'https://api.acme.com/health'), lineOf('healthUrl:'));
    assert.equal(lineFor('web/latency-over-budget', 'api.acme.com', 'https://api.acme.com/v1/invoices'), lineOf('url: https://api.acme.com/v1/invoices'));
    assert.equal(lineFor('web/latency-over-budget', 'api.acme.com', 'https://api.acme.com/health'), lineOf('healthUrl:'));
    assert.equal(lineFor('web/latency-over-budget', 'www.acme.com', 'https://www.acme.com/'), lineOf('- https://www.acme.com/'));
    assert.equal(lineFor('web/staging-indexable', 'preview.acme.com', 'https://preview.acme.com/'), lineOf('url: https://preview.acme.com'));
    assert.equal(lineFor('web/private-host-exposed', 'staging.acme.com', 'https://staging.acme.com/'), lineOf('staging: { cname'));
    assert.equal(lineFor('web/cert-expired', 'status.acme-status.com', 'https://status.acme-status.com/'), lineOf('statusPage:'));
    // A host named only as a redirect target.
    assert.equal(lineFor('web/hsts-missing', 'www.acme.com', 'https://www.acme.com/'), lineOf('www: { cname'));
  });

  it('maps service names to the domain that owns them', () => {
    assert.deepEqual(ownerCandidates('google._domainkey.acme.com'), ['google._domainkey.acme.com', 'acme.com']);
    assert.deepEqual(ownerCandidates('_smtp._tls.mail.acme.com'), ['_smtp._tls.mail.acme.com', 'mail.acme.com']);
    assert.deepEqual(ownerCandidates('mta-sts.acme.com'), ['mta-sts.acme.com', 'acme.com']);
    assert.deepEqual(ownerCandidates('acme.com._report._dmarc.reports.example.'), ['acme.com._report._dmarc.reports.example', 'reports.example', 'acme.com']);
    assert.equal(lineFor('email/dkim-missing', 'google._domainkey.acme.com', 'TXT'), lineOf('domain: acme.com'));
    assert.equal(lineFor('email/dmarc-missing', '_dmarc.mail.acme.com', 'TXT'), lineOf('domain: mail.acme.com'));
    assert.equal(lineFor('email/mta-sts-policy-unreachable', 'mta-sts.acme.com', 'https://mta-sts.acme.com/.well-known/mta-sts.txt'), lineOf('domain: acme.com'));
    assert.equal(lineFor('email/could-not-verify', 'acme.com._report._dmarc.reports.example', 'TXT'), lineOf('reportTo:'));
    // An SPF include is named in launch.yaml itself.
    assert.equal(lineFor('email/could-not-verify', '_spf.google.com', 'TXT'), lineOf('spfIncludes: [_spf.google.com]'));
  });

  it('leaves a host launch.yaml does not name (and file findings) alone', () => {
    assert.equal(lineFor('dns/caa-disallows-ca', 'acme.vercel-dns.com', 'CAA'), undefined);
    assert.equal(lineFor('web/unreachable', 'other.acme.com', 'https://other.acme.com/'), undefined);
    assert.equal(lineFor('email/dmarc-missing', '_dmarc.example.org', 'TXT'), undefined);
    const file: Finding = { ...hostFinding('secret/x', 'x'), location: { kind: 'file', path: 'a.ts', range: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 } } };
    assert.equal(declarationFor(file, declarations), undefined);
    const [same] = withDeclarations([file], declarations, 'launch.yaml');
    assert.equal(same, file);
  });

  it('declares nothing for a file the parser refused or could not read', () => {
    const broken = 'app: [unclosed\n';
    assert.deepEqual(hostDeclarations(broken, parseLaunchYaml(broken, 'launch.yaml').positionOf), []);
    const huge = `domain:\n  primary: acme.com\n# ${'x'.repeat(300 * 1024)}\n`;
    assert.deepEqual(hostDeclarations(huge, parseLaunchYaml(huge, 'launch.yaml').positionOf), []);
  });

  it('follows launch.yml edits: a host moved down moves its line', () => {
    const moved = LAUNCH_YAML.replace('domain:\n', '# a comment\n# another\ndomain:\n');
    const again = parseLaunchYaml(moved, 'launch.yml');
    const line = declarationFor(hostFinding('web/redirect-mismatch', 'shop.acme.com'), hostDeclarations(moved, again.positionOf))?.range.startLine;
    assert.equal(line, lineOf('from: shop.acme.com') + 2);
  });

  it('reads the first document of a file with several, as the parser does', () => {
    const text = `${LAUNCH_YAML}---\nextra: 1\n`;
    const again = parseLaunchYaml(text, 'launch.yaml', { today: '2026-11-25' });
    assert.ok(again.findings.some((finding) => finding.ruleId === 'launch/multiple-documents'));
    assert.deepEqual(hostDeclarations(text, again.positionOf), declarations);
  });

  it('records declaredAt on host findings, and SARIF puts them at that line (schema-valid)', () => {
    const findings = withDeclarations([hostFinding('email/spf-missing', 'acme.com', 'TXT'), hostFinding('web/unreachable', 'elsewhere.example')], declarations, 'launch.yaml');
    const declared = (findings[0].location as HostLocation).declaredAt;
    assert.deepEqual(declared && { path: declared.path, line: declared.range.startLine }, { path: 'launch.yaml', line: lineOf('domain: acme.com') });
    assert.equal((findings[1].location as HostLocation).declaredAt, undefined);

    const sarif = JSON.parse(toSarif({ tool: { name: 'launch-ready', version: '0.0.0' }, rules: [], findings })) as {
      runs: { results: { locations: { physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations?: { name: string }[] }[] }[] }[];
    };
    const [first, second] = sarif.runs[0].results.map((result) => result.locations[0]);
    assert.equal(first.physicalLocation?.artifactLocation.uri, 'launch.yaml');
    assert.equal(first.physicalLocation?.region.startLine, lineOf('domain: acme.com'));
    assert.equal(first.logicalLocations?.[0].name, 'acme.com');
    assert.equal(second.physicalLocation, undefined);

    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    const { $schema: _draft, id, ...rest } = schema;
    const ajv = new Ajv({ strict: false, unicodeRegExp: false, formats: { uri: (value: string) => URL.canParse(value), 'uri-reference': (value: string) => URL.canParse(value, 'file:///base/'), 'date-time': () => true } });
    const validate = ajv.compile({ ...rest, $id: id as string });
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
  });
});
