import { hostname as machineName } from 'node:os';
import type { EdgeProvider, LaunchConfig } from '../launch/model';
import type { Finding } from '../model';
import type { DnsResolver } from '../net/dns-types';
import { createHttpClient, type HttpClient, type HttpResponse, type ProxySettings } from '../net/http-client';
import { matchConnectTo, resolveAddresses, type ConnectTo } from '../net/http-connect';
import { probeTls, type TlsOutcome } from '../net/http-tls';
import { certificateFindings, coveredBy, legacyProtocolFinding } from './certificates';
import { chainFindings, chainObserved, Fetcher, hostOf, walkChain, type Chain } from './chain';
import { DEFAULT_EDGE_RANGES, EDGE_HEADERS, inRanges, type EdgeRanges } from './edge-ranges';
import {
  bodyText,
  cacheControl,
  cookieIssues,
  framingProtected,
  header,
  HSTS_MIN_MAX_AGE,
  isHtml,
  mixedContent,
  parseHsts,
  sharedCacheable,
  staticAssets,
  versionBanner,
} from './headers';
import { sampleLatency, type LatencyOptions, type LatencyReport } from './latency';
import { planWebChecks, type WebPlan } from './plan';
import { webFinding, type RunInfo } from './rules';

// The live HTTPS half of the audit: everything launch.yaml says about how the site should look
// from the internet, checked against real answers. Hosts are checked concurrently (bounded);
// every request is bounded in time and size; a failing host becomes findings and the rest of
// the checks carry on.

export { WEB_RULES, webRule } from './rules';
export { planWebChecks, type WebPlan } from './plan';
export { walkChain, chainFindings, Fetcher, MAX_REDIRECTS, type Chain, type Hop } from './chain';
export { certificateFindings, legacyProtocolFinding, coveredBy } from './certificates';
export { CLOUDFLARE_RANGES, DEFAULT_EDGE_RANGES, inRanges, type EdgeRanges } from './edge-ranges';
export { sampleLatency, percentile, type LatencyReport } from './latency';
// What the CLI and the editor need to build a context.
export { createHttpClient, proxyFromEnvironment, selectDispatcher, type HttpClient, type ProxySettings } from '../net/http-client';
export { parseConnectTo, type ConnectTo } from '../net/http-connect';
export { probeTls, type TlsFacts, type TlsOutcome } from '../net/http-tls';

export interface WebCheckContext {
  resolver: DnsResolver;
  connectTo?: readonly ConnectTo[];
  /** PEM text of extra CA certificates (`--ca`). */
  extraCaPem?: string;
  /** Per request: connect + headers + body (default 10 s). */
  timeoutMs?: number;
  maxBodyBytes?: number;
  proxy?: ProxySettings;
  signal?: AbortSignal;
  /** The audit's clock, for certificate expiry (default: the system clock). */
  now?: () => Date;
  /** Reported in every finding (default: os.hostname(); in remote windows, the remote machine). */
  machine?: string;
  /** Published ranges per edge provider (default: the shipped Cloudflare list). */
  edgeRanges?: Partial<Record<EdgeProvider, EdgeRanges>>;
  latency?: LatencyOptions;
  /** Try a TLS 1.0/1.1 handshake on each host (default true). */
  legacyTlsProbe?: boolean;
  /** Hosts checked at once (default 4). */
  concurrency?: number;
  /** HTTP requests of one audit at most, latency samples aside (default 500). */
  maxRequests?: number;
  /** A client built by the caller (tests, the editor's proxy wiring); closed by the caller. */
  client?: HttpClient;
}

export interface WebReport {
  findings: Finding[];
  plan: WebPlan;
  tls: Record<string, TlsOutcome>;
  /**
   * Per host: `accepted` (TLS 1.0/1.1 handshake completed), `refused`, or `untestable` when this
   * machine's OpenSSL could not offer the old protocols at all, so the answer is unknown.
   */
  legacyTls: Record<string, 'accepted' | 'refused' | 'untestable'>;
  chains: Chain[];
  latency: LatencyReport[];
  /** Per host with a certificate: which hosts launch.yaml names (web, private and proxied alike) that certificate's SANs cover. */
  sanCoverage: Record<string, string[]>;
  /** HTTP requests sent (TLS probes and latency samples not counted). */
  requests: number;
  run: RunInfo;
}

