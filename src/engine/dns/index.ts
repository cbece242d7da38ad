import { isIP } from 'node:net';
import { displayHost, isWithin } from '../launch/domains';
import type { LaunchConfig, Subdomain } from '../launch/model';
import type { Finding } from '../model';
import type { DnsRecord, DnsResolver, LookupResult, LookupStatus, RecordType } from '../net/dns-types';
import { caaDomainsForIssuer, CERTIFICATE_AUTHORITIES, dnsProviderFor, isSameProvider, takeoverServiceFor } from './providers';
import { dnsFinding } from './rules';

// The live DNS half of the audit: what launch.yaml says the domain looks like, checked against
// what DNS answers. Every lookup goes through the audit's resolver (cached and bounded by the
// caller), runs concurrently, and a failed lookup becomes "could not verify", never "missing".

export { DNS_RULES, dnsRule } from './rules';
export { DNS_PROVIDERS, TAKEOVER_SERVICES, CERTIFICATE_AUTHORITIES, dnsProviderFor, takeoverServiceFor, caaDomainsForIssuer } from './providers';

export interface DnsCheckContext {
  resolver: DnsResolver;
  /** Issuer organisations of the certificates in use (from a TLS probe), so CAA can be checked against them. */
  issuerOrganisations?: readonly string[];
}

export type HostRole = 'apex' | 'www' | 'primary' | 'subdomain';

/** What one host resolved to: the DNS map the handover document shows. */
export interface HostResolution {
  host: string;
  role: HostRole;
  /** Declared `public: false` in launch.yaml. */
  private: boolean;
  proxied: boolean;
  status: 'resolves' | 'no-address' | 'nxdomain' | 'dangling' | 'unverified';
  addresses: string[];
  /** CNAME targets followed from the host, in order. */
  cnames: string[];
  /** The lowest TTL among the records read. */
  ttl?: number;
  records: string[];
}

export interface CaaResult {
  host: string;
  /** Where the relevant CAA set was found by the tree climb; undefined when none was. */
  foundAt?: string;
  /** CAA `issue` domains allowed; empty with `foundAt` set means no CA may issue. */
  issuers: string[];
  /** The set has no `issue` property, so it restricts nothing. */
  unrestricted: boolean;
  /** Tags flagged critical (128) that CAs do not know: they forbid issuance altogether. */
  unknownCritical: string[];
  records: string[];
}

export type DnssecStatus = 'signed' | 'signed-unvalidated' | 'unsigned' | 'unknown';

export interface DnsFacts {
  domain?: string;
  nameservers: { host: string; provider?: string }[];
  dnssec: DnssecStatus;
  hosts: HostResolution[];
  caa: CaaResult[];
}

export interface DnsReport {
  findings: Finding[];
  facts: DnsFacts;
}

const LOW_TTL = 60;
const HIGH_TTL = 86_400;
const KNOWN_CAA_TAGS = new Set(['issue', 'issuewild', 'iodef', 'contactemail', 'contactphone', 'issuemail', 'issuevmc']);

function isUnverifiable(status: LookupStatus): boolean {
  return status === 'servfail' || status === 'refused' || status === 'timeout' || status === 'error';
}

async function safeLookup(resolver: DnsResolver, name: string, type: RecordType): Promise<LookupResult> {
  try {
    return await resolver.lookup(name, type);
  } catch (error) {
    return { name, type, status: 'error', records: [], raw: [], detail: error instanceof Error ? error.message : String(error) };
  }
}

function couldNotVerify(lookup: LookupResult, what: string): Finding {
  return dnsFinding('dns/could-not-verify', {
    host: lookup.name,
    subject: lookup.type,
    message: `Could not verify ${what}: the ${lookup.type} lookup for ${displayHost(lookup.name)} ended with ${lookup.status}${lookup.detail ? ` (${lookup.detail})` : ''}.`,
    records: lookup.raw,
    key: what,
    extra: { status: lookup.status, server: lookup.server },
  });
}

function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}

