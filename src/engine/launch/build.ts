import { isIP } from 'node:net';
import { displayHost, isWithin, normalizeHost, normalizeWebUrl } from './domains';
import {
  DEFAULT_API_P95_MS,
  DEFAULT_PAGE_P95_MS,
  DEFAULT_REDIRECT_STATUS,
  OWNED_ACCOUNTS,
  type AccountOwner,
  type DmarcIntent,
  type HostName,
  type LaunchConfig,
  type OwnersConfig,
  type Redirect,
  type Subdomain,
  type WebUrl,
} from './model';
import { displayPath, shown, type Issue } from './validate';

// Turns the schema-checked plain value into the LaunchConfig the checks read, and adds the rules a
// schema cannot say: names under the primary domain, CNAME exclusivity, redirect loops, dates
// relative to today.

type Raw = Record<string, unknown>;

const HSTS_PRELOAD_MIN_AGE = 31_536_000;

function obj(value: unknown): Raw {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}
function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}
function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}
function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

// Values reaching here already passed their format check, so normalising cannot fail.
function host(value: string): HostName {
  const result = normalizeHost(value, { allowWildcard: true, allowUnderscore: true, allowSingleLabel: true });
  if (!result.ok) throw new Error(`host should have been validated: ${result.reason}`);
  return result.host;
}
function url(value: string): WebUrl {
  const result = normalizeWebUrl(value);
  if (!result.ok) throw new Error(`URL should have been validated: ${result.reason}`);
  return result.url;
}
function hosts(value: unknown): HostName[] {
  return list(value).filter((v): v is string => typeof v === 'string').map(host);
}
function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === 'string');
}