export async function checkWeb(config: LaunchConfig, context: WebCheckContext): Promise<Finding[]> {
  return (await runWebChecks(config, context)).findings;
}

interface Env {
  context: WebCheckContext;
  plan: WebPlan;
  client: HttpClient;
  fetcher: Fetcher;
  run: RunInfo;
  now: Date;
  findings: Finding[];
  chains: Chain[];
  tls: Record<string, TlsOutcome>;
  legacyTls: WebReport['legacyTls'];
}

export async function runWebChecks(config: LaunchConfig, context: WebCheckContext): Promise<WebReport> {
  const plan = planWebChecks(config);
  const client =
    context.client ??
    createHttpClient({
      resolver: context.resolver,
      connectTo: context.connectTo,
      extraCaPem: context.extraCaPem,
      timeoutMs: context.timeoutMs,
      maxBodyBytes: context.maxBodyBytes,
      proxy: context.proxy,
      signal: context.signal,
      allowedHosts: plan.allowedHosts,
    });
  const env: Env = {
    context,
    plan,
    client,
    fetcher: new Fetcher(client, context.maxRequests),
    run: { machine: context.machine ?? machineName(), route: client.route },
    now: (context.now ?? (() => new Date()))(),
    findings: [],
    chains: [],
    tls: {},
    legacyTls: {},
  };
  const latency: LatencyReport[] = [];
  try {
    await bounded(plan.webHosts, context.concurrency ?? 4, (host) => checkHost(env, host));
    await Promise.all([
      checkDeclaredRedirects(env, plan),
      checkCanonical(env, plan),
      checkLanding(env, plan, config),
      checkEdge(env, plan, config),
      checkPrivateHosts(env, plan),
    ]);
    latency.push(...(await checkLatency(env, plan)));
  } finally {
    if (!context.client) await client.close();
  }
  const sanCoverage: Record<string, string[]> = {};
  for (const [host, outcome] of Object.entries(env.tls)) {
    const sans = outcome.ok ? outcome.chain[0]?.subjectAltNames : undefined;
    if (sans) sanCoverage[host] = plan.allowedHosts.filter((name) => coveredBy(sans, name)).sort();
  }
  return { findings: finish(env), plan, tls: env.tls, legacyTls: env.legacyTls, chains: env.chains, latency, sanCoverage, requests: env.fetcher.requestCount, run: env.run };
}

/** Lookup answers that mean "this name has no address": the DNS checks report those names themselves. */
const NO_ADDRESS = new Set(['nxdomain', 'nodata']);

function hasNoAddress(finding: Finding): boolean {
  return finding.ruleId === 'web/unreachable' && finding.observed?.kind === 'dns' && NO_ADDRESS.has(String(finding.observed.code));
}

/**
 * A host whose name has no address fails the same way on http:// and https://, and the DNS
 * checks already carry the cause (a dangling CNAME, a missing record) at its real severity. One
 * finding per host points there instead of one per scheme repeating it; the canonical host keeps
 * blocker, since the site being down is the launch being down whatever DNS rule explains it.
 */
function noAddressFinding(env: Env, host: string, failures: readonly Finding[]): Finding {
  const code = String(failures[0].observed?.code);
  const schemes = [...new Set(failures.flatMap((failure) => (failure.location.kind === 'host' && failure.location.subject ? [new URL(failure.location.subject).protocol.replace(':', '')] : [])))].sort();
  const finding = webFinding('web/unreachable', {
    host,
    // What is missing is the address records; the URLs of both schemes are in `schemes`.
    subject: 'A/AAAA',
    message: `${host} is not reachable: DNS has no address for it (${code}), so neither http:// nor https:// could connect; see the DNS findings for ${host} for the cause.`,
    severity: host === env.plan.canonical ? 'blocker' : 'medium',
    observed: { kind: 'dns', code, schemes },
    key: 'no-address',
  }, env.run);
  return { ...finding, remediation: `Fix the DNS record of ${host} (the DNS findings say what is wrong with it), or remove the host from launch.yaml.` };
}