function minTtl(records: readonly DnsRecord[]): number | undefined {
  return records.length === 0 ? undefined : Math.min(...records.map((record) => record.ttl));
}

/** Private, loopback, link-local and unique-local addresses: names internal infrastructure, reaches nothing from outside. */
function isInternalAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number);
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const lower = address.toLowerCase();
  return lower === '::1' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80:');
}

interface HostPlan {
  host: string;
  role: HostRole;
  entry?: Subdomain;
  /** www matters more when launch.yaml names it (primary, redirect source, declared). */
  declared: boolean;
}

function planHosts(config: LaunchConfig): { domain?: string; hosts: HostPlan[] } {
  const domain = config.domain;
  if (!domain) return { hosts: [] };
  const apex = domain.primary.registrableDomain ?? domain.primary.name;
  const byHost = new Map<string, HostPlan>();
  const entryFor = (host: string) => domain.subdomains.find((subdomain) => subdomain.host.name === host);
  const redirectSources = new Set(domain.redirects.map((redirect) => redirect.from.host.name));
  const add = (host: string, role: HostRole, declared: boolean) => {
    if (host.startsWith('*.') || byHost.has(host)) return;
    byHost.set(host, { host, role, entry: entryFor(host), declared });
  };
  add(apex, 'apex', true);
  const www = `www.${apex}`;
  add(www, 'www', domain.primary.name === www || redirectSources.has(www) || entryFor(www) !== undefined);
  add(domain.primary.name, 'primary', true);
  for (const subdomain of domain.subdomains) add(subdomain.host.name, 'subdomain', true);
  for (const source of redirectSources) if (isWithin(source, apex)) add(source, 'subdomain', true);
  return { domain: apex, hosts: [...byHost.values()] };
}

export async function checkDns(config: LaunchConfig, context: DnsCheckContext): Promise<DnsReport> {
  const findings: Finding[] = [];
  const { domain, hosts } = planHosts(config);
  const facts: DnsFacts = { domain, nameservers: [], dnssec: 'unknown', hosts: [], caa: [] };
  if (!domain || !config.domain) return { findings, facts };
  const resolver = context.resolver;

  const [resolutions, delegation] = await Promise.all([
    Promise.all(hosts.map((plan) => resolveHost(resolver, plan, findings))),
    checkDelegation(resolver, config, domain, findings),
  ]);
  facts.hosts = resolutions;
  facts.nameservers = delegation.nameservers;
  facts.dnssec = delegation.dnssec;

  // Certificates are needed where browsers go: hosts that resolve and are public.
  const certificateHosts = resolutions.filter((resolution) => resolution.status === 'resolves' && !resolution.private).map((resolution) => resolution.host);
  facts.caa = await checkCaa(resolver, config, context, domain, certificateHosts, findings);
  return { findings, facts };
}