export function buildConfig(value: unknown, today: string): { config?: LaunchConfig; issues: Issue[] } {
  const issues: Issue[] = [];
  const root = obj(value);
  const app = obj(root.app);
  const name = str(app.name);
  const stage = str(app.stage) as LaunchConfig['app']['stage'] | undefined;

  // Every section is built (and checked) even when `app` is broken, so one mistake does not hide the others.
  const config: LaunchConfig = {
    version: 1,
    app: { name: name ?? '', stage: stage ?? 'idea', description: str(app.description), repository: str(app.repository), launchDate: str(app.launchDate) },
    domain: buildDomain(obj(root.domain), issues),
    edge: {},
    email: undefined,
    deploy: {},
    environments: [],
    monitoring: { uptime: [], alerts: [] },
    owners: { other: {} },
    latency: { apiP95Ms: DEFAULT_API_P95_MS, pageP95Ms: DEFAULT_PAGE_P95_MS, endpoints: [] },
    attestations: [],
    acceptedRisks: [],
  };

  const edge = obj(root.edge);
  config.edge = { provider: str(edge.provider) as LaunchConfig['edge']['provider'], tlsMode: str(edge.tlsMode) as LaunchConfig['edge']['tlsMode'] };
  if (edge.hsts !== undefined) {
    const hsts = obj(edge.hsts);
    config.edge.hsts = { maxAge: num(hsts.maxAge), includeSubDomains: bool(hsts.includeSubDomains) ?? false, preload: bool(hsts.preload) ?? false };
    if (config.edge.hsts.preload && (!config.edge.hsts.includeSubDomains || (config.edge.hsts.maxAge ?? HSTS_PRELOAD_MIN_AGE) < HSTS_PRELOAD_MIN_AGE)) {
      issues.push({
        ruleId: 'launch/hsts-preload-needs-subdomains',
        path: ['edge', 'hsts', 'preload'],
        part: 'value',
        message: 'HSTS preload needs `includeSubDomains: true` and a `maxAge` of at least 31536000 (one year).',
      });
    }
  }

  if (root.email !== undefined) config.email = buildEmail(obj(root.email));

  const deploy = obj(root.deploy);
  const healthUrl = str(deploy.healthUrl);
  config.deploy = {
    platform: str(deploy.platform),
    pipeline: str(deploy.pipeline),
    healthUrl: healthUrl === undefined ? undefined : url(healthUrl),
    releaseCommand: str(deploy.releaseCommand),
    rollbackCommand: str(deploy.rollbackCommand),
    rollbackMinutes: num(deploy.rollbackMinutes),
  };

  for (const [envName, envValue] of Object.entries(obj(root.environments))) {
    const env = obj(envValue);
    const envUrl = str(env.url);
    config.environments.push({
      name: envName,
      files: strings(env.files),
      required: strings(env.required),
      url: envUrl === undefined ? undefined : url(envUrl),
      secretsStore: str(env.secretsStore),
    });
  }

  const monitoring = obj(root.monitoring);
  const statusPage = str(monitoring.statusPage);
  config.monitoring = {
    provider: str(monitoring.provider),
    uptime: strings(monitoring.uptime).map(url),
    statusPage: statusPage === undefined ? undefined : url(statusPage),
    alerts: list(monitoring.alerts).map(obj).map((alert) => ({
      name: str(alert.name) ?? '',
      notify: str(alert.notify) ?? '',
      severity: (str(alert.severity) ?? 'critical') as 'critical' | 'warning' | 'info',
      runbook: str(alert.runbook),
    })).filter((alert) => alert.name && alert.notify),
  };

  config.owners = buildOwners(obj(root.owners));

  const latency = obj(root.latency);
  config.latency = {
    apiP95Ms: num(latency.apiP95Ms) ?? DEFAULT_API_P95_MS,
    pageP95Ms: num(latency.pageP95Ms) ?? DEFAULT_PAGE_P95_MS,
    endpoints: list(latency.endpoints)
      .map(obj)
      .filter((e) => typeof e.url === 'string' && typeof e.p95Ms === 'number')
      .map((e) => ({ url: url(e.url as string), p95Ms: e.p95Ms as number })),
  };

  for (const [item, attestationValue] of Object.entries(obj(root.attestations))) {
    const attestation = obj(attestationValue);
    const by = str(attestation.by);
    const date = str(attestation.date);
    if (by === undefined || date === undefined) continue;
    const evidence = str(attestation.evidence);
    const notApplicable = str(attestation.notApplicable);
    if (evidence === undefined && notApplicable === undefined) {
      issues.push({ ruleId: 'launch/missing-evidence', path: ['attestations', item], part: 'key', message: `The attestation for ${item} has no \`evidence\` (or \`notApplicable\` with a reason).` });
    }
    if (date > today) {
      issues.push({ ruleId: 'launch/future-date', path: ['attestations', item, 'date'], part: 'value', message: `The attestation for ${item} is dated ${date}, after today (${today}).` });
    }
    config.attestations.push({ item, by, date, evidence, notApplicable, note: str(attestation.note) });
  }

  list(root.acceptedRisks).forEach((riskValue, index) => {
    const risk = obj(riskValue);
    const text = str(risk.risk);
    const acceptedBy = str(risk.acceptedBy);
    const until = str(risk.until);
    if (text === undefined || acceptedBy === undefined || until === undefined) return;
    const expired = until < today;
    if (expired) {
      issues.push({
        ruleId: 'launch/expired-acceptance',
        path: ['acceptedRisks', index, 'until'],
        part: 'value',
        message: `The acceptance of ${shown(text)} by ${shown(acceptedBy)} ran out on ${until}; the risk counts as open again.`,
      });
    }
    config.acceptedRisks.push({ risk: text, item: str(risk.item), rule: str(risk.rule), acceptedBy, until, mitigation: str(risk.mitigation), expired });
  });

  return { config: name === undefined || stage === undefined ? undefined : config, issues };

  function buildDomain(domain: Raw, out: Issue[]): LaunchConfig['domain'] {
    const primaryText = str(domain.primary);
    const primary = primaryText === undefined ? undefined : host(primaryText);
    // Without a valid primary host, relative names cannot be placed; their own checks still run.
    const apex = primary ? (primary.registrableDomain ?? primary.name) : undefined;

    const redirects: Redirect[] = [];
    list(domain.redirects).forEach((redirectValue, index) => {
      const redirect = obj(redirectValue);
      const from = str(redirect.from);
      const to = str(redirect.to);
      if (from === undefined || to === undefined) return;
      const fromUrl = from.includes('://') ? url(from) : undefined;
      // A URL may name its host by IP address (`http://203.0.113.5/`); that is its host then.
      const urlHost = fromUrl?.host.replace(/^\[|\]$/g, '');
      const fromHost = urlHost !== undefined ? (isIP(urlHost) ? { name: urlHost, input: urlHost } : host(urlHost)) : host(from);
      const target = url(to);
      const path = ['domain', 'redirects', index];
      if (!primary) return;
      const fromIsWholeHost = !fromUrl || new URL(fromUrl.href).pathname === '/';
      // `http://www.acme.com` → `https://www.acme.com` is the HTTPS upgrade every site needs, not a detour.
      const httpsUpgrade = fromUrl !== undefined && fromUrl.href.startsWith('http:') && target.href.startsWith('https:') && target.host === fromHost.name;
      if (fromHost.name === primary.name && fromIsWholeHost && !httpsUpgrade) {
        out.push({ ruleId: 'launch/primary-redirected', path: [...path, 'from'], part: 'value', message: `The primary host ${primary.input} is redirected away; customers could never land on it.` });
      } else if (fromUrl ? fromUrl.href === target.href : fromHost.name === target.host) {
        out.push({ ruleId: 'launch/redirect-loop', path: [...path, 'to'], part: 'value', message: `The redirect from ${shown(from)} leads back to the same ${fromUrl ? 'URL' : 'host'}.` });
      }
      redirects.push({
        from: { host: fromHost, url: fromUrl },
        to: target,
        status: (num(redirect.status) ?? DEFAULT_REDIRECT_STATUS) as Redirect['status'],
        preservePath: bool(redirect.preservePath) ?? true,
      });
    });

    const subdomains: Subdomain[] = [];
    for (const [key, entryValue] of Object.entries(obj(domain.subdomains))) {
      const entry = obj(entryValue);
      const path = ['domain', 'subdomains', key];
      const a = strings(entry.a);
      const aaaa = strings(entry.aaaa);
      const cnameText = str(entry.cname);
      if (cnameText !== undefined && (a.length > 0 || aaaa.length > 0)) {
        out.push({ ruleId: 'launch/cname-with-address', path: [...path, 'cname'], part: 'key', message: `${displayPath(path)} has both a CNAME and addresses; DNS allows only one of them.` });
      }
      if (apex === undefined) continue;
      const fullName = key === '@' ? apex : key.includes('.') ? key : `${key}.${apex}`;
      const normalized = normalizeHost(fullName, { allowWildcard: true, allowUnderscore: true, allowSingleLabel: true });
      if (!normalized.ok) {
        // The key was a valid name on its own; with the domain appended it may not be (too long).
        out.push({ ruleId: 'launch/invalid-host', path, part: 'key', message: `${shown(key)} under ${displayHost(apex)} ${normalized.reason}.` });
        continue;
      }
      const name = normalized.host;
      if (!isWithin(name.name, apex)) {
        out.push({
          ruleId: 'launch/subdomain-outside-domain',
          path,
          part: 'key',
          message: `${shown(key)} is not under ${displayHost(apex)}, the primary host's domain; write a label (\`api\`) or a full name under it.`,
        });
      }
      if (cnameText !== undefined && a.length === 0 && aaaa.length === 0 && name.name === apex) {
        out.push({ ruleId: 'launch/cname-at-apex', path: [...path, 'cname'], part: 'key', message: `${displayHost(apex)} is the zone apex, where a plain CNAME breaks MX and TXT records.` });
      }
      subdomains.push({
        key,
        host: name,
        a,
        aaaa,
        cname: cnameText === undefined ? undefined : host(cnameText),
        public: bool(entry.public) ?? true,
        proxied: bool(entry.proxied) ?? false,
        purpose: str(entry.purpose),
      });
    }
    if (!primary) return undefined;
    return { primary, redirects, subdomains, certificateAuthorities: hosts(domain.certificateAuthorities), dnssec: bool(domain.dnssec) };
  }
}

