import type { Finding } from '../model';
import type { HttpClient, HttpFailure, HttpOutcome, HttpRequestOptions, HttpResponse } from '../net/http-client';
import { webFinding, type RunInfo } from './rules';

// Redirect chains walked hop by hop (the client never follows by itself), with every hop kept for
// the report. Each URL is fetched at most once per audit, so the same chain reads the same in
// every check that starts from it and the request count stays bounded.

export const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const PERMANENT = new Set([301, 308]);

export interface Hop {
  url: string;
  status?: number;
  location?: string;
  failure?: { kind: HttpFailure['kind']; message: string; code?: string };
  elapsedMs: number;
}

export type ChainEnd = 'final' | 'loop' | 'too-many' | 'dead-end' | 'invalid-location' | 'offsite' | 'unreachable';

export interface Chain {
  start: string;
  hops: Hop[];
  end: ChainEnd;
  /** The answer the chain ended with, when it ended with one. */
  final?: HttpResponse;
  /** Where the chain ended (or was going when it stopped). */
  endUrl: string;
  redirects: number;
}

/** Far above what any launch.yaml needs (a few dozen hosts × a few URLs), far below a runaway. */
export const DEFAULT_MAX_REQUESTS = 500;

/** GETs each URL once per audit, hands every caller the same outcome, and stops at a request budget. */
export class Fetcher {
  private readonly cache = new Map<string, Promise<HttpOutcome>>();
  requestCount = 0;

  constructor(
    readonly client: HttpClient,
    readonly maxRequests = DEFAULT_MAX_REQUESTS,
  ) {}