/**
 * One finding per fingerprint (chains shared by several checks report once). A failure already
 * explained where it happens is not repeated: a TLS failure on a host with a certificate finding,
 * a chain that dead-ends on a host reported as unreachable or badly certified, or each scheme of
 * a host whose name has no address (one finding for the host instead).
 */
function finish(env: Env): Finding[] {
  const seen = new Set<string>();
  const hostOfFinding = (finding: Finding): string => (finding.location.kind === 'host' ? finding.location.host : '');
  const certificateHosts = new Set(env.findings.filter((finding) => finding.ruleId.startsWith('web/cert-')).map(hostOfFinding));
  const explained = new Set([...certificateHosts, ...env.findings.filter((finding) => finding.ruleId === 'web/unreachable').map(hostOfFinding)]);
  const noAddress = new Map<string, Finding[]>();
  for (const finding of env.findings.filter(hasNoAddress)) noAddress.set(hostOfFinding(finding), [...(noAddress.get(hostOfFinding(finding)) ?? []), finding]);
  const merged = new Set<string>();
  return env.findings.flatMap((finding) => {
    if (seen.has(finding.fingerprint)) return [];
    seen.add(finding.fingerprint);
    if (hasNoAddress(finding)) {
      const host = hostOfFinding(finding);
      if (merged.has(host)) return [];
      merged.add(host);
      return [noAddressFinding(env, host, noAddress.get(host) ?? [finding])];
    }
    if (finding.ruleId === 'web/unreachable' && finding.observed?.kind === 'tls' && certificateHosts.has(hostOfFinding(finding))) return [];
    if (finding.ruleId === 'web/redirect-dead-end' && finding.observed?.failed === true && explained.has(hostOf(String(finding.observed.endUrl)))) return [];
    return [finding];
  });
}

async function bounded<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

async function walk(env: Env, url: string): Promise<Chain> {
  const chain = await walkChain(env.fetcher, url);
  if (!env.chains.some((known) => known.start === chain.start)) env.chains.push(chain);
  if (chain.end === 'unreachable') {
    const failure = chain.hops[0].failure;
    env.findings.push(
      webFinding('web/unreachable', {
        host: hostOf(url),
        subject: new URL(url).origin + '/',
        message: `${new URL(url).origin}/ could not be reached: ${failure?.message ?? 'no answer'}.`,
        // The canonical host down is the launch down.
        severity: hostOf(url) === env.plan.canonical ? 'blocker' : undefined,
        observed: { kind: failure?.kind, code: failure?.code, ...chainObserved(chain) },
      }, env.run),
    );
  }
  return chain;
}

