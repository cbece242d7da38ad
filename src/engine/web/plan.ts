import type { LaunchConfig, Redirect } from '../launch/model';
import { DEFAULT_API_P95_MS, DEFAULT_PAGE_P95_MS } from '../launch/model';

// What launch.yaml asks the live web checks to look at, and nothing more: the hosts it names are
// the only ones any request may go to.

export interface LatencyTarget {
  url: string;
  budgetP95Ms: number;
  kind: 'health' | 'api' | 'page';
}

export interface WebPlan {
  canonical?: string;
  /** Hosts that should serve the site or app over HTTPS (certificates, http→https, chains). */
  webHosts: string[];
  /** Hosts that should send visitors to the canonical one (apex/www counterpart, redirect sources). */
  nonCanonical: string[];
  privateHosts: string[];
  stagingHosts: string[];
  proxiedHosts: string[];
  /** Origin addresses launch.yaml declares for proxied hosts (their A/AAAA values). */
  origins: Record<string, string[]>;
  /** Where the security headers matter most: `app.` when declared, else the canonical host. */
  appHost?: string;
  redirects: Redirect[];
  healthUrl?: string;
  latency: LatencyTarget[];
  /** Every host launch.yaml names; the client refuses all others. */
  allowedHosts: string[];
}

// Names that carry mail or infrastructure, not a website: checking HTTPS on them would only add noise.
const NOT_WEB = /^(mail|smtp|imap|pop3?|mx[0-9]*|autodiscover|autoconfig|ns[0-9]*|vpn|ftp|sftp|ssh)$/;
const STAGING = /(^|[.-])(staging|stage|preview|dev|test|qa|uat)([.-]|$)/;
const API_PATH = /^\/(api|health|healthz|status|v[0-9]+)(\/|$)/;

function hostOfUrl(href: string): string | undefined {
  try {
    return new URL(href).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

export function planWebChecks(config: LaunchConfig): WebPlan {
  const domain = config.domain;
  const canonical = domain?.primary.name;
  const web = new Set<string>();
  const allowed = new Set<string>();
  const privateHosts: string[] = [];
  const staging = new Set<string>();
  const proxied: string[] = [];
  const origins: Record<string, string[]> = {};
  const nonCanonical = new Set<string>();
  if (canonical) web.add(canonical);
  const apex = domain ? (domain.primary.registrableDomain ?? domain.primary.name) : undefined;
  for (const subdomain of domain?.subdomains ?? []) {
    const name = subdomain.host.name;
    allowed.add(name);
    const label = subdomain.key === '@' ? '' : subdomain.key.split('.')[0];
    const labels = name === apex ? '' : apex && name.endsWith(`.${apex}`) ? name.slice(0, -apex.length - 1) : name;
    if (STAGING.test(labels)) staging.add(name);
    if (!subdomain.public) {
      privateHosts.push(name);
      continue;
    }
    if (subdomain.proxied) {
      proxied.push(name);
      if (subdomain.a.length + subdomain.aaaa.length > 0) origins[name] = [...subdomain.a, ...subdomain.aaaa];
    }
    if (!NOT_WEB.test(label)) web.add(name);
  }
  for (const redirect of domain?.redirects ?? []) {
    web.add(redirect.from.host.name);
    const target = hostOfUrl(redirect.to.href);
    if (target) web.add(target);
    if (redirect.from.host.name !== canonical) nonCanonical.add(redirect.from.host.name);
  }
  if (canonical && apex) {
    const counterpart = canonical === apex ? `www.${apex}` : canonical === `www.${apex}` ? apex : undefined;
    if (counterpart && web.has(counterpart)) nonCanonical.add(counterpart);
  }
  const latency: LatencyTarget[] = [];
  const healthUrl = config.deploy.healthUrl?.href;
  if (healthUrl) latency.push({ url: healthUrl, budgetP95Ms: config.latency.apiP95Ms ?? DEFAULT_API_P95_MS, kind: 'health' });
  for (const endpoint of config.latency.endpoints) {
    if (!latency.some((target) => target.url === endpoint.url.href)) latency.push({ url: endpoint.url.href, budgetP95Ms: endpoint.p95Ms, kind: 'api' });
  }
  for (const uptime of config.monitoring.uptime) {
    if (latency.some((target) => target.url === uptime.href)) continue;
    const api = API_PATH.test(new URL(uptime.href).pathname);
    latency.push({ url: uptime.href, budgetP95Ms: api ? config.latency.apiP95Ms : config.latency.pageP95Ms ?? DEFAULT_PAGE_P95_MS, kind: api ? 'api' : 'page' });
  }
  for (const environment of config.environments) {
    const host = environment.url ? hostOfUrl(environment.url.href) : undefined;
    if (!host) continue;
    allowed.add(host);
    if (STAGING.test(environment.name)) staging.add(host);
  }
  const urls = [healthUrl, ...latency.map((target) => target.url), config.monitoring.statusPage?.href].filter((url): url is string => url !== undefined);
  for (const url of urls) {
    const host = hostOfUrl(url);
    if (host) allowed.add(host);
  }
  for (const host of web) allowed.add(host);
  const appSubdomain = domain?.subdomains.find((subdomain) => subdomain.key === 'app' && subdomain.public);
  return {
    canonical,
    webHosts: [...web],
    nonCanonical: [...nonCanonical],
    privateHosts,
    stagingHosts: [...staging],
    proxiedHosts: proxied,
    origins,
    appHost: appSubdomain?.host.name ?? canonical,
    redirects: domain?.redirects ?? [],
    healthUrl,
    latency,
    allowedHosts: [...allowed],
  };
}