async function resolveHost(resolver: DnsResolver, plan: HostPlan, findings: Finding[]): Promise<HostResolution> {
  const [a, aaaa] = await Promise.all([safeLookup(resolver, plan.host, 'A'), safeLookup(resolver, plan.host, 'AAAA')]);
  const entry = plan.entry;
  const records = [...a.records, ...aaaa.records.filter((record) => record.type !== 'CNAME')];
  const raw = unique([...a.raw, ...aaaa.raw]);
  const addresses = records.flatMap((record) => (record.type === 'A' || record.type === 'AAAA' ? [record.address] : []));
  const cnames = unique([...a.records, ...aaaa.records].flatMap((record) => (record.type === 'CNAME' ? [record.target.toLowerCase()] : [])));
  const resolution: HostResolution = {
    host: plan.host,
    role: plan.role,
    private: entry?.public === false,
    proxied: entry?.proxied ?? false,
    status: 'resolves',
    addresses,
    cnames,
    ttl: minTtl(records),
    records: raw,
  };
  const shown = displayHost(plan.host);

  if (addresses.length === 0) {
    const failed = [a, aaaa].find((lookup) => isUnverifiable(lookup.status));
    if (failed) {
      resolution.status = 'unverified';
      findings.push(couldNotVerify(failed, `that ${shown} resolves`));
      return resolution;
    }
    const target = cnames.at(-1);
    if (target) {
      resolution.status = 'dangling';
      const service = takeoverServiceFor(target);
      const missing = a.status === 'nxdomain' ? 'does not exist (NXDOMAIN)' : 'has no A or AAAA record';
      findings.push(
        dnsFinding('dns/dangling-cname', {
          host: plan.host,
          subject: 'CNAME',
          message: `${shown} is a CNAME to ${target}, which ${missing}${service ? `: a ${service.service} name anyone may be able to claim, which would serve their content on your domain` : ''}.`,
          records: raw,
          extra: { target, status: a.status, ...(service ? { service: service.service } : {}) },
        }),
      );
      return resolution;
    }
    resolution.status = a.status === 'nxdomain' && aaaa.status === 'nxdomain' ? 'nxdomain' : 'no-address';
    if (resolution.private) return resolution;
    const why = resolution.status === 'nxdomain' ? 'does not exist (NXDOMAIN)' : 'exists but has no A or AAAA record';
    if (plan.role === 'apex') {
      findings.push(dnsFinding('dns/apex-not-resolving', { host: plan.host, subject: 'A', message: `The apex ${shown} ${why}.`, records: raw, extra: { status: a.status } }));
    } else if (plan.role === 'www') {
      findings.push(
        dnsFinding('dns/www-not-resolving', {
          host: plan.host,
          subject: 'A',
          severity: plan.declared ? 'high' : 'medium',
          message: `${shown} ${why}${plan.declared ? '' : '; visitors who type www get an error'}.`,
          records: raw,
          extra: { status: a.status },
        }),
      );
    } else {
      findings.push(dnsFinding('dns/subdomain-not-resolving', { host: plan.host, subject: 'A', message: `${shown}, declared in launch.yaml, ${why}.`, records: raw, extra: { status: a.status } }));
    }
    return resolution;
  }

  if (resolution.private) {
    const internal = addresses.every(isInternalAddress);
    findings.push(
      dnsFinding('dns/private-host-public', {
        host: plan.host,
        subject: a.records.some((record) => record.type === 'A') ? 'A' : 'AAAA',
        severity: internal ? 'low' : 'high',
        message: internal
          ? `${shown} is declared private; public DNS names it with internal address${addresses.length === 1 ? '' : 'es'} ${addresses.join(', ')}, which maps your internal network for anyone.`
          : `${shown} is declared private, but public DNS resolves it to ${addresses.join(', ')}, so anyone can find and reach it.`,
        records: raw,
        extra: { addresses },
      }),
    );
  }
  if (entry && !entry.proxied) await compareWithDeclared(resolver, plan, entry, resolution, a, aaaa, findings);
  if (!resolution.private && resolution.ttl !== undefined) {
    if (resolution.ttl < LOW_TTL) {
      findings.push(dnsFinding('dns/ttl-very-low', { host: plan.host, subject: 'TTL', message: `${shown} is published with a TTL of ${resolution.ttl} s.`, records: raw, extra: { ttl: resolution.ttl } }));
    } else if (resolution.ttl > HIGH_TTL) {
      findings.push(dnsFinding('dns/ttl-very-high', { host: plan.host, subject: 'TTL', message: `${shown} is published with a TTL of ${resolution.ttl} s (${Math.round(resolution.ttl / 3600)} h): a change takes that long to reach everyone.`, records: raw, extra: { ttl: resolution.ttl } }));
    }
  }
  return resolution;
}