// Certificates, legacy TLS, and the http:// and https:// chains of one host.
async function checkHost(env: Env, host: string): Promise<void> {
  const { context } = env;
  const probeOptions = { resolver: context.resolver, connectTo: context.connectTo, extraCaPem: context.extraCaPem, timeoutMs: context.timeoutMs, signal: context.signal, proxy: context.proxy };
  const [tls, httpChain, httpsChain] = await Promise.all([probeTls(host, 443, probeOptions), walk(env, `http://${host}/`), walk(env, `https://${host}/`)]);
  env.tls[host] = tls;
  if (tls.ok) {
    env.findings.push(...certificateFindings(tls, env.now, env.run));
    if (context.legacyTlsProbe !== false) {
      const legacy = await probeTls(host, 443, { ...probeOptions, minVersion: 'TLSv1', maxVersion: 'TLSv1.1' });
      const finding = legacyProtocolFinding(host, legacy, env.run);
      if (finding) env.findings.push(finding);
      env.legacyTls[host] = legacy.ok ? 'accepted' : LOCAL_TLS_LIMIT.test(`${legacy.code ?? ''} ${legacy.message}`) ? 'untestable' : 'refused';
    }
  } else {
    env.findings.push(
      webFinding('web/unreachable', {
        host,
        subject: `https://${host}/`,
        message: `https://${host}/ could not be reached: ${tls.message}.`,
        severity: host === env.plan.canonical ? 'blocker' : undefined,
        observed: { kind: tls.kind, code: tls.code, address: tls.target ? `${tls.target.address}:${tls.target.port}` : undefined },
      }, env.run),
    );
  }
  env.findings.push(...chainFindings(httpChain, { permanent: true, purpose: `HTTPS upgrade of ${host}` }, env.run));
  env.findings.push(...chainFindings(httpsChain, { permanent: true, purpose: `https://${host}/` }, env.run));
  const first = httpChain.hops[0];
  if (first?.status !== undefined) {
    const finalUrl = httpChain.end === 'final' ? httpChain.endUrl : undefined;
    const redirected = first.location !== undefined && first.status >= 300 && first.status < 400;
    if (!redirected && first.status < 400) {
      env.findings.push(webFinding('web/http-not-upgraded', { host, subject: `http://${host}/`, message: `http://${host}/ answers ${first.status} over plain HTTP instead of redirecting to https://.`, observed: chainObserved(httpChain) }, env.run));
    } else if (finalUrl?.startsWith('http:')) {
      env.findings.push(webFinding('web/http-not-upgraded', { host, subject: `http://${host}/`, message: `http://${host}/ ends at ${finalUrl}, still plain HTTP.`, observed: chainObserved(httpChain) }, env.run));
    } else if (redirected && httpChain.hops.length > 1) {
      const next = new URL(httpChain.hops[1].url);
      if (next.protocol === 'https:' && next.hostname !== host) {
        env.findings.push(webFinding('web/https-upgrade-other-host', { host, subject: `http://${host}/`, message: `http://${host}/ goes to ${next.origin}/ first instead of https://${host}/.`, observed: chainObserved(httpChain) }, env.run));
      }
    } else if (redirected && httpChain.end === 'offsite') {
      const next = new URL(httpChain.endUrl);
      if (next.hostname !== host) {
        env.findings.push(webFinding('web/https-upgrade-other-host', { host, subject: `http://${host}/`, message: `http://${host}/ goes to ${next.origin}/ first instead of https://${host}/.`, observed: chainObserved(httpChain) }, env.run));
      }
    }
  }
}

function sameUrl(a: string, b: string): boolean {
  const norm = (url: string): string => {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '') || '/'}${parsed.search}`;
  };
  try {
    return norm(a) === norm(b);
  } catch {
    return a === b;
  }
}

const PATH_PROBE = '/launch-ready-check/deep-link?probe=1';
// OpenSSL builds without TLS 1.0/1.1 fail before anything is sent; the server was never asked.
const LOCAL_TLS_LIMIT = /NO_PROTOCOLS_AVAILABLE|no protocols available|NO_CIPHERS_AVAILABLE|no ciphers available/i;

async function checkDeclaredRedirects(env: Env, plan: WebPlan): Promise<void> {
  await Promise.all(
    plan.redirects.map(async (redirect) => {
      const permanent = redirect.status === 301 || redirect.status === 308;
      const starts = redirect.from.url ? [redirect.from.url.href] : [`https://${redirect.from.host.name}/`, `http://${redirect.from.host.name}/`];
      const purpose = `The redirect from ${redirect.from.url?.input ?? redirect.from.host.input}`;
      for (const start of starts) {
        const chain = await walk(env, start);
        env.findings.push(...chainFindings(chain, { permanent, purpose }, env.run));
        if (chain.end === 'final' && !sameUrl(chain.endUrl, redirect.to.href)) {
          env.findings.push(
            webFinding('web/redirect-mismatch', {
              host: hostOf(start),
              subject: start,
              message: `${purpose}: ${start} ends at ${chain.endUrl} (${chain.final?.status}), not at ${redirect.to.href}.`,
              observed: { expected: redirect.to.href, ...chainObserved(chain) },
            }, env.run),
          );
        }
      }
      const fromPath = redirect.from.url ? new URL(redirect.from.url.href).pathname : '/';
      if (redirect.preservePath && fromPath === '/' && new URL(redirect.to.href).pathname === '/') {
        const start = new URL(PATH_PROBE, redirect.from.url?.href ?? `https://${redirect.from.host.name}/`).href;
        const expected = new URL(PATH_PROBE, redirect.to.href).href;
        const chain = await walk(env, start);
        const reached = chain.end === 'final' || chain.end === 'dead-end' ? chain.endUrl : undefined;
        if (reached !== undefined && !sameUrl(reached, expected)) {
          env.findings.push(
            webFinding('web/redirect-path-dropped', {
              host: hostOf(start),
              subject: start,
              message: `${purpose}: the deep link ${start} ends at ${reached} instead of ${expected}.`,
              observed: { expected, ...chainObserved(chain) },
            }, env.run),
          );
        }
      }
    }),
  );
}

