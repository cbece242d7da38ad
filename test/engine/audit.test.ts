// The whole audit over a workspace built at run time, with the real loopback DNS server behind
// the real resolver: through the engine and once through the real CLI. Fake secrets are assembled
// at run time, and no output (text, JSON, SARIF, the saved report) may contain one.
import { strict as assert } from 'node:assert';
import { generateKeyPairSync } from 'node:crypto';
import * as dgram from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditToText, buildReport, loadReport, openFindings, REPORT_DIR, REPORT_FILE, ReportFormatError, runAudit, saveReport, type Report } from '../../src/engine/audit';
import { dedupeFindings } from '../../src/engine/audit/run';
import type { Finding } from '../../src/engine/model';
import { ensureCliBuilt, removeDir, runCli, tempDir, writeFiles } from '../support/cli';
import { Fakes } from '../support/fakes';
import { createTestCa } from '../world/ca';
import { parseZoneFile, startDnsServer, type RunningDnsServer } from '../world/dns-server';
import { startConnectProxy, startWebWorld } from '../world/https-world';

const TOOL = { name: 'launch-ready', version: 'test' };
const NOW = () => new Date('2026-11-25T12:00:00Z');

function quotedPieces(text: string): string {
  return (text.match(/.{1,255}/g) ?? []).map((piece) => `"${piece}"`).join(' ');
}

const LAUNCH_YAML = `
app: { name: Acme, stage: launch }
domain:
  primary: acme.test
  redirects:
    - from: www.acme.test
      to: https://acme.test
  subdomains:
    www: { cname: acme.test }
    docs: { cname: acme-docs.herokuapp.com }
    app: { a: [127.0.0.1] }
  dnssec: false
email:
  senders:
    - domain: acme.test
      provider: postmark
      dkimSelectors: [s1]
  dmarc: { policy: reject, reportTo: [mailto:dmarc@acme.test] }
attestations:
  R7: { by: Dana, date: 2026-11-01, evidence: https://wiki.acme.test/restore-drill }
acceptedRisks:
  - risk: No CAA until the CA is chosen
    rule: dns/caa-missing
    acceptedBy: Dana
    until: 2099-01-01
  - risk: Low TTL during the cutover
    rule: dns/ttl-very-low
    acceptedBy: Dana
    until: 2020-01-01
`;

function zones(dkimKey: string): string {
  return `
$ORIGIN acme.test
@                A     127.0.0.1
@                NS    ns1.cloudflare.com.
@                NS    ns2.cloudflare.com.
@                MX    10 mx.acme.test.
@                TXT   "v=spf1 ip4:192.0.2.0/24 -all"
mx               A     127.0.0.1
s1._domainkey    TXT   ${quotedPieces(`v=DKIM1; k=rsa; p=${dkimKey}`)}
_dmarc           TXT   "v=DMARC1; p=reject; rua=mailto:dmarc@acme.test"
www              CNAME acme.test.
docs             CNAME acme-docs.herokuapp.com.
app        20    A     127.0.0.1

$ORIGIN herokuapp.com
other-app        A     192.0.2.77
`;
}

const ids = (findings: readonly Finding[]) => [...new Set(findings.map((finding) => finding.ruleId))].sort();