async function compareWithDeclared(
  resolver: DnsResolver,
  plan: HostPlan,
  entry: Subdomain,
  resolution: HostResolution,
  a: LookupResult,
  aaaa: LookupResult,
  findings: Finding[],
): Promise<void> {
  const shown = displayHost(plan.host);
  const mismatch = (subject: string, message: string, extra: Record<string, unknown>) =>
    findings.push(dnsFinding('dns/subdomain-mismatch', { host: plan.host, subject, message, records: resolution.records, extra, key: subject }));

  if (entry.cname) {
    const declared = entry.cname.name;
    if (resolution.cnames.includes(declared)) return;
    // An apex cannot hold a CNAME: providers flatten it (ALIAS), so the addresses are what can be compared.
    const target = await Promise.all([safeLookup(resolver, declared, 'A'), safeLookup(resolver, declared, 'AAAA')]);
    const targetAddresses = target.flatMap((lookup) => lookup.records.flatMap((record) => (record.type === 'A' || record.type === 'AAAA' ? [record.address] : [])));
    if (resolution.cnames.length === 0 && targetAddresses.some((address) => resolution.addresses.includes(address))) return;
    const actual = resolution.cnames.length > 0 ? `a CNAME to ${resolution.cnames[0]}` : `addresses ${resolution.addresses.join(', ')} (no CNAME)`;
    mismatch('CNAME', `${shown} should be a CNAME to ${declared} (launch.yaml), but DNS has ${actual}.`, { expected: declared, cnames: resolution.cnames, addresses: resolution.addresses });
    return;
  }
  for (const [family, declared, lookup] of [['A', entry.a, a], ['AAAA', entry.aaaa, aaaa]] as const) {
    if (declared.length === 0) continue;
    const actual = lookup.records.flatMap((record) => (record.type === family ? [record.address] : []));
    if (isUnverifiable(lookup.status)) {
      findings.push(couldNotVerify(lookup, `the ${family} records of ${shown}`));
      continue;
    }
    const normalise = (address: string) => (family === 'AAAA' ? expandIpv6(address) : address);
    const want = new Set(declared.map(normalise));
    const have = new Set(actual.map(normalise));
    const missing = declared.filter((address) => !have.has(normalise(address)));
    const extra = actual.filter((address) => !want.has(normalise(address)));
    if (missing.length === 0 && extra.length === 0) continue;
    const via = resolution.cnames.length > 0 ? ` (through a CNAME to ${resolution.cnames[0]})` : '';
    const parts = [missing.length > 0 ? `${missing.join(', ')} missing` : '', extra.length > 0 ? `${extra.join(', ')} not declared` : ''].filter(Boolean).join('; ');
    mismatch(family, `${shown} should have ${family} ${declared.join(', ')} (launch.yaml), but DNS answers ${actual.length > 0 ? actual.join(', ') : 'none'}${via}: ${parts}.`, { expected: declared, actual });
  }
}

function expandIpv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname;
  } catch {
    return address.toLowerCase();
  }
}