  get(url: string, options: HttpRequestOptions = {}): Promise<HttpOutcome> {
    const key = `${options.method ?? 'GET'} ${url} ${JSON.stringify(options.headers ?? {})}`;
    let pending = this.cache.get(key);
    if (!pending) {
      if (this.client.isAllowed(hostOf(url))) {
        if (this.requestCount >= this.maxRequests) {
          return Promise.resolve({ ok: false, url, kind: 'error', message: `not sent: this audit's budget of ${this.maxRequests} requests is used up`, elapsedMs: 0 });
        }
        this.requestCount++;
      }
      pending = this.client.request(url, options);
      this.cache.set(key, pending);
    }
    return pending;
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

const ACCEPT = { 'accept-encoding': 'gzip, br', accept: 'text/html,application/json;q=0.9,*/*;q=0.8' };

export async function walkChain(fetcher: Fetcher, start: string, maxRedirects = MAX_REDIRECTS): Promise<Chain> {
  const hops: Hop[] = [];
  const visited = new Set<string>();
  let url = start;
  let redirects = 0;
  const done = (end: ChainEnd, final?: HttpResponse): Chain => ({ start, hops, end, final, endUrl: url, redirects });
  for (;;) {
    if (visited.has(url)) return done('loop');
    visited.add(url);
    const outcome = await fetcher.get(url, { headers: ACCEPT });
    if (!outcome.ok) {
      if (outcome.kind === 'not-allowed') return done('offsite');
      hops.push({ url, failure: { kind: outcome.kind, message: outcome.message, code: outcome.code }, elapsedMs: outcome.elapsedMs });
      return done(redirects === 0 ? 'unreachable' : 'dead-end');
    }
    const location = outcome.headers.location?.[0];
    hops.push({ url, status: outcome.status, location, elapsedMs: outcome.elapsedMs });
    if (!REDIRECT_STATUSES.has(outcome.status)) return done(outcome.status >= 400 && redirects > 0 ? 'dead-end' : 'final', outcome);
    if (location === undefined || location.trim() === '') return done('invalid-location', outcome);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return done('invalid-location', outcome);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') return done('invalid-location', outcome);
    redirects++;
    if (redirects > maxRedirects) return done('too-many', outcome);
    url = next.href;
  }
}

export interface ChainExpectation {
  /** 301/308 belong here (canonical host, HTTPS upgrade, a declared permanent move). */
  permanent: boolean;
  /** Why the chain was walked, for messages: "the redirect from acme.com", "HTTPS upgrade of …". */
  purpose: string;
}

export function chainObserved(chain: Chain): Record<string, unknown> {
  const last = chain.hops[chain.hops.length - 1];
  return { chain: chain.hops.map((hop) => ({ ...hop })), end: chain.end, endUrl: chain.endUrl, redirects: chain.redirects, failed: last?.failure !== undefined };
}

/** The findings every chain can have, whatever it was walked for. */
export function chainFindings(chain: Chain, expectation: ChainExpectation, run: RunInfo): Finding[] {
  const host = hostOf(chain.start);
  const observed = chainObserved(chain);
  const shown = chain.hops.map((hop) => `${hop.url} → ${hop.status ?? hop.failure?.kind}`).join(', ');
  const findings: Finding[] = [];
  // Findings about one hop are keyed by that hop's URL, so chains that share it report it once.
  const add = (ruleId: string, message: string, severity?: Finding['severity'], at = chain.start): void => {
    findings.push(webFinding(ruleId, { host: hostOf(at) || host, subject: at, message, observed, evidence: shown, severity }, run));
  };
  switch (chain.end) {
    case 'loop':
      add('web/redirect-loop', `${expectation.purpose}: ${chain.start} loops back to ${chain.endUrl} after ${chain.redirects} redirect(s).`, undefined, chain.endUrl);
      break;
    case 'too-many':
      add('web/redirect-too-many', `${expectation.purpose}: ${chain.start} did not settle within ${MAX_REDIRECTS} redirects.`);
      break;
    case 'dead-end': {
      const last = chain.hops[chain.hops.length - 1];
      add('web/redirect-dead-end', `${expectation.purpose}: ${chain.start} leads to ${last.url}, which ${last.failure ? `failed (${last.failure.message})` : `answers ${last.status}`}.`, undefined, last.url);
      break;
    }
    case 'invalid-location': {
      const last = chain.hops[chain.hops.length - 1];
      add('web/redirect-invalid-location', `${last.url} answers ${last.status} with ${last.location === undefined ? 'no Location header' : `an unusable Location "${last.location.slice(0, 200)}"`}.`, undefined, last.url);
      break;
    }
    case 'offsite':
      add('web/redirect-offsite', `${chain.hops[chain.hops.length - 1]?.url ?? chain.start} redirects to ${chain.endUrl}, a host launch.yaml does not name; it was not followed.`, undefined, chain.hops[chain.hops.length - 1]?.url ?? chain.start);
      break;
    default:
      break;
  }
  const redirectHops = chain.hops.filter((hop) => hop.status !== undefined && REDIRECT_STATUSES.has(hop.status));
  for (const [index, hop] of chain.hops.entries()) {
    const next = chain.hops[index + 1]?.url ?? (chain.end === 'offsite' ? chain.endUrl : undefined);
    if (hop.url.startsWith('https:') && next?.startsWith('http:')) {
      add('web/redirect-downgrade', `${hop.url} redirects to ${next}, back to plain http://.`, undefined, hop.url);
      break;
    }
  }
  // http://host → https://host first is what HSTS needs (and the preload list demands), so that hop is not counted as a detour.
  const upgradeFirst = chain.hops.length > 1 && chain.hops[0].url.startsWith('http:') && chain.hops[1].url === chain.hops[0].url.replace(/^http:/, 'https:');
  const detours = chain.redirects - (upgradeFirst ? 1 : 0);
  if (detours > 1 && chain.end !== 'too-many' && chain.end !== 'loop') {
    add('web/redirect-chain-long', `${expectation.purpose}: ${chain.start} takes ${chain.redirects} redirects to reach ${chain.endUrl}.`);
  }
  if (expectation.permanent) {
    for (const hop of redirectHops.filter((candidate) => !PERMANENT.has(candidate.status ?? 0))) {
      add('web/redirect-temporary', `${expectation.purpose}: ${hop.url} answers ${hop.status}, a temporary redirect where a permanent one (301/308) belongs.`, undefined, hop.url);
    }
  }
  return findings;
}