describe('launch-ready audit', function () {
  this.timeout(60_000);
  const fakes = new Fakes(4242);
  const token = fakes.githubToken();
  const awsSecret = fakes.awsSecret();
  const awsKeyId = fakes.awsKeyId();
  const secrets = [token, awsSecret, awsKeyId];
  let dns: RunningDnsServer;
  let root: string;

  const assertNoSecret = (text: string, where: string) => {
    for (const secret of secrets) assert.ok(!text.includes(secret), `a secret value leaked into ${where}`);
  };

  before(async () => {
    const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    dns = await startDnsServer(parseZoneFile(zones(key)));
    root = tempDir('audit');
    writeFiles(root, {
      'launch.yaml': LAUNCH_YAML,
      'src/config.ts': `export const githubToken = "${token}";\n`,
      '.env': `AWS_ACCESS_KEY_ID=${awsKeyId}\nAWS_SECRET_ACCESS_KEY=${awsSecret}\n`,
      '.env.example': 'AWS_ACCESS_KEY_ID=\nAWS_SECRET_ACCESS_KEY=\n',
    });
  });
  after(async () => {
    await dns.close();
    removeDir(root);
  });

  const audit = (extra: Partial<Parameters<typeof runAudit>[0]> = {}) =>
    runAudit({
      root,
      tool: TOOL,
      resolver: { kind: 'servers', servers: [dns.server], timeoutMs: 1500, retries: 2 },
      skip: ['web'],
      useGit: false,
      now: NOW,
      machine: 'test-machine',
      ...extra,
    });

  it('runs every check and reports readiness per stage, blockers first', async () => {
    const { report } = await audit();
    assert.equal(report.checkedFrom, 'test-machine');
    assert.equal(report.generatedAt, '2026-11-25T12:00:00.000Z');
    assert.deepEqual(report.app, { name: 'Acme', stage: 'launch' });
    assert.deepEqual(
      report.checks.map((check) => [check.id, check.status]),
      [['launch', 'ran'], ['secrets', 'ran'], ['env', 'ran'], ['dns', 'ran'], ['email', 'ran'], ['web', 'skipped']],
    );

    assert.equal(report.findings[0].severity, 'blocker');
    const severities = report.findings.map((finding) => ['blocker', 'high', 'medium', 'low'].indexOf(finding.severity));
    assert.deepEqual(severities, [...severities].sort((a, b) => a - b), 'sorted most urgent first');

    const dangling = report.findings.find((finding) => finding.ruleId === 'dns/dangling-cname');
    assert.ok(dangling, ids(report.findings).join());
    assert.equal(dangling.observed?.service, 'Heroku');
    assert.deepEqual(dangling.items, ['D1']);
    assert.ok(report.findings.some((finding) => finding.ruleId.startsWith('secret/') && finding.location.kind === 'file' && finding.location.path === 'src/config.ts'));
    assert.ok(report.findings.some((finding) => finding.ruleId === 'env/not-ignored'), ids(report.findings).join());

    // The accepted risk covers its finding; the expired one does not, and says so.
    const caa = report.findings.find((finding) => finding.ruleId === 'dns/caa-missing');
    assert.deepEqual(caa?.accepted, { risk: 'No CAA until the CA is chosen', acceptedBy: 'Dana', until: '2099-01-01', rule: 'dns/caa-missing' });
    const ttl = report.findings.find((finding) => finding.ruleId === 'dns/ttl-very-low');
    assert.ok(ttl && !ttl.accepted);
    assert.ok(report.findings.some((finding) => finding.ruleId === 'launch/expired-acceptance'));
    assert.equal(report.acceptedFindings, 1);
    assert.deepEqual(report.acceptedRisks.map((risk) => [risk.rule, risk.expired, risk.matched]), [['dns/caa-missing', false, 1], ['dns/ttl-very-low', true, 0]]);
    const open = openFindings(report);
    assert.equal(open.length, report.findings.length - 1);
    assert.equal(Object.values(report.counts).reduce((sum, count) => sum + count, 0), open.length);

    assert.equal(report.stages.dns.status, 'fail');
    const dnsItems = Object.fromEntries(report.stages.dns.items.map((item) => [item.id, item.status]));
    assert.deepEqual(dnsItems, { D1: 'fail', D2: 'not-checked', D3: 'not-checked', D4: 'not-checked', D5: 'warn', D6: 'pass', D7: 'not-checked' });
    assert.equal(report.stages.secrets.status, 'fail');
    assert.equal(report.stages.secrets.items.find((item) => item.id === 'S1')?.status, 'fail');
    assert.equal(report.stages.edge.status, 'not-checked', 'the HTTPS checks were turned off');
    assert.equal(report.stages.email.items.find((item) => item.id === 'M1')?.status, 'pass');
    assert.deepEqual(report.stages.email.items.find((item) => item.id === 'M1')?.checkedBy, ['email']);
    const r7 = report.stages.deploy.items.find((item) => item.id === 'R7');
    assert.equal(r7?.status, 'attested');
    assert.deepEqual(r7?.attestation, { item: 'R7', by: 'Dana', date: '2026-11-01', evidence: 'https://wiki.acme.test/restore-drill', notApplicable: undefined, note: undefined });
    assert.deepEqual(report.attested.map((attestation) => attestation.item), ['R7']);
    assert.equal(report.stages.monitoring.status, 'not-checked');
    assert.deepEqual(report.facts.dns?.nameservers.map((entry) => entry.provider), ['Cloudflare', 'Cloudflare']);

    const text = auditToText(report, { color: false });
    const stageLines = text.split('\n').slice(3, 12).map((line) => line.trim().split(/\s{2,}/)[0]);
    assert.deepEqual(stageLines, ['Audit', 'DNS and redirects', 'Edge and SSL', 'Email', 'Deployment', 'Secrets and env', 'Performance and caching', 'Monitoring', 'Handover']);
    assert.match(text, /What to fix first:\n {2}1\. BLOCKER docs\.acme\.test CNAME: docs\.acme\.test is a CNAME to acme-docs\.herokuapp\.com/);
    assert.match(text, /HTTPS not checked: turned off for this audit/);
    assert.match(text, /\[accepted by Dana until 2099-01-01\]/);
    assertNoSecret(text, 'the text output');
    assertNoSecret(JSON.stringify(report), 'the report');
  });

  it('saves the report and reads it back unchanged', async () => {
    const { report } = await audit();
    const file = saveReport(root, report);
    assert.equal(file, join(root, REPORT_DIR, REPORT_FILE));
    const saved = readFileSync(file, 'utf8');
    assertNoSecret(saved, 'the saved report');
    assert.deepEqual(loadReport(root), JSON.parse(JSON.stringify(report)));
    const empty = tempDir('audit-empty');
    try {
      assert.equal(loadReport(empty), undefined);
      writeFiles(empty, { [`${REPORT_DIR}/${REPORT_FILE}`]: '{"kind":"something else"}' });
      assert.throws(() => loadReport(empty), ReportFormatError);
    } finally {
      removeDir(empty);
    }
  });

  it('--offline runs the workspace checks only; the network checks show as not checked', async () => {
    const before = dns.queries.length;
    const { report } = await audit({ offline: true, skip: [] });
    assert.equal(dns.queries.length, before, 'no DNS query was sent');
    assert.deepEqual(
      report.checks.filter((check) => check.status === 'skipped').map((check) => [check.id, check.reason]),
      [['dns', 'offline (--offline)'], ['email', 'offline (--offline)'], ['web', 'offline (--offline)']],
    );
    for (const stage of ['dns', 'edge', 'email'] as const) assert.equal(report.stages[stage].status, 'not-checked', stage);
    assert.equal(report.stages.secrets.status, 'fail');
    assert.ok(!report.findings.some((finding) => finding.stage === 'dns'));
  });

  it('reports a missing launch.yaml as a finding and still scans the workspace', async () => {
    const bare = tempDir('audit-bare');
    try {
      writeFiles(bare, { 'src/config.ts': `export const githubToken = "${token}";\n` });
      const { report } = await runAudit({ root: bare, tool: TOOL, resolver: { kind: 'servers', servers: [dns.server] }, useGit: false, now: NOW });
      assert.ok(report.findings.some((finding) => finding.ruleId === 'launch/missing' && finding.severity === 'high'));
      assert.deepEqual(
        report.checks.map((check) => [check.id, check.status, check.reason]),
        [['launch', 'ran', undefined], ['secrets', 'ran', undefined], ['env', 'ran', undefined], ['dns', 'skipped', 'no launch.yaml'], ['email', 'skipped', 'no launch.yaml'], ['web', 'skipped', 'no launch.yaml']],
      );
      assert.equal(report.stages.dns.status, 'not-checked');
      assert.equal(report.stages.audit.status, 'fail');
      assert.equal(report.app, undefined);
    } finally {
      removeDir(bare);
    }
  });

  it('turns a check that throws into a finding and finishes the others', async () => {
    const { report } = await audit({ resolver: { kind: 'servers', servers: [] } });
    const failed = report.findings.filter((finding) => finding.ruleId === 'audit/check-failed');
    assert.deepEqual(failed.map((finding) => [finding.stage, finding.severity]).sort(), [['dns', 'high'], ['email', 'high']]);
    assert.match(failed[0].message, /check stopped with an error: no DNS servers configured/);
    assert.deepEqual(report.checks.map((check) => [check.id, check.status]), [['launch', 'ran'], ['secrets', 'ran'], ['env', 'ran'], ['dns', 'failed'], ['email', 'failed'], ['web', 'skipped']]);
    assert.equal(report.stages.dns.status, 'fail');
    assert.equal(report.stages.dns.items.find((item) => item.id === 'D1')?.status, 'not-checked');
    assert.ok(report.findings.some((finding) => finding.ruleId.startsWith('secret/')), 'the workspace checks still ran');
  });

  it('applies the rule settings of .launch-ready.json to the live checks too', async () => {
    const { report } = await audit({ config: { exclude: [], maxFileSize: 1024 * 1024, rules: { 'dns/dangling-cname': 'off', 'dns/ttl-very-low': 'high' } } });
    assert.ok(!report.findings.some((finding) => finding.ruleId === 'dns/dangling-cname'));
    assert.equal(report.findings.find((finding) => finding.ruleId === 'dns/ttl-very-low')?.severity, 'high');
  });

  it('treats a resolver that throws as could-not-verify, never as missing records', async () => {
    const throwing = { lookup: () => Promise.reject(new Error('resolver exploded')) };
    const { report } = await audit({ resolver: throwing });
    // Lookups failing inside the DNS check are "could not verify", not a failed check.
    assert.ok(report.findings.some((finding) => finding.ruleId === 'dns/could-not-verify'));
    assert.ok(!report.findings.some((finding) => finding.ruleId === 'dns/apex-not-resolving'));
    assert.equal(report.stages.dns.items.find((item) => item.id === 'D1')?.unverified, true);
  });

  it('checks CAA against the issuer of the certificate the HTTPS checks saw', async () => {
    const ca = await createTestCa('DigiCert Test CA');
    const certificate = await ca.issue({ names: ['shop.test', 'www.shop.test'] });
    const world = await startWebWorld({
      certificates: { 'shop.test': certificate },
      handle: (request, response, scheme) => {
        if (scheme === 'http' || request.headers.host === 'www.shop.test') {
          response.writeHead(301, { location: 'https://shop.test/' }).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html', 'strict-transport-security': 'max-age=31536000; includeSubDomains' }).end('<!doctype html><title>shop</title>');
      },
    });
    const shopDns = await startDnsServer(parseZoneFile(`
$ORIGIN shop.test
@        A     127.0.0.1
@        NS    ns1.cloudflare.com.
@        NS    ns2.cloudflare.com.
@        CAA   0 issue "letsencrypt.org"
www      CNAME shop.test.
`));
    const shop = tempDir('audit-shop');
    try {
      writeFiles(shop, { 'launch.yaml': 'app: { name: Shop, stage: launch }\ndomain: { primary: shop.test, dnssec: false }\n' });
      const { report } = await runAudit({
        root: shop,
        tool: TOOL,
        resolver: { kind: 'servers', servers: [shopDns.server], timeoutMs: 1500 },
        connectTo: world.connectTo,
        extraCaPem: ca.certPem,
        skip: ['email'],
        useGit: false,
        now: () => new Date(),
      });
      assert.equal(report.checks.find((check) => check.id === 'web')?.status, 'ran');
      const caa = report.findings.filter((finding) => finding.ruleId === 'dns/caa-disallows-ca');
      assert.equal(caa.length, 1, JSON.stringify(report.findings.map((finding) => finding.ruleId)));
      assert.match(caa[0].message, /allows letsencrypt\.org, not CN=DigiCert Test CA \(issuer of the current certificate\)/);
      assert.equal(report.checks.find((check) => check.id === 'dns')?.findings, report.findings.filter((finding) => finding.ruleId.startsWith('dns/')).length);
      const certificate = report.facts.tls?.['shop.test'];
      assert.ok(certificate, `certificate facts for shop.test: ${JSON.stringify(Object.keys(report.facts.tls ?? {}))}`);
      assert.equal(certificate.host, 'shop.test');
      assert.equal(certificate.issuer, 'CN=DigiCert Test CA');
      assert.ok(certificate.subjectAltNames.includes('shop.test'), certificate.subjectAltNames.join(', '));
      assert.equal(certificate.trusted, true);
      assert.ok(Date.parse(certificate.notAfter) > Date.now());
      assert.ok(certificate.daysLeft >= 0 && certificate.daysLeft === Math.floor((Date.parse(certificate.notAfter) - Date.parse(report.generatedAt)) / 86_400_000));
      assert.ok(certificate.keyType && certificate.keyBits && certificate.keyBits > 0, `${certificate.keyType} ${certificate.keyBits}`);
    } finally {
      removeDir(shop);
      await world.close();
      await shopDns.close();
    }
  });

  describe('through the CLI', () => {
    before(() => ensureCliBuilt());

    it('audits with --dns pointing at the loopback server: text, JSON and SARIF', async () => {
      // Every connection goes to a closed loopback port, so the HTTPS checks fail fast and locally.
      const common = ['audit', root, '--dns', dns.server, '--connect-to', '::127.0.0.1:1', '--timeout', '1500', '--no-git'];
      const text = await runCli([...common, '--no-save'], { cwd: root });
      assert.equal(text.code, 1, text.stderr);
      assert.match(text.stdout, /^Launch readiness: Acme \(launch\)/);
      assert.match(text.stdout, /DNS and redirects\s+FAIL/);
      assert.match(text.stdout, /What to fix first:/);
      assertNoSecret(text.stdout + text.stderr, 'the CLI text output');

      const json = await runCli([...common, '--format', 'json'], { cwd: root });
      assert.equal(json.code, 1, json.stderr);
      const report = JSON.parse(json.stdout) as Report;
      assert.equal(report.kind, 'launch-ready-audit');
      assert.ok(report.findings.some((finding) => finding.ruleId === 'dns/dangling-cname'));
      assert.deepEqual(report.checks.find((check) => check.id === 'web')?.status, 'ran');
      assert.equal(report.stages.edge.status === 'not-checked', false);
      assert.ok(existsSync(join(root, REPORT_DIR, REPORT_FILE)));
      assert.deepEqual(loadReport(root)?.findings, report.findings);
      assertNoSecret(json.stdout, 'the CLI JSON output');

      const sarif = await runCli([...common, '--format', 'sarif', '--no-save', '--fail-on', 'none'], { cwd: root });
      assert.equal(sarif.code, 0, sarif.stderr);
      const log = JSON.parse(sarif.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string }[] }[] };
      const ruleIds = log.runs[0].tool.driver.rules.map((rule) => rule.id);
      for (const id of ['dns/dangling-cname', 'email/spf-missing', 'web/cert-expired', 'env/not-ignored', 'launch/missing', 'launch/unknown-key']) assert.ok(ruleIds.includes(id), id);
      assert.ok(log.runs[0].results.some((result) => result.ruleId === 'dns/dangling-cname'));
      assert.ok(!log.runs[0].results.some((result) => result.ruleId === 'dns/caa-missing'), 'accepted findings are not results');
      assertNoSecret(sarif.stdout, 'the CLI SARIF output');
    });

    it('sends the HTTPS checks through HTTPS_PROXY when it is set', async () => {
      // The proxy tunnels to a closed port: what matters is that the CLI asked it, by name.
      const proxy = await startConnectProxy(1);
      try {
        const result = await runCli(['audit', root, '--dns', dns.server, '--timeout', '1500', '--no-git', '--no-save', '--format', 'json', '--fail-on', 'none'], {
          cwd: root,
          env: { HTTPS_PROXY: proxy.url, NO_PROXY: '' },
        });
        assert.equal(result.code, 0, result.stderr);
        assert.ok(proxy.connects.some((target) => target.startsWith('acme.test:443')), `CONNECTs seen: ${proxy.connects.join(', ')}`);
      } finally {
        await proxy.close();
      }
    });

    it('completes with could-not-verify findings when the resolver never answers', async () => {
      const silent = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()));
      try {
        const port = silent.address().port;
        const result = await runCli(['audit', root, '--dns', `127.0.0.1:${port}`, '--connect-to', '::127.0.0.1:1', '--timeout', '300', '--no-git', '--no-save', '--format', 'json'], { cwd: root });
        assert.equal(result.code, 1, result.stderr);
        const report = JSON.parse(result.stdout) as Report;
        const dnsFindings = report.findings.filter((finding) => finding.stage === 'dns' && finding.ruleId.startsWith('dns/'));
        assert.ok(dnsFindings.length > 0);
        assert.deepEqual(ids(dnsFindings), ['dns/could-not-verify']);
        assert.ok(report.findings.some((finding) => finding.ruleId === 'email/could-not-verify'));
        assert.ok(dnsFindings.every((finding) => finding.observed?.status === 'timeout'));
      } finally {
        silent.close();
      }
    });

    it('refuses bad options with exit 2', async () => {
      for (const args of [['--dns', 'not a server'], ['--timeout', 'soon'], ['--connect-to', 'nonsense'], ['--format', 'xml'], ['--ca', join(root, 'missing.pem')]]) {
        const result = await runCli(['audit', root, ...args], { cwd: root });
        assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      }
    });
  });
});