function buildDmarc(value: unknown): DmarcIntent | undefined {
  const dmarc = obj(value);
  const policy = str(dmarc.policy) as DmarcIntent['policy'] | undefined;
  if (policy === undefined) return undefined;
  return {
    policy,
    subdomainPolicy: str(dmarc.subdomainPolicy) as DmarcIntent['policy'] | undefined,
    reportTo: strings(dmarc.reportTo).map((address) => address.replace(/^mailto:/i, '')),
  };
}

function buildEmail(email: Raw): NonNullable<LaunchConfig['email']> {
  const dmarc = buildDmarc(email.dmarc);
  return {
    receivesMail: bool(email.receivesMail),
    inboxes: strings(email.inboxes),
    dmarc,
    nonSendingDomains: hosts(email.nonSendingDomains),
    bulkSender: bool(email.bulkSender) ?? false,
    senders: list(email.senders)
      .map(obj)
      .filter((sender) => typeof sender.domain === 'string' && typeof sender.provider === 'string')
      .map((sender) => ({
        domain: host(sender.domain as string),
        provider: sender.provider as string,
        spfIncludes: hosts(sender.spfIncludes),
        dkimSelectors: strings(sender.dkimSelectors),
        returnPath: typeof sender.returnPath === 'string' ? host(sender.returnPath) : undefined,
        dmarc: buildDmarc(sender.dmarc) ?? dmarc,
      })),
  };
}

function owner(value: unknown): AccountOwner | undefined {
  if (typeof value === 'string') return { owner: value };
  if (!value || typeof value !== 'object') return undefined;
  const raw = value as Raw;
  return { provider: str(raw.provider), owner: str(raw.owner), billing: str(raw.billing), twoFactor: str(raw.twoFactor), recovery: str(raw.recovery), note: str(raw.note) };
}

function buildOwners(raw: Raw): OwnersConfig {
  const owners: OwnersConfig = { other: {} };
  for (const account of OWNED_ACCOUNTS) {
    const found = owner(raw[account]);
    if (found) owners[account] = found;
  }
  for (const [name, value] of Object.entries(obj(raw.other))) {
    const found = owner(value);
    if (found) owners.other[name] = found;
  }
  return owners;
}
