// The pure parts of the web checks: header and HTML readers, certificate name matching, edge
// ranges, percentiles, the plan built from launch.yaml, and the ReDoS safety of every pattern that
// runs on page content.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { checkSync } from 'recheck';
import { parseLaunchYaml } from '../../src/engine/launch';
import type { HttpResponse } from '../../src/engine/net/http-client';
import { CONTENT_PATTERNS, mixedContent, parseHsts, sharedCacheable, staticAssets, subresources, cookieIssues, framingProtected, versionBanner } from '../../src/engine/web/headers';
import { CLOUDFLARE_RANGES, coveredBy, inRanges, percentile, planWebChecks, WEB_RULES } from '../../src/engine/web';

function response(headers: Record<string, string | string[]>, body = ''): HttpResponse {
  const normalised = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]));
  return { ok: true, url: 'https://www.acme.test/', status: 200, headers: normalised, body: Buffer.from(body), bodyTruncated: false, headersMs: 1, elapsedMs: 1 };
}

describe('web content readers', () => {
  it('reads HSTS directives and counts duplicate headers', () => {
    assert.deepEqual(parseHsts(response({ 'strict-transport-security': 'max-age=31536000; includeSubDomains; preload' })), {
      maxAge: 31536000,
      includeSubDomains: true,
      preload: true,
      count: 1,
      raw: 'max-age=31536000; includeSubDomains; preload',
    });
    assert.equal(parseHsts(response({ 'strict-transport-security': ['max-age="600"', 'max-age=1'] }))?.maxAge, 600);
    assert.equal(parseHsts(response({ 'strict-transport-security': ['max-age=600', 'max-age=1'] }))?.count, 2);
    assert.equal(parseHsts(response({})), undefined);
  });

  it('finds http:// subresources but not links, and same-origin assets', () => {
    const html = `<a href="http://x.test/">link</a><script src="http://cdn.test/a.js"></script><link rel="stylesheet" href='/s.css'>
      <link rel="canonical" href="http://www.acme.test/"><img srcset="http://i.test/1.png 1x, /2.png 2x"><iframe src=https://ok.test/></iframe>`;
    assert.deepEqual(mixedContent(html).map((resource) => resource.url), ['http://cdn.test/a.js', 'http://i.test/1.png']);
    assert.deepEqual(subresources('<script src="/app.js">').map((resource) => resource.url), ['/app.js']);
    assert.deepEqual(staticAssets(html, 'https://www.acme.test/'), ['https://www.acme.test/s.css']);
  });

  it('reads a hostile page in one pass (unclosed tags and quotes)', () => {
    const page = '<script src="'.repeat(50_000) + '<img src=\'' + 'a'.repeat(100_000);
    assert.deepEqual(mixedContent(page), []);
    assert.equal(subresources(`<img src="http://x.test/${'a'.repeat(10_000)}">`).length, 0, 'a tag longer than the cap is cut, never scanned whole');
  });

  it('tells shared-cacheable responses from private ones', () => {
    assert.equal(sharedCacheable(response({ 'cache-control': 'public, max-age=600' })), true);
    assert.equal(sharedCacheable(response({ 'cache-control': 's-maxage=60' })), true);
    assert.equal(sharedCacheable(response({ 'cache-control': 'public, max-age=600, private' })), false);
    assert.equal(sharedCacheable(response({ 'cache-control': 'no-store' })), false);
    assert.equal(sharedCacheable(response({})), false);
  });

  it('reads cookie flags, frame protection and version banners', () => {
    assert.deepEqual(cookieIssues(response({ 'set-cookie': ['a=1; Secure; HttpOnly; SameSite=Lax', 'b=2; secure'] })), [{ name: 'b', missing: ['HttpOnly', 'SameSite'] }]);
    assert.equal(framingProtected(response({ 'content-security-policy': "default-src 'self'; frame-ancestors 'none'" })), true);
    assert.equal(framingProtected(response({ 'content-security-policy': "default-src 'self'" })), false);
    assert.equal(framingProtected(response({ 'x-frame-options': 'DENY' })), true);
    assert.equal(versionBanner(response({ server: 'nginx' })), undefined);
    assert.equal(versionBanner(response({ server: 'nginx/1.25.3' })), 'Server: nginx/1.25.3');
  });

  it('matches certificate names with wildcards one label deep, never the apex', () => {
    assert.equal(coveredBy(['*.acme.com'], 'app.acme.com'), true);
    assert.equal(coveredBy(['*.acme.com'], 'acme.com'), false);
    assert.equal(coveredBy(['*.acme.com'], 'a.b.acme.com'), false);
    assert.equal(coveredBy(['acme.com', 'www.acme.com'], 'WWW.acme.com'), true);
  });

  it('places addresses in the shipped Cloudflare ranges, IPv4 and IPv6', () => {
    assert.equal(inRanges('104.16.132.229', CLOUDFLARE_RANGES.cidrs), true);
    assert.equal(inRanges('2606:4700::6810:84e5', CLOUDFLARE_RANGES.cidrs), true);
    assert.equal(inRanges('203.0.113.10', CLOUDFLARE_RANGES.cidrs), false);
    assert.equal(inRanges('not an ip', CLOUDFLARE_RANGES.cidrs), false);
    assert.match(CLOUDFLARE_RANGES.recorded, /^\d{4}-\d{2}-\d{2}$/);
  });

  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 20 }, (_, index) => index + 1);
    assert.equal(percentile(values, 50), 10);
    assert.equal(percentile(values, 95), 19);
    assert.equal(percentile(values, 99), 20);
    assert.equal(percentile([], 95), undefined);
  });

  it('lists every rule in the README with its title and severity', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const rule of WEB_RULES) assert.ok(readme.includes(`| \`${rule.id}\` | ${rule.title} | ${rule.defaultSeverity} |`), rule.id);
  });

  it('plans requests only to hosts launch.yaml names, and skips mail hosts', () => {
    const text = `version: 1
app: { name: Acme, stage: launch }
domain:
  primary: www.acme.com
  redirects:
    - from: acme.com
      to: https://www.acme.com
    - from: https://old-acme.com/pricing
      to: https://www.acme.com/pricing
  subdomains:
    "@": { a: 203.0.113.1 }
    www: { a: 203.0.113.1 }
    app: { cname: x.vercel-dns.com, proxied: true }
    mail: { a: 203.0.113.30 }
    staging: { cname: s.fly.dev, public: false }
deploy: { healthUrl: "https://api.acme.com/health" }
monitoring: { uptime: ["https://www.acme.com/"], statusPage: "https://status.example.net" }
`;
    const parsed = parseLaunchYaml(text, 'launch.yaml', { today: '2026-11-25' });
    assert.ok(parsed.config);
    const plan = planWebChecks(parsed.config);
    assert.deepEqual(plan.webHosts.sort(), ['acme.com', 'app.acme.com', 'old-acme.com', 'www.acme.com']);
    assert.deepEqual(plan.nonCanonical.sort(), ['acme.com', 'old-acme.com']);
    assert.deepEqual(plan.privateHosts, ['staging.acme.com']);
    assert.deepEqual(plan.stagingHosts, ['staging.acme.com']);
    assert.deepEqual(plan.proxiedHosts, ['app.acme.com']);
    assert.equal(plan.appHost, 'app.acme.com');
    assert.deepEqual(plan.allowedHosts.sort(), ['acme.com', 'api.acme.com', 'app.acme.com', 'mail.acme.com', 'old-acme.com', 'staging.acme.com', 'status.example.net', 'www.acme.com']);
    assert.deepEqual(plan.latency.map((target) => [target.url, target.kind, target.budgetP95Ms]), [
      ['https://api.acme.com/health', 'health', 300],
      ['https://www.acme.com/', 'page', 2000],
    ]);
  });
});

describe('patterns run on page content are linear (recheck)', function () {
  this.timeout(120_000);
  for (const pattern of CONTENT_PATTERNS) {
    it(`/${pattern.source.slice(0, 40)}…/`, () => {
      const diagnostics = checkSync(pattern.source, pattern.flags.replace('g', ''), { timeout: null, attackTimeout: null, incubationTimeout: null });
      assert.equal(diagnostics.status, 'safe', diagnostics.status === 'vulnerable' ? diagnostics.complexity.summary : '');
    });
  }
});
