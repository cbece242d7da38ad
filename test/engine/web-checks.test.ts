// The live web checks end to end: launch.yaml text → runWebChecks() against real HTTP and HTTPS
// servers on loopback, behind the loopback DNS server, with certificates from a CA made at run
// time. Every rule has a case that triggers it and the all-good site triggers none.
import { strict as assert } from 'node:assert';
import type * as http from 'node:http';
import { gzipSync } from 'node:zlib';
import { parseLaunchYaml } from '../../src/engine/launch';
import type { Finding } from '../../src/engine/model';
import { createAuditResolver } from '../../src/engine/net/dns-resolver';
import type { DnsResolver } from '../../src/engine/net/dns-types';
import { parseConnectTo, type ConnectTo } from '../../src/engine/net/http-connect';
import { runWebChecks, WEB_RULES, walkChain, Fetcher, type WebCheckContext, type WebReport } from '../../src/engine/web';
import { createHttpClient } from '../../src/engine/net/http-client';
import { startDnsServer, type RunningDnsServer } from '../world/dns-server';
import { createTestCa, daysFromNow, selfSignedCertificate, type TestCa } from '../world/ca';
import { closedPort, startGarbageServer, startLegacyTlsServer, startWebWorld, type RunningServer, type RunningWebWorld, type Scheme } from '../world/https-world';

type Site = (request: http.IncomingMessage, response: http.ServerResponse, scheme: Scheme, path: string) => void;

const GOOD_HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'content-security-policy': "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

const LANDING_HTML = `<!doctype html><html><head><link rel="stylesheet" href="/assets/site.9f8e7d6c.css"><script src="/assets/app.1a2b3c4d.js"></script></head><body>${'<p>Invoices made simple.</p>'.repeat(80)}<a href="http://elsewhere.example/">a plain link is not a subresource</a></body></html>`;

function toHttps(response: http.ServerResponse, request: http.IncomingMessage, host?: string): void {
  response.writeHead(301, { location: `https://${host ?? request.headers.host}${request.url}` }).end();
}

const redirect = (status: number, location: string): Site => (_request, response) => void response.writeHead(status, { location }).end();
const hostOnly = (name: string): string => name.replace(/\.acme\.test$/, '');