async function checkCanonical(env: Env, plan: WebPlan): Promise<void> {
  const canonical = plan.canonical;
  if (!canonical) return;
  const declaredFrom = new Set(plan.redirects.map((redirect) => redirect.from.host.name));
  await Promise.all(
    plan.nonCanonical
      .filter((host) => !declaredFrom.has(host))
      .map(async (host) => {
        const chain = await walk(env, `https://${host}/`);
        env.findings.push(...chainFindings(chain, { permanent: true, purpose: `Canonicalisation of ${host}` }, env.run));
        if (chain.end === 'final' && hostOf(chain.endUrl) !== canonical) {
          env.findings.push(
            webFinding('web/redirect-mismatch', {
              host,
              subject: `https://${host}/`,
              message: `https://${host}/ ends at ${chain.endUrl} (${chain.final?.status}) instead of redirecting to the canonical host ${canonical}.`,
              observed: { expected: `https://${canonical}/`, ...chainObserved(chain) },
            }, env.run),
          );
        }
      }),
  );
}

async function finalResponse(env: Env, url: string): Promise<HttpResponse | undefined> {
  const chain = await walk(env, url);
  return chain.end === 'final' && chain.final && chain.final.status < 400 ? chain.final : undefined;
}

async function checkLanding(env: Env, plan: WebPlan, config: LaunchConfig): Promise<void> {
  const canonical = plan.canonical;
  if (!canonical) return;
  const url = `https://${canonical}/`;
  const landing = await finalResponse(env, url);
  const add = (ruleId: string, message: string, observed: Record<string, unknown> = {}, subject = url, host = canonical, key?: string): void => {
    env.findings.push(webFinding(ruleId, { host, subject, message, observed, key }, env.run));
  };
  if (landing && hostOf(landing.url) === canonical) {
    checkHsts(env, config, landing);
    const html = isHtml(landing) ? bodyText(landing) : '';
    const insecure = mixedContent(html);
    if (insecure.length > 0) {
      add('web/mixed-content', `${landing.url} loads ${insecure.length} resource(s) over http://, e.g. ${insecure[0].url}.`, { resources: insecure.slice(0, 20) });
    }
    await checkCaching(env, landing, html);
    const banner = versionBanner(landing);
    if (banner) add('web/version-banner', `${canonical} announces "${banner}".`, { header: banner });
    for (const issue of cookieIssues(landing)) {
      add('web/cookie-insecure', `The cookie ${issue.name} set by ${landing.url} lacks ${issue.missing.join(', ')}.`, { cookie: issue.name, missing: issue.missing }, url, canonical, issue.name);
    }
  }
  const appUrl = plan.appHost && plan.appHost !== canonical ? `https://${plan.appHost}/` : url;
  const app = appUrl === url ? landing : await finalResponse(env, appUrl);
  if (app) securityHeaders(env, app);

  const [git, securityTxt] = await Promise.all([
    env.fetcher.get(`https://${canonical}/.git/HEAD`, { maxBodyBytes: 4096 }),
    env.fetcher.get(`https://${canonical}/.well-known/security.txt`, { maxBodyBytes: 32 * 1024 }),
  ]);
  if (git.ok && git.status === 200 && /^(ref: refs\/|[0-9a-f]{40}\s*$)/.test(git.body.toString('utf8', 0, 200))) {
    add('web/git-exposed', `https://${canonical}/.git/HEAD answers with a git ref.`, { status: git.status }, git.url);
  }
  if (landing && !(securityTxt.ok && securityTxt.status === 200 && /^contact:/im.test(securityTxt.body.toString('utf8')))) {
    add('web/security-txt-missing', `https://${canonical}/.well-known/security.txt ${securityTxt.ok ? `answers ${securityTxt.status}${securityTxt.status === 200 ? ' without a Contact line' : ''}` : `could not be fetched (${securityTxt.message})`}.`, {}, securityTxt.url);
  }
}