async function checkDelegation(resolver: DnsResolver, config: LaunchConfig, domain: string, findings: Finding[]): Promise<{ nameservers: DnsFacts['nameservers']; dnssec: DnssecStatus }> {
  const [ns, ds] = await Promise.all([safeLookup(resolver, domain, 'NS'), safeLookup(resolver, domain, 'DS')]);
  const shown = displayHost(domain);
  const nameservers = ns.records.flatMap((record) => (record.type === 'NS' ? [record.target.toLowerCase()] : [])).map((host) => ({ host, provider: dnsProviderFor(host)?.name }));

  if (isUnverifiable(ns.status)) {
    findings.push(couldNotVerify(ns, `the nameservers of ${shown}`));
  } else if (nameservers.length === 0) {
    findings.push(
      dnsFinding('dns/nameservers-missing', {
        host: domain,
        subject: 'NS',
        message: ns.status === 'nxdomain' ? `${shown} does not exist in DNS (NXDOMAIN): is it registered and delegated?` : `${shown} has no NS records.`,
        records: ns.raw,
        extra: { status: ns.status },
      }),
    );
  } else {
    if (nameservers.length === 1) {
      findings.push(dnsFinding('dns/nameserver-single', { host: domain, subject: 'NS', message: `${shown} is served by a single nameserver, ${nameservers[0].host}.`, records: ns.raw }));
    }
    const providers = unique(nameservers.map((entry) => entry.provider ?? 'unrecognised'));
    if (providers.length > 1) {
      findings.push(
        dnsFinding('dns/nameservers-mixed', {
          host: domain,
          subject: 'NS',
          message: `${shown} is delegated to nameservers of ${providers.join(' and ')}: ${nameservers.map((entry) => entry.host).join(', ')}.`,
          records: ns.raw,
          extra: { providers },
        }),
      );
    }
    const declared = config.owners.dns?.provider;
    const detected = unique(nameservers.map((entry) => dnsProviderFor(entry.host)).filter((provider) => provider !== undefined));
    if (declared && detected.length > 0 && !detected.some((provider) => isSameProvider(provider, declared))) {
      findings.push(
        dnsFinding('dns/nameserver-provider-mismatch', {
          host: domain,
          subject: 'NS',
          message: `launch.yaml says DNS is at ${declared}, but ${shown} is delegated to ${detected.map((provider) => provider.name).join(' and ')} (${nameservers.map((entry) => entry.host).join(', ')}).`,
          records: ns.raw,
          extra: { declared, detected: detected.map((provider) => provider.name) },
        }),
      );
    }
  }

  let dnssec: DnssecStatus = 'unknown';
  const wanted = config.domain?.dnssec;
  if (isUnverifiable(ds.status)) {
    findings.push(couldNotVerify(ds, `the DNSSEC status (DS record) of ${shown}`));
  } else if (ds.records.some((record) => record.type === 'DS')) {
    // The AD flag comes from the child zone's own answers; `undefined` means this resolver cannot say.
    const validated = ns.authenticated === true || ds.authenticated === true;
    dnssec = validated || ns.authenticated === undefined ? 'signed' : 'signed-unvalidated';
    if (dnssec === 'signed-unvalidated') {
      findings.push(
        dnsFinding('dns/dnssec-unvalidated', {
          host: domain,
          subject: 'DS',
          severity: wanted ? 'medium' : 'low',
          message: `${shown} publishes a DS record, but ${ns.server ?? 'the resolver'} did not mark its answers as validated (no AD flag).`,
          records: [...ds.raw, ...ns.raw],
          extra: { server: ns.server },
        }),
      );
    }
  } else {
    dnssec = 'unsigned';
    if (wanted !== false) {
      findings.push(
        dnsFinding('dns/dnssec-unsigned', {
          host: domain,
          subject: 'DS',
          severity: wanted ? 'high' : 'low',
          message: wanted
            ? `launch.yaml asks for DNSSEC (domain.dnssec: true), but ${shown} has no DS record at its parent.`
            : `${shown} is not DNSSEC-signed (no DS record at its parent); say so in launch.yaml (domain.dnssec: false) if that is a decision.`,
          records: ds.raw,
          extra: { status: ds.status },
        }),
      );
    }
  }
  return { nameservers, dnssec };
}

/** The CAA domains that must be allowed, each with the equivalent domains of the same CA. */
function casInUse(config: LaunchConfig, context: DnsCheckContext): { label: string; domains: string[] }[] {
  const result: { label: string; domains: string[] }[] = [];
  for (const declared of config.domain?.certificateAuthorities ?? []) {
    const same = CERTIFICATE_AUTHORITIES.filter((ca) => ca.caaDomains.includes(declared.name));
    result.push({ label: declared.name, domains: unique([declared.name, ...same.flatMap((ca) => ca.caaDomains)]) });
  }
  for (const organisation of context.issuerOrganisations ?? []) {
    const domains = caaDomainsForIssuer(organisation);
    if (domains.length > 0 && !result.some((entry) => entry.domains.some((domain) => domains.includes(domain)))) {
      result.push({ label: `${organisation} (issuer of the current certificate)`, domains: [...domains] });
    }
  }
  return result;
}