describe('audit report model', () => {
  const finding = (ruleId: string, severity: Finding['severity'], stage: Finding['stage']): Finding => ({
    ruleId,
    severity,
    stage,
    message: ruleId,
    location: { kind: 'host', host: 'acme.test', subject: 'A' },
    remediation: 'fix it',
    fingerprint: ruleId,
  });

  it('accepts findings by readiness item too, and an item without a check stays not checked', () => {
    const report = buildReport({
      tool: TOOL,
      generatedAt: NOW(),
      checkedFrom: 'here',
      root: '/w',
      offline: false,
      findings: [finding('email/dmarc-missing', 'high', 'email'), finding('email/spf-missing', 'high', 'email')],
      checks: [{ id: 'email', status: 'ran', findings: 2, items: ['M1', 'M3'] }],
      attestations: [{ item: 'M4', by: 'Kim', date: '2026-11-01', notApplicable: 'no third-party senders' }],
      acceptedRisks: [{ risk: 'DMARC after launch', item: 'M3', acceptedBy: 'Kim', until: '2027-01-01', expired: false }],
    });
    assert.equal(report.findings.find((entry) => entry.ruleId === 'email/dmarc-missing')?.accepted?.item, 'M3');
    assert.equal(report.findings.find((entry) => entry.ruleId === 'email/spf-missing')?.accepted, undefined);
    const items = Object.fromEntries(report.stages.email.items.map((item) => [item.id, item.status]));
    assert.deepEqual(items, { M1: 'fail', M2: 'not-checked', M3: 'pass', M4: 'not-applicable', M5: 'not-checked', M6: 'not-checked', M7: 'not-checked', M8: 'not-checked' });
    assert.equal(report.stages.email.status, 'fail');
    assert.deepEqual(report.counts, { blocker: 0, high: 1, medium: 0, low: 0 });
  });

  it("a stage fails when one of its items fails, even through a finding filed under another stage, which does not fail", () => {
    const build = (findings: Finding[]) =>
      buildReport({
        tool: TOOL,
        generatedAt: NOW(),
        checkedFrom: 'here',
        root: '/w',
        offline: false,
        findings,
        checks: [{ id: 'web', status: 'ran', findings: findings.length, items: ['A7', 'A8', 'E1'] }],
        attestations: [],
        acceptedRisks: [],
      });
    const report = build([finding('web/private-host-exposed', 'high', 'edge'), finding('web/staging-indexable', 'medium', 'edge')]);
    assert.equal(report.stages.audit.items.find((item) => item.id === 'A7')?.status, 'fail');
    assert.equal(report.stages.audit.status, 'fail');
    assert.deepEqual(report.stages.audit.counts, { blocker: 0, high: 1, medium: 1, low: 0 });
    // Only in the stage of its item: Edge, where the HTTPS checks file it, has no failing item.
    assert.equal(report.stages.edge.status, 'pass', 'the finding counts where its item is, not also where it is filed');
    assert.deepEqual(report.stages.edge.counts, { blocker: 0, high: 0, medium: 0, low: 0 });
    assert.deepEqual(report.counts, { blocker: 0, high: 1, medium: 1, low: 0 }, 'the totals count each finding once');

    const warning = build([finding('web/staging-indexable', 'medium', 'edge')]);
    assert.equal(warning.stages.audit.items.find((item) => item.id === 'A7')?.status, 'warn');
    assert.equal(warning.stages.audit.status, 'warn');

    const clean = build([]);
    assert.equal(clean.stages.audit.status, 'pass');
  });

  it('reports a value the secret scan and the env check both flag once, as the env finding', () => {
    const at = (ruleId: string, severity: Finding['severity'], line: number, startColumn: number, endColumn: number): Finding => ({
      ruleId,
      severity,
      stage: 'secrets',
      message: ruleId,
      location: { kind: 'file', path: '.env.production', range: { startLine: line, startColumn, endLine: line, endColumn } },
      remediation: 'fix it',
      fingerprint: `${ruleId}:${line}`,
    });
    const findings = dedupeFindings([
      at('secret/stripe-secret-key', 'blocker', 3, 19, 51),
      at('env/test-key-in-production', 'high', 3, 19, 51),
      at('secret/url-password', 'high', 2, 34, 54),
      at('env/example-missing-key', 'medium', 2, 1, 9),
      at('secret/generic-api-key', 'high', 5, 10, 30),
      at('env/shared-secret-across-environments', 'high', 5, 12, 30),
      at('env/not-ignored', 'blocker', 1, 1, 1),
    ]);
    assert.deepEqual(
      findings.map((finding) => [finding.ruleId, finding.severity, finding.observed?.alsoMatched]),
      [
        ['env/test-key-in-production', 'blocker', ['secret/stripe-secret-key']],
        ['secret/url-password', 'high', undefined],
        ['env/example-missing-key', 'medium', undefined],
        ['env/shared-secret-across-environments', 'high', ['secret/generic-api-key']],
        ['env/not-ignored', 'blocker', undefined],
      ],
      'the key name on the same line and a zero-width file finding are about something else',
    );
    const report = buildReport({ tool: TOOL, generatedAt: NOW(), checkedFrom: 'here', root: '/w', offline: false, findings, checks: [], attestations: [], acceptedRisks: [] });
    assert.deepEqual(report.findings.find((finding) => finding.ruleId === 'env/test-key-in-production')?.items, ['S4', 'S1'], 'the secret item still answers');
  });
});