function checkHsts(env: Env, config: LaunchConfig, landing: HttpResponse): void {
  const host = hostOf(landing.url);
  const hsts = parseHsts(landing);
  const add = (ruleId: string, message: string, key?: string): void => {
    env.findings.push(webFinding(ruleId, { host, subject: landing.url, message, observed: { header: hsts?.raw, count: hsts?.count }, evidence: hsts?.raw, key }, env.run));
  };
  if (!hsts) {
    add('web/hsts-missing', `${landing.url} sends no Strict-Transport-Security header.`);
    return;
  }
  const weak: string[] = [];
  if ((hsts.maxAge ?? 0) < HSTS_MIN_MAX_AGE) weak.push(`max-age is ${hsts.maxAge ?? 'missing'} (under one year, ${HSTS_MIN_MAX_AGE})`);
  if (!hsts.includeSubDomains) weak.push('includeSubDomains is missing');
  if (hsts.count > 1) weak.push(`${hsts.count} headers were sent (browsers read only the first)`);
  if (weak.length > 0) add('web/hsts-weak', `HSTS on ${host}: ${weak.join('; ')}.`);
  if (config.edge.hsts?.preload) {
    const gaps: string[] = [];
    if (!hsts.preload) gaps.push('the header lacks `preload`');
    if (!hsts.includeSubDomains) gaps.push('the header lacks includeSubDomains');
    if ((hsts.maxAge ?? 0) < HSTS_MIN_MAX_AGE) gaps.push('max-age is under one year');
    const httpChain = env.chains.find((chain) => chain.start === `http://${host}/`);
    const first = httpChain?.hops[1];
    if (httpChain && first && new URL(first.url).origin !== `https://${host}`) gaps.push(`http://${host}/ goes to ${new URL(first.url).origin} first, not https://${host}`);
    if (httpChain && httpChain.redirects > 3) gaps.push(`http://${host}/ takes ${httpChain.redirects} redirects (at most 3)`);
    if (gaps.length > 0) add('web/hsts-preload-not-ready', `launch.yaml asks for HSTS preload, but ${gaps.join('; ')}.`);
  }
}