/** RFC 8659 §3: the first non-empty CAA set found climbing from the name towards the root. */
async function relevantCaa(resolver: DnsResolver, host: string): Promise<{ result?: CaaResult; failed?: LookupResult }> {
  const labels = host.split('.');
  for (let index = 0; index < labels.length; index++) {
    const name = labels.slice(index).join('.');
    const lookup = await safeLookup(resolver, name, 'CAA');
    if (isUnverifiable(lookup.status)) return { failed: lookup };
    const records = lookup.records.filter((record): record is Extract<DnsRecord, { type: 'CAA' }> => record.type === 'CAA');
    if (records.length === 0) continue;
    const issue = records.filter((record) => record.tag.toLowerCase() === 'issue');
    const issuers = unique(issue.map((record) => record.value.split(';')[0].trim().toLowerCase()).filter((value) => value !== ''));
    const unknownCritical = unique(records.filter((record) => (record.flags & 128) !== 0 && !KNOWN_CAA_TAGS.has(record.tag.toLowerCase())).map((record) => record.tag.toLowerCase()));
    // Through a CNAME the set belongs to the alias target (RFC 8659 §3); name it so it is reported once.
    const owner = lookup.raw.find((line) => line.includes(' IN CAA '))?.split(' ')[0].replace(/\.$/, '') ?? name;
    return { result: { host, foundAt: owner, issuers, unrestricted: issue.length === 0, unknownCritical, records: lookup.raw } };
  }
  return { result: { host, issuers: [], unrestricted: true, unknownCritical: [], records: [] } };
}

async function checkCaa(resolver: DnsResolver, config: LaunchConfig, context: DnsCheckContext, domain: string, hosts: readonly string[], findings: Finding[]): Promise<CaaResult[]> {
  const climbs = await Promise.all(hosts.map((host) => relevantCaa(resolver, host)));
  const results: CaaResult[] = [];
  const reported = new Set<string>();
  const cas = casInUse(config, context);
  for (const climb of climbs) {
    if (climb.failed) {
      const key = `fail ${climb.failed.name}`;
      if (!reported.has(key)) findings.push(couldNotVerify(climb.failed, `the CAA records that apply to ${displayHost(climb.failed.name)}`));
      reported.add(key);
      continue;
    }
    const result = climb.result as CaaResult;
    results.push(result);
    const setKey = result.foundAt ?? '';
    if (reported.has(setKey)) continue;
    reported.add(setKey);
    const covered = results.filter((other) => (other.foundAt ?? '') === setKey).map((other) => other.host);
    if (!result.foundAt) {
      findings.push(
        dnsFinding('dns/caa-missing', {
          host: domain,
          subject: 'CAA',
          message: `No CAA record on ${displayHost(result.host)} or any parent, so any public CA may issue certificates for it${cas.length > 0 ? ` (launch.yaml uses ${cas.map((ca) => ca.label).join(', ')})` : ''}.`,
          records: [],
        }),
      );
      continue;
    }
    const caaRecords = result.records;
    const critical = result.unknownCritical;
    if (critical.length > 0) {
      findings.push(
        dnsFinding('dns/caa-unknown-critical', {
          host: result.foundAt,
          subject: 'CAA',
          message: `The CAA set at ${displayHost(result.foundAt)} has the critical flag on unknown tag${critical.length === 1 ? '' : 's'} ${critical.join(', ')}: no CA may issue for it.`,
          records: caaRecords,
          extra: { tags: critical },
        }),
      );
    }
    if (result.unrestricted) continue;
    for (const ca of cas) {
      if (ca.domains.some((candidate) => result.issuers.includes(candidate))) continue;
      findings.push(
        dnsFinding('dns/caa-disallows-ca', {
          host: result.foundAt,
          subject: 'CAA',
          message: `CAA at ${displayHost(result.foundAt)} allows ${result.issuers.length > 0 ? result.issuers.join(', ') : 'no CA at all'}, not ${ca.label}: certificates for ${covered.map(displayHost).join(', ')} cannot be issued or renewed by it.`,
          records: caaRecords,
          extra: { allowed: result.issuers, required: ca.domains, hosts: covered },
          key: ca.label,
        }),
      );
    }
  }
  return results;
}