const goodLanding: Site = (_request, response, _scheme, path) => {
  if (path.startsWith('/assets/')) {
    response.writeHead(200, { 'content-type': path.endsWith('.css') ? 'text/css' : 'text/javascript', 'cache-control': 'public, max-age=31536000, immutable' }).end('/* tiny */');
    return;
  }
  if (path === '/.well-known/security.txt') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('Contact: mailto:security@acme.test\nExpires: 2027-12-31T00:00:00Z\n');
    return;
  }
  if (path === '/') {
    response.writeHead(200, { ...GOOD_HEADERS, 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip', 'set-cookie': '__Host-sid=1; Path=/; Secure; HttpOnly; SameSite=Lax', 'cache-control': 'private, no-store' });
    response.end(gzipSync(LANDING_HTML));
    return;
  }
  response.writeHead(404, GOOD_HEADERS).end('not here');
};

const SITES: Record<string, Site> = {
  'www.acme.test': goodLanding,
  'acme.test': (request, response) => toHttps(response, request, 'www.acme.test'),
  'xn--bcher-kva.acme.test': (request, response) => toHttps(response, request, 'www.acme.test'),
  'plain.acme.test': (_request, response, scheme, path) => {
    if (path === '/.git/HEAD') return void response.writeHead(200, { 'content-type': 'text/plain' }).end('ref: refs/heads/main\n');
    if (path === '/assets/site.css') return void response.writeHead(200, { 'content-type': 'text/css', 'cache-control': 'no-cache' }).end('body{}');
    if (path !== '/') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/html', 'x-powered-by': 'Express 4.18.2', 'set-cookie': 'sid=1; Path=/', 'cache-control': 'public, max-age=600' });
    response.end(`<html><head><link rel=stylesheet href="/assets/site.css"></head><body><img src="http://cdn.acme.test/logo.png">${'x'.repeat(2000)}</body></html>`);
    void scheme;
  },
  'weakhsts.acme.test': (_request, response) => {
    response.writeHead(200, { ...GOOD_HEADERS, 'strict-transport-security': 'max-age=300', 'content-type': 'text/plain' }).end('ok');
  },
  'old.acme.test': redirect(302, 'https://www.acme.test/'),
  'hop.acme.test': (request, response, scheme) => (scheme === 'http' ? redirect(301, 'https://www.acme.test/')(request, response, scheme, '') : redirect(301, 'https://hop2.acme.test/')(request, response, scheme, '')),
  'hop2.acme.test': redirect(301, 'https://www.acme.test/'),
  'loop.acme.test': (_request, response, _scheme, path) => void response.writeHead(301, { location: path === '/' ? '/again' : '/' }).end(),
  'other.test': goodLanding,
  'www.other.test': goodLanding,
  'many.acme.test': (_request, response, _scheme, path) => {
    const step = Number(/^\/([0-9]+)$/.exec(path)?.[1] ?? 0);
    response.writeHead(301, { location: `/${step + 1}` }).end();
  },
  'dead.acme.test': redirect(301, 'https://www.acme.test/missing-page'),
  'badloc.acme.test': redirect(301, 'http://[::1'),
  'noloc.acme.test': (_request, response) => void response.writeHead(302).end(),
  'offsite.acme.test': redirect(301, 'https://café.example/'),
  'downgrade.acme.test': redirect(301, 'http://www.acme.test/'),
  'reset.acme.test': (request, response) => {
    response.writeHead(200, { 'content-length': '5000' });
    response.write('partial');
    setImmediate(() => request.socket.destroy());
  },
  'hang.acme.test': () => undefined,
  'endless.acme.test': (_request, response) => {
    response.writeHead(200, { ...GOOD_HEADERS, 'content-type': 'text/html' });
    const chunk = Buffer.alloc(64 * 1024, 32);
    const pump = (): void => {
      while (!response.destroyed && response.write(chunk));
      if (!response.destroyed) response.once('drain', pump);
    };
    response.on('error', () => undefined);
    pump();
  },
  'staging.acme.test': (_request, response) => void response.writeHead(200, { 'content-type': 'text/plain' }).end('staging build 123'),
  'preview.acme.test': (_request, response) => void response.writeHead(401, { 'www-authenticate': 'Basic realm="preview"', 'x-robots-tag': 'noindex, nofollow' }).end(),
  'admin.acme.test': (_request, response) => void response.writeHead(401, { 'www-authenticate': 'Basic realm="admin"' }).end(),
  'origin.acme.test': (_request, response) => void response.writeHead(200, { ...GOOD_HEADERS, 'cf-ray': '8c0ffee-AMS', 'content-type': 'text/plain' }).end('edge or origin'),
  'app.acme.test': (_request, response) => void response.writeHead(200, { ...GOOD_HEADERS, 'cf-ray': '8c0ffee-AMS', server: 'cloudflare', 'content-type': 'text/plain' }).end('app'),
  'noedge.acme.test': (_request, response) => void response.writeHead(200, { ...GOOD_HEADERS, server: 'nginx', 'content-type': 'text/plain' }).end('origin'),
  'api.acme.test': (_request, response, _scheme, path) => {
    const json = { ...GOOD_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' };
    if (path === '/health') return void response.writeHead(200, json).end('{"ok":true}');
    if (path === '/broken-health') return void response.writeHead(503, json).end('{"ok":false}');
    // A server-side delay, far above the budget the test sets: the test asserts the classification.
    if (path === '/slow') return void setTimeout(() => response.writeHead(200, json).end('{}'), 400);
    response.writeHead(200, json).end('{}');
  },
};

// Hosts whose certificate is not the shared one.
const SPECIAL_CERT_HOSTS = ['expired', 'soon', 'later', 'wrong', 'self', 'weak', 'legacy', 'handshake', 'down'].map((label) => `${label}.acme.test`);

describe('live web checks on loopback', function () {
  this.timeout(60_000);
  let dns: RunningDnsServer;
  let resolver: DnsResolver;
  let ca: TestCa;
  let world: RunningWebWorld;
  let garbage: RunningServer;
  let legacy: RunningServer;
  let connectTo: ConnectTo[];

  before(async () => {
    ca = await createTestCa();
    const names = [...Object.keys(SITES), ...SPECIAL_CERT_HOSTS.filter((host) => !host.startsWith('expired') && !host.startsWith('wrong'))];
    const [shared, expired, soon, later, wrong, self, weak] = await Promise.all([
      ca.issue({ names: names.filter((name) => !SPECIAL_CERT_HOSTS.includes(name)) }),
      ca.issue({ names: ['expired.acme.test'], notBefore: daysFromNow(-100), notAfter: daysFromNow(-2) }),
      ca.issue({ names: ['soon.acme.test'], notAfter: daysFromNow(5) }),
      ca.issue({ names: ['later.acme.test'], notAfter: daysFromNow(15) }),
      ca.issue({ names: ['somebody-else.example'] }),
      selfSignedCertificate(['self.acme.test']),
      ca.issue({ names: ['weak.acme.test'], key: { rsaBits: 1024 } }),
    ]);
    const landing = (request: http.IncomingMessage, response: http.ServerResponse, scheme: Scheme): void => {
      const host = (request.headers.host ?? '').replace(/:[0-9]+$/, '');
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      const site = SITES[host];
      if (scheme === 'http' && !['plain.acme.test', 'hop.acme.test', 'many.acme.test'].includes(host)) return toHttps(response, request);
      if (!site) return void response.writeHead(200, { ...GOOD_HEADERS, 'content-type': 'text/plain' }).end('ok');
      site(request, response, scheme, path);
    };
    world = await startWebWorld({
      certificates: { 'www.acme.test': shared, 'expired.acme.test': expired, 'soon.acme.test': soon, 'later.acme.test': later, 'wrong.acme.test': wrong, 'self.acme.test': self, 'weak.acme.test': weak },
      handle: landing,
    });
    garbage = await startGarbageServer();
    legacy = await startLegacyTlsServer(await ca.issue({ names: ['legacy.acme.test'] }), (request, response) => landing(request, response, 'https'));
    const refused = await closedPort();
    const hosts = [...Object.keys(SITES).filter((name) => name.endsWith('.acme.test')).map(hostOnly), ...SPECIAL_CERT_HOSTS.map(hostOnly)];
    dns = await startDnsServer([
      { origin: 'acme.test', records: ['@ A 127.0.0.1', ...hosts.map((label) => `${label} A ${label === 'origin' ? '127.0.0.2' : '127.0.0.1'}`), 'hidden CNAME nowhere.invalid.'] },
      { origin: 'other.test', records: ['@ A 127.0.0.1', 'www A 127.0.0.1'] },
    ]);
    // Generous DNS and HTTP timeouts: a loaded CI machine must not turn a healthy host into a finding.
    resolver = createAuditResolver({ kind: 'servers', servers: [dns.server], timeoutMs: 3000, retries: 1 });
    connectTo = [
      parseConnectTo(`handshake.acme.test:443::${garbage.port}`),
      parseConnectTo(`legacy.acme.test:443::${legacy.port}`),
      parseConnectTo(`down.acme.test::127.0.0.1:${refused}`),
      ...world.connectTo,
    ];
  });

  after(async () => {
    await Promise.all([world?.close(), garbage?.close(), legacy?.close(), dns?.close()]);
  });

  const yaml = (primary: string, more = ''): string => `version: 1\napp:\n  name: Acme\n  stage: launch\ndomain:\n  primary: ${primary}\n${more}`;

  const seen = new Set<string>();

  async function audit(text: string, extra: Partial<WebCheckContext> = {}): Promise<WebReport> {
    const parsed = parseLaunchYaml(text, 'launch.yaml', { today: '2026-11-25' });
    assert.ok(parsed.config, JSON.stringify(parsed.findings.map((finding) => finding.message)));
    const report = await runWebChecks(parsed.config, {
      resolver,
      connectTo,
      extraCaPem: ca.certPem,
      timeoutMs: 8000,
      machine: 'test-machine',
      edgeRanges: { cloudflare: { source: 'test', recorded: 'test', cidrs: ['127.0.0.0/8'] } },
      latency: { samples: 4, concurrency: 2 },
      ...extra,
    });
    for (const finding of report.findings) seen.add(finding.ruleId);
    return report;
  }

  const ids = (findings: Finding[]): string[] => [...new Set(findings.map((finding) => finding.ruleId))].sort();
  const about = (findings: Finding[], ruleId: string, host?: string): Finding[] =>
    findings.filter((finding) => finding.ruleId === ruleId && (host === undefined || (finding.location.kind === 'host' && finding.location.host === host)));
  const subjectOf = (finding: Finding): string | undefined => (finding.location.kind === 'host' ? finding.location.subject : undefined);
  const show = (findings: Finding[]): string => findings.map((finding) => `${finding.ruleId}: ${finding.message}`).join('\n');

  it('finds nothing wrong with a well-configured site', async () => {
    const report = await audit(
      yaml(
        'www.acme.test',
        `  redirects:
    - from: acme.test
      to: https://www.acme.test
  subdomains:
    "@": { a: 127.0.0.1 }
    www: { a: 127.0.0.1 }
    api: { a: 127.0.0.1 }
    app: { a: 127.0.0.1, proxied: true }
    admin: { a: 127.0.0.1, public: false }
    preview: { a: 127.0.0.1, public: false }
    mail: { a: 127.0.0.1 }
edge:
  provider: cloudflare
  hsts: { maxAge: 63072000, includeSubDomains: true, preload: true }
deploy:
  healthUrl: https://api.acme.test/health
latency:
  # Far above anything loopback needs, even on a loaded machine: this case is about findings, not timing.
  apiP95Ms: 30000
  endpoints:
    - url: https://api.acme.test/v1/invoices
      p95Ms: 5000
`,
      ),
    );
    assert.deepEqual(report.findings, [], show(report.findings));
    // Every chain is in the report hop by hop; the apex reaches the canonical host in one.
    const apex = report.chains.find((chain) => chain.start === 'https://acme.test/');
    assert.deepEqual(apex?.hops.map((hop) => hop.status), [301, 200]);
    assert.equal(report.latency.length, 2);
    assert.ok(report.latency.every((entry) => entry.samples === 4 && entry.p95Ms !== undefined));
    // mail. is not a website: no request went there.
    assert.ok(!world.requests.some((request) => request.includes('mail.acme.test')));
    assert.equal(report.run.machine, 'test-machine');
    // The shared certificate covers every named host but mail. (which serves no website).
    assert.deepEqual(report.sanCoverage['www.acme.test'], report.plan.allowedHosts.filter((host) => host !== 'mail.acme.test').sort());
    assert.deepEqual(Object.keys(report.legacyTls).sort(), [...report.plan.webHosts].sort());
    assert.ok(Object.values(report.legacyTls).every((status) => status === 'refused'));
  });

  it('reports missing headers, mixed content, cookies, caching, compression, banners, git and security.txt on a careless site', async () => {
    const report = await audit(yaml('plain.acme.test'));
    const found = ids(report.findings);
    for (const ruleId of [
      'web/hsts-missing',
      'web/http-not-upgraded',
      'web/mixed-content',
      'web/header-csp-missing',
      'web/header-nosniff-missing',
      'web/header-frame-missing',
      'web/header-referrer-missing',
      'web/cookie-insecure',
      'web/cache-public-with-cookie',
      'web/compression-off',
      'web/cache-static-short',
      'web/version-banner',
      'web/git-exposed',
      'web/security-txt-missing',
    ]) {
      assert.ok(found.includes(ruleId), `${ruleId} missing from:\n${show(report.findings)}`);
    }
    const mixed = about(report.findings, 'web/mixed-content')[0];
    assert.deepEqual((mixed.observed?.resources as { url: string }[]).map((resource) => resource.url), ['http://cdn.acme.test/logo.png']);
    assert.equal(mixed.observed?.machine, 'test-machine');
    // cdn.acme.test is not named in launch.yaml: the page mentions it, nothing was sent to it.
    assert.ok(!world.requests.some((request) => request.includes('cdn.acme.test')));
  });

  it('weak HSTS warns, and the preload bar applies only when launch.yaml asks for preload', async () => {
    const plain = await audit(yaml('weakhsts.acme.test'));
    assert.deepEqual(about(plain.findings, 'web/hsts-weak').length, 1, show(plain.findings));
    assert.match(about(plain.findings, 'web/hsts-weak')[0].message, /max-age is 300.*includeSubDomains is missing/);
    assert.equal(about(plain.findings, 'web/hsts-preload-not-ready').length, 0);
    const preload = await audit(yaml('weakhsts.acme.test', 'edge:\n  hsts: { maxAge: 63072000, includeSubDomains: true, preload: true }\n'));
    assert.match(about(preload.findings, 'web/hsts-preload-not-ready')[0]?.message ?? '', /lacks `preload`/, show(preload.findings));
  });

  it('walks declared redirects: temporary status, dropped path, long chains, other-host upgrade', async () => {
    const report = await audit(
      yaml(
        'www.acme.test',
        `  redirects:
    - from: old.acme.test
      to: https://www.acme.test
    - from: hop.acme.test
      to: https://www.acme.test
    - from: hop2.acme.test
      to: https://www.acme.test
`,
      ),
    );
    const oldFindings = report.findings.filter((finding) => finding.location.kind === 'host' && finding.location.host === 'old.acme.test');
    assert.deepEqual(ids(oldFindings), ['web/redirect-path-dropped', 'web/redirect-temporary'], show(oldFindings));
    // One finding for the one 302, however many chains pass through it.
    assert.equal(about(oldFindings, 'web/redirect-temporary').length, 1, show(oldFindings));
    assert.equal(about(report.findings, 'web/redirect-chain-long', 'hop.acme.test').length, 1, show(report.findings));
    const long = about(report.findings, 'web/redirect-chain-long', 'hop.acme.test')[0];
    assert.deepEqual((long.observed?.chain as { url: string }[]).map((hop) => hop.url), ['https://hop.acme.test/', 'https://hop2.acme.test/', 'https://www.acme.test/']);
    assert.equal(about(report.findings, 'web/https-upgrade-other-host', 'hop.acme.test').length, 1, show(report.findings));
    assert.equal(about(report.findings, 'web/redirect-mismatch').length, 0, show(report.findings));
  });

  it('blocks on loops, 50 redirects, dead ends, invalid Location and downgrades, and reports off-site redirects unsent', async () => {
    const report = await audit(
      yaml(
        'www.acme.test',
        `  redirects:
${['loop', 'many', 'dead', 'badloc', 'noloc', 'downgrade', 'offsite'].map((label) => `    - from: ${label}.acme.test\n      to: https://www.acme.test\n      preservePath: false`).join('\n')}
`,
      ),
    );
    const ruleFor = (host: string): string[] => ids(report.findings.filter((finding) => finding.location.kind === 'host' && finding.location.host === host));
    assert.ok(ruleFor('loop.acme.test').includes('web/redirect-loop'), show(report.findings));
    assert.ok(ruleFor('many.acme.test').includes('web/redirect-too-many'), show(report.findings));
    // A dead end is reported where it is: the URL that answers 404.
    assert.deepEqual(about(report.findings, 'web/redirect-dead-end', 'www.acme.test').map(subjectOf), ['https://www.acme.test/missing-page'], show(report.findings));
    assert.ok(ruleFor('badloc.acme.test').includes('web/redirect-invalid-location'), show(report.findings));
    assert.ok(ruleFor('noloc.acme.test').includes('web/redirect-invalid-location'), show(report.findings));
    assert.ok(ruleFor('downgrade.acme.test').includes('web/redirect-downgrade'), show(report.findings));
    const offsite = about(report.findings, 'web/redirect-offsite', 'offsite.acme.test');
    assert.equal(offsite.length, 1, show(report.findings));
    assert.match(offsite[0].message, /xn--caf-dma\.example/);
    assert.ok(!world.requests.some((request) => request.includes('caf')));
    for (const finding of [...about(report.findings, 'web/redirect-loop'), ...about(report.findings, 'web/redirect-too-many')]) {
      assert.equal(finding.severity, 'blocker');
    }
    // The 50-redirect chain stops after 10 redirects: 11 requests, not 50.
    const many = report.chains.find((chain) => chain.start === 'https://many.acme.test/');
    assert.equal(many?.hops.length, 11);
    assert.ok(world.requests.filter((request) => request.startsWith('https://many.acme.test')).length <= 11);
  });

  it('reaches IDN hosts by their punycode name', async () => {
    const report = await audit(yaml('www.acme.test', '  redirects:\n    - from: bücher.acme.test\n      to: https://www.acme.test\n'));
    assert.deepEqual(report.findings, [], show(report.findings));
    assert.ok(world.requests.includes('https://xn--bcher-kva.acme.test/'));
  });

  it('reports a non-canonical apex that does not redirect, and a declared redirect that is missing', async () => {
    const apex = await audit(yaml('www.other.test', '  subdomains:\n    "@": { a: 127.0.0.1 }\n'));
    assert.deepEqual(ids(apex.findings), ['web/redirect-mismatch'], show(apex.findings));
    assert.match(apex.findings[0].message, /canonical host www\.other\.test/);
    const declared = await audit(yaml('www.acme.test', '  redirects:\n    - from: weakhsts.acme.test\n      to: https://www.acme.test\n'));
    assert.deepEqual(about(declared.findings, 'web/redirect-mismatch').map(subjectOf).sort(), ['http://weakhsts.acme.test/', 'https://weakhsts.acme.test/'], show(declared.findings));
    const good = await audit(yaml('www.acme.test', '  subdomains:\n    "@": { a: 127.0.0.1 }\n'));
    assert.deepEqual(good.findings, [], show(good.findings));
  });

  it('describes every certificate problem precisely', async () => {
    const hosts = ['expired', 'soon', 'later', 'wrong', 'self', 'weak', 'legacy'];
    const report = await audit(yaml('www.acme.test', `  subdomains:\n${hosts.map((label) => `    ${label}: { a: 127.0.0.1 }`).join('\n')}\n`));
    const ruleFor = (label: string): string[] => ids(report.findings.filter((finding) => finding.location.kind === 'host' && finding.location.host === `${label}.acme.test`));
    assert.deepEqual(ruleFor('expired'), ['web/cert-expired'], show(report.findings));
    assert.deepEqual(ruleFor('soon'), ['web/cert-expires-soon']);
    assert.equal(about(report.findings, 'web/cert-expires-soon', 'soon.acme.test')[0].severity, 'blocker');
    assert.deepEqual(ruleFor('later'), ['web/cert-expires-soon']);
    assert.equal(about(report.findings, 'web/cert-expires-soon', 'later.acme.test')[0].severity, 'medium');
    assert.match(about(report.findings, 'web/cert-expires-soon', 'later.acme.test')[0].message, /^The certificate of later\.acme\.test expires in [0-9]+ days, on [0-9]{4}-[0-9]{2}-[0-9]{2}\.$/);
    assert.deepEqual(ruleFor('wrong'), ['web/cert-hostname-mismatch']);
    assert.deepEqual(ruleFor('self'), ['web/cert-untrusted']);
    assert.match(about(report.findings, 'web/cert-untrusted', 'self.acme.test')[0].message, /self-signed/);
    assert.deepEqual(ruleFor('weak'), ['web/cert-weak-key']);
    assert.deepEqual(ruleFor('legacy'), ['web/tls-legacy-protocol']);
    const expired = about(report.findings, 'web/cert-expired')[0];
    assert.ok((expired.observed?.daysLeft as number) < 0);
    assert.equal((expired.observed?.certificate as { subjectAltNames: string[] }).subjectAltNames[0], 'expired.acme.test');
  });

  it('trusts the extra CA only when given', async () => {
    const report = await audit(yaml('www.acme.test'), { extraCaPem: undefined });
    // The handshake failures of the requests to it, and the http:// chain that ends there, are not repeated.
    assert.deepEqual(ids(report.findings), ['web/cert-untrusted'], show(report.findings));
    assert.equal(about(report.findings, 'web/unreachable').length, 0);
  });

  it('turns faults into precise findings within the timeout and still completes the other checks', async () => {
    const labels = ['down', 'reset', 'hang', 'handshake', 'nothere', 'hidden'];
    const started = Date.now();
    const report = await audit(yaml('www.acme.test', `  subdomains:\n${labels.map((label) => `    ${label}: { a: 127.0.0.1 }`).join('\n')}\n`), { timeoutMs: 3000 });
    // Every fault is bounded by the request timeout; the bound here only catches a hang, not slowness.
    assert.ok(Date.now() - started < 45_000);
    const kindOf = (label: string): unknown[] => about(report.findings, 'web/unreachable', `${label}.acme.test`).map((finding) => finding.observed?.kind);
    assert.ok(kindOf('down').includes('refused'), show(report.findings));
    assert.ok(kindOf('reset').includes('reset'), show(report.findings));
    assert.ok(kindOf('hang').includes('timeout'), show(report.findings));
    assert.ok(kindOf('handshake').includes('tls'), show(report.findings));
    assert.ok(kindOf('nothere').includes('dns'), show(report.findings));
    assert.ok(kindOf('hidden').includes('dns'), show(report.findings));
    // A name without an address is one finding for the host, pointing at DNS, not one per scheme.
    for (const label of ['nothere', 'hidden']) {
      const [only, ...more] = about(report.findings, 'web/unreachable', `${label}.acme.test`);
      assert.equal(more.length, 0, show(report.findings));
      assert.equal(only.severity, 'medium');
      assert.equal(subjectOf(only), 'A/AAAA');
      assert.match(only.message, new RegExp(`^${label}\\.acme\\.test is not reachable: DNS has no address for it \\(nxdomain\\).*see the DNS findings`));
      assert.deepEqual(only.observed?.schemes, ['http', 'https']);
    }
    // A name that resolves but refuses connections is still reported per scheme.
    assert.deepEqual(about(report.findings, 'web/unreachable', 'down.acme.test').map(subjectOf).sort(), ['http://down.acme.test/', 'https://down.acme.test/'], show(report.findings));
    // The canonical host was still checked completely.
    assert.ok(report.chains.some((chain) => chain.start === 'https://www.acme.test/' && chain.final?.status === 200));
  });

  it('reads at most the body cap of an endless landing page', async () => {
    const report = await audit(yaml('endless.acme.test'), { maxBodyBytes: 50_000 });
    const landing = report.chains.find((chain) => chain.start === 'https://endless.acme.test/');
    assert.equal(landing?.final?.body.length, 50_000);
    assert.equal(landing?.final?.bodyTruncated, true);
  });

  it('flags exposed private hosts and indexable staging, not gated ones', async () => {
    const report = await audit(yaml('www.acme.test', '  subdomains:\n    staging: { a: 127.0.0.1, public: false }\n    admin: { a: 127.0.0.1, public: false }\n    preview: { a: 127.0.0.1, public: false }\n'));
    assert.deepEqual(ids(report.findings), ['web/private-host-exposed', 'web/staging-indexable'], show(report.findings));
    assert.ok(report.findings.every((finding) => finding.location.kind === 'host' && finding.location.host === 'staging.acme.test'));
    assert.equal(about(report.findings, 'web/private-host-exposed')[0].severity, 'blocker');
  });

  it('tells a proxied host outside the edge ranges ("DNS only") and a missing edge header', async () => {
    const subdomains = '  subdomains:\n    app: { a: 127.0.0.1, proxied: true }\n    noedge: { a: 127.0.0.1, proxied: true }\nedge:\n  provider: cloudflare\n';
    const inside = await audit(yaml('www.acme.test', subdomains));
    assert.deepEqual(ids(inside.findings), ['web/edge-not-detected'], show(inside.findings));
    assert.deepEqual(about(inside.findings, 'web/edge-not-detected', 'noedge.acme.test').length, 1);
    const outside = await audit(yaml('www.acme.test', subdomains), { edgeRanges: { cloudflare: { source: 'test', recorded: 'test', cidrs: ['198.51.100.0/24'] } } });
    assert.deepEqual(about(outside.findings, 'web/edge-dns-only').map((finding) => finding.location.kind === 'host' && finding.location.host).sort(), ['app.acme.test', 'noedge.acme.test'], show(outside.findings));
  });

  it('finds an origin that answers directly behind a proxied host, not one that refuses', async () => {
    // The zone puts origin.acme.test at 127.0.0.2, inside the (test) edge ranges; normal requests
    // reach the world through an explicit connect-to, and the declared origin is 127.0.0.1.
    const ranges = { cloudflare: { source: 'test', recorded: 'test', cidrs: ['127.0.0.2/32'] } };
    const via = [parseConnectTo(`origin.acme.test:443:127.0.0.1:${world.httpsPort}`), parseConnectTo(`origin.acme.test:80:127.0.0.1:${world.httpPort}`), ...connectTo];
    const exposed = await audit(yaml('www.acme.test', '  subdomains:\n    origin: { a: 127.0.0.1, proxied: true }\nedge:\n  provider: cloudflare\n'), { edgeRanges: ranges, connectTo: via });
    assert.deepEqual(ids(exposed.findings), ['web/origin-exposed'], show(exposed.findings));
    assert.equal(exposed.findings[0].observed?.origin, '127.0.0.1');
    // Nothing listens on 127.0.0.9: the origin does not answer the public.
    const closed = await audit(yaml('www.acme.test', '  subdomains:\n    origin: { a: 127.0.0.9, proxied: true }\nedge:\n  provider: cloudflare\n'), { edgeRanges: ranges, connectTo: via });
    assert.equal(about(closed.findings, 'web/origin-exposed').length, 0, show(closed.findings));
  });

  it('classifies latency against the budget with the figures in the finding', async () => {
    const report = await audit(
      yaml('www.acme.test', 'latency:\n  endpoints:\n    - url: https://api.acme.test/slow\n      p95Ms: 50\n    - url: https://api.acme.test/fast\n      p95Ms: 5000\n'),
    );
    const over = about(report.findings, 'web/latency-over-budget');
    assert.equal(over.length, 1, show(report.findings));
    assert.equal(subjectOf(over[0]), 'https://api.acme.test/slow');
    assert.ok((over[0].observed?.p95Ms as number) > 50);
    for (const key of ['p50Ms', 'p95Ms', 'p99Ms', 'samples', 'budgetP95Ms']) assert.ok(key in (over[0].observed ?? {}), key);
  });

  it('reports a failing health endpoint', async () => {
    const report = await audit(yaml('www.acme.test', 'deploy:\n  healthUrl: https://api.acme.test/broken-health\n'));
    assert.deepEqual(ids(report.findings), ['web/health-failing'], show(report.findings));
    assert.match(about(report.findings, 'web/health-failing')[0].message, /503/);
  });

  it('walks a chain by hand with the same client', async () => {
    const client = createHttpClient({ resolver, connectTo, extraCaPem: ca.certPem, allowedHosts: ['hop.acme.test', 'hop2.acme.test', 'www.acme.test'] });
    try {
      const chain = await walkChain(new Fetcher(client), 'http://hop.acme.test/');
      assert.deepEqual(chain.hops.map((hop) => [hop.url, hop.status]), [
        ['http://hop.acme.test/', 301],
        ['https://www.acme.test/', 200],
      ]);
    } finally {
      await client.close();
    }
  });

  it('stops at the request budget and says so', async () => {
    const report = await audit(yaml('www.acme.test'), { maxRequests: 2 });
    assert.equal(report.requests, 2);
    // The landing page came first; security.txt was not sent, and the finding says why.
    assert.match(about(report.findings, 'web/security-txt-missing')[0]?.message ?? '', /budget of 2 requests/, show(report.findings));
  });

  it('rejects with the reason when the caller cancels, without waiting for slow hosts', async () => {
    const controller = new AbortController();
    const pending = audit(yaml('hang.acme.test'), { signal: controller.signal, timeoutMs: 60_000 });
    controller.abort(new Error('audit cancelled'));
    await assert.rejects(pending, /audit cancelled/);
  });

  it('has triggered every rule in the cases above', () => {
    assert.deepEqual(WEB_RULES.map((rule) => rule.id).filter((id) => !seen.has(id)), []);
  });
});