function securityHeaders(env: Env, response: HttpResponse): void {
  const host = hostOf(response.url);
  const add = (ruleId: string, message: string): void => {
    env.findings.push(webFinding(ruleId, { host, subject: response.url, message, observed: { headers: pick(response, ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy']) } }, env.run));
  };
  if (!response.headers['content-security-policy']) add('web/header-csp-missing', `${response.url} sends no Content-Security-Policy.`);
  if (header(response, 'x-content-type-options')?.toLowerCase() !== 'nosniff') add('web/header-nosniff-missing', `${response.url} does not send X-Content-Type-Options: nosniff.`);
  if (!framingProtected(response)) add('web/header-frame-missing', `${response.url} sets neither X-Frame-Options nor CSP frame-ancestors.`);
  if (!header(response, 'referrer-policy')) add('web/header-referrer-missing', `${response.url} sends no Referrer-Policy.`);
}

function pick(response: HttpResponse, names: string[]): Record<string, string[]> {
  return Object.fromEntries(names.filter((name) => response.headers[name]).map((name) => [name, response.headers[name]]));
}

const TEXT_TYPES = /text\/|javascript|json|xml|svg/i;
const LONG_CACHE_SECONDS = 7 * 86_400;

async function checkCaching(env: Env, page: HttpResponse, html: string): Promise<void> {
  const check = (response: HttpResponse): void => {
    const host = hostOf(response.url);
    if (response.headers['set-cookie'] && sharedCacheable(response)) {
      env.findings.push(webFinding('web/cache-public-with-cookie', { host, subject: response.url, message: `${response.url} sets a cookie and allows shared caches to store it (Cache-Control: ${(response.headers['cache-control'] ?? []).join(', ')}).`, observed: { cacheControl: response.headers['cache-control'] } }, env.run));
    }
    const size = response.bodyTruncated ? Infinity : response.body.length;
    if (TEXT_TYPES.test(header(response, 'content-type') ?? '') && size >= 1024 && !header(response, 'content-encoding')) {
      env.findings.push(webFinding('web/compression-off', { host, subject: response.url, message: `${response.url} sends ${header(response, 'content-type')} uncompressed although the request accepted gzip and br.`, observed: { bytes: response.body.length, truncated: response.bodyTruncated } }, env.run));
    }
  };
  check(page);
  const assets = staticAssets(html, page.url);
  await Promise.all(
    assets.map(async (asset) => {
      const outcome = await env.fetcher.get(asset, { headers: { 'accept-encoding': 'gzip, br' }, maxBodyBytes: 64 * 1024 });
      if (!outcome.ok || outcome.status !== 200) return;
      check(outcome);
      const cache = cacheControl(outcome);
      const long = cache.directives.has('immutable') || (cache.maxAge ?? 0) >= LONG_CACHE_SECONDS || (cache.sMaxAge ?? 0) >= LONG_CACHE_SECONDS;
      if (!long || cache.directives.has('no-store') || cache.directives.has('no-cache')) {
        env.findings.push(webFinding('web/cache-static-short', { host: hostOf(asset), subject: asset, message: `${asset} is served with Cache-Control "${(outcome.headers['cache-control'] ?? ['none']).join(', ')}"; static assets should be cached for at least 7 days.`, observed: { cacheControl: outcome.headers['cache-control'] } }, env.run));
      }
    }),
  );
}

async function checkEdge(env: Env, plan: WebPlan, config: LaunchConfig): Promise<void> {
  const provider = config.edge.provider;
  if (!provider || provider === 'none') return;
  const ranges = (env.context.edgeRanges ?? DEFAULT_EDGE_RANGES)[provider];
  const recognise = EDGE_HEADERS[provider];
  await Promise.all(
    plan.proxiedHosts.map(async (host) => {
      let addresses: string[];
      try {
        addresses = await resolveAddresses(env.context.resolver, host, env.context.signal);
      } catch {
        return; // The DNS checks report names that do not resolve.
      }
      if (ranges) {
        const outside = addresses.filter((address) => !inRanges(address, ranges.cidrs));
        if (outside.length > 0) {
          env.findings.push(
            webFinding('web/edge-dns-only', {
              host,
              subject: host,
              message: `${host} is declared proxied by ${provider}, but resolves to ${outside.join(', ')}, outside ${provider}'s published ranges: the record is "DNS only" and the origin is exposed.`,
              observed: { addresses, outside, rangesSource: ranges.source, rangesRecorded: ranges.recorded },
            }, env.run),
          );
          return;
        }
      }
      if (ranges) await checkOrigin(env, host, (plan.origins[host] ?? []).filter((address) => !inRanges(address, ranges.cidrs)), provider);
      const chain = await walk(env, `https://${host}/`);
      const answered = chain.hops.find((hop) => hop.status !== undefined);
      const response = answered ? await env.fetcher.get(answered.url, { headers: { 'accept-encoding': 'gzip, br', accept: 'text/html,application/json;q=0.9,*/*;q=0.8' } }) : undefined;
      if (recognise && response?.ok && !recognise(response.headers)) {
        env.findings.push(
          webFinding('web/edge-not-detected', {
            host,
            subject: response.url,
            message: `${response.url} carries none of ${provider}'s response headers${ranges ? ' although it resolves inside its ranges' : ''}.`,
            observed: { addresses, headers: pick(response, ['server', 'via', 'cf-ray', 'x-cache']) },
          }, env.run),
        );
      }
    }),
  );
}

/** Asks each declared origin address for the host directly; any HTTP answer means the edge can be bypassed. */
async function checkOrigin(env: Env, host: string, origins: string[], provider: string): Promise<void> {
  const { context } = env;
  for (const origin of origins) {
    // The port mapping of --connect-to (tests, pre-cutover audits) still applies; only the address changes.
    const base = matchConnectTo(context.connectTo ?? [], host, 443);
    const client = createHttpClient({
      resolver: context.resolver,
      connectTo: [{ host, port: 443, address: origin, toPort: base?.toPort ?? 0 }],
      extraCaPem: context.extraCaPem,
      timeoutMs: context.timeoutMs,
      maxBodyBytes: 4096,
      signal: context.signal,
      allowedHosts: [host],
    });
    try {
      const outcome = await client.request(`https://${host}/`);
      if (outcome.ok) {
        env.findings.push(
          webFinding('web/origin-exposed', {
            host,
            subject: `https://${host}/`,
            message: `The origin ${origin} answers https://${host}/ directly (${outcome.status}), without going through ${provider}.`,
            observed: { origin, status: outcome.status },
            key: origin,
          }, env.run),
        );
      }
    } finally {
      await client.close();
    }
  }
}

async function checkPrivateHosts(env: Env, plan: WebPlan): Promise<void> {
  const hosts = [...new Set([...plan.privateHosts, ...plan.stagingHosts])];
  await Promise.all(
    hosts.map(async (host) => {
      let response: HttpResponse | undefined;
      for (const scheme of ['https', 'http']) {
        const outcome = await env.fetcher.get(`${scheme}://${host}/`, { maxBodyBytes: 16 * 1024 });
        if (outcome.ok) {
          response = outcome;
          break;
        }
        if (outcome.kind === 'dns') return; // Not in public DNS: nothing is exposed.
      }
      if (!response) return;
      const gated = response.status === 401 || response.status === 403 || response.headers['www-authenticate'] !== undefined || (response.status >= 300 && response.status < 400);
      if (plan.privateHosts.includes(host) && response.status >= 200 && response.status < 300 && !gated) {
        env.findings.push(
          webFinding('web/private-host-exposed', {
            host,
            subject: response.url,
            message: `${host} is declared private in launch.yaml but ${response.url} answers ${response.status} to anyone, with no WWW-Authenticate or access gate.`,
            observed: { status: response.status, address: response.target ? `${response.target.address}:${response.target.port}` : undefined },
          }, env.run),
        );
      }
      const robots = (response.headers['x-robots-tag'] ?? []).join(', ');
      if (plan.stagingHosts.includes(host) && response.status < 300 && !/noindex/i.test(robots)) {
        env.findings.push(
          webFinding('web/staging-indexable', {
            host,
            subject: response.url,
            message: `${response.url} (staging) answers ${response.status} without X-Robots-Tag: noindex.`,
            observed: { status: response.status, xRobotsTag: robots || undefined },
          }, env.run),
        );
      }
    }),
  );
}

async function checkLatency(env: Env, plan: WebPlan): Promise<LatencyReport[]> {
  const reports: LatencyReport[] = [];
  for (const target of plan.latency) {
    const host = hostOf(target.url);
    if (target.kind === 'health') {
      const first = await env.fetcher.get(target.url, { maxBodyBytes: 16 * 1024 });
      if (!first.ok || first.status < 200 || first.status >= 300) {
        env.findings.push(
          webFinding('web/health-failing', {
            host,
            subject: target.url,
            message: `The health endpoint ${target.url} ${first.ok ? `answers ${first.status}` : `failed: ${first.message}`}.`,
            observed: first.ok ? { status: first.status } : { kind: first.kind, code: first.code },
          }, env.run),
        );
        continue;
      }
    }
    const report = await sampleLatency(env.client, target.url, target.budgetP95Ms, { ...env.context.latency, signal: env.context.signal });
    reports.push(report);
    if (report.p95Ms !== undefined && report.p95Ms > target.budgetP95Ms) {
      env.findings.push(
        webFinding('web/latency-over-budget', {
          host,
          subject: target.url,
          message: `${target.url}: p95 ${Math.round(report.p95Ms)} ms over ${report.samples - report.failures} samples, above the ${target.budgetP95Ms} ms budget (p50 ${Math.round(report.p50Ms ?? 0)} ms, p99 ${Math.round(report.p99Ms ?? 0)} ms).`,
          observed: { ...report },
        }, env.run),
      );
    }
  }
  return reports;
}
