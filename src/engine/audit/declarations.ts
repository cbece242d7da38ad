import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { normalizeHost, normalizeWebUrl, registrableDomain } from '../launch/domains';
import type { YamlPath } from '../launch/model';
import type { Finding, HostDeclaredAt, Range } from '../model';

// Where launch.yaml names a host, so a DNS, email or HTTPS finding (which points at a host, not a
// file) can be opened at the line that made the audit look at that host: a subdomain entry, a
// redirect source, an email sending domain, the health URL … The rule decides between several
// lines naming one host: an email finding opens the sender, a redirect finding the redirect.

export type DeclarationKind =
  | 'primary'
  | 'subdomain'
  | 'redirect-from'
  | 'redirect-to'
  | 'email-sender'
  | 'return-path'
  | 'spf-include'
  | 'non-sending-domain'
  | 'dmarc-report'
  | 'health-url'
  | 'latency-endpoint'
  | 'uptime'
  | 'status-page'
  | 'environment-url';

export interface HostDeclaration {
  /** ASCII, lower case, no trailing dot: as the checks put it in findings. */
  host: string;
  kind: DeclarationKind;
  yamlPath: YamlPath;
  range: Range;
  /** The normalised URL when the host was declared as part of one. */
  url?: string;
  /**
   * Named only through the primary host: the apex of `www.acme.com`, or the `www.` counterpart of
   * an apex. The DNS and HTTPS checks look at both, so their findings still open a line.
   */
  derived?: boolean;
}

export type PositionOf = (path: YamlPath, part?: 'key' | 'value') => Range | undefined;

/**
 * Every host launch.yaml names, with the range of the value (or key) that names it, in file
 * order. `positionOf` is the parser's (it answers only for a file the parser accepted, which
 * also keeps oversized or pathological text away from the YAML reader here).
 */
export function hostDeclarations(text: string, positionOf: PositionOf): HostDeclaration[] {
  if (!positionOf([])) return [];
  let doc: Document | undefined;
  try {
    // The first document, as the parser reads it (it warns about the others).
    doc = (parseAllDocuments(text, { uniqueKeys: false }) as unknown as Document[])[0];
  } catch {
    return [];
  }
  if (!doc || doc.errors.length > 0) return [];
  const found: HostDeclaration[] = [];
  const add = (kind: DeclarationKind, yamlPath: YamlPath, host: string | undefined, extra: { url?: string; derived?: boolean; part?: 'key' | 'value' } = {}) => {
    if (!host) return;
    const range = positionOf(yamlPath, extra.part ?? 'value');
    if (!range) return;
    found.push({ host, kind, yamlPath, range, ...(extra.url ? { url: extra.url } : {}), ...(extra.derived ? { derived: true } : {}) });
  };
  const root = resolved(doc, doc.contents as Node | null);

  const domain = child(doc, root, 'domain');
  const primary = hostIn(scalarText(child(doc, domain, 'primary')));
  const apex = primary ? (registrableDomain(primary) ?? primary) : undefined;
  add('primary', ['domain', 'primary'], primary);
  if (primary && apex) add('primary', ['domain', 'primary'], primary === apex ? `www.${apex}` : apex, { derived: true });
  for (const key of keysOf(child(doc, domain, 'subdomains'))) {
    if (key.startsWith('*')) continue;
    const fullName = key === '@' ? apex : key.includes('.') ? key : apex ? `${key}.${apex}` : undefined;
    add('subdomain', ['domain', 'subdomains', key], hostIn(fullName), { part: 'key' });
  }
  for (const { node: redirect, path } of entriesOf(doc, child(doc, domain, 'redirects'), ['domain', 'redirects'])) {
    const from = scalarText(child(doc, redirect, 'from'));
    if (from?.includes('://')) {
      const url = urlIn(from);
      add('redirect-from', [...path, 'from'], url?.host, { url: url?.href });
    } else {
      add('redirect-from', [...path, 'from'], hostIn(from));
    }
    const to = urlIn(scalarText(child(doc, redirect, 'to')));
    add('redirect-to', [...path, 'to'], to?.host, { url: to?.href });
  }

  const email = child(doc, root, 'email');
  for (const { node: sender, path } of entriesOf(doc, child(doc, email, 'senders'), ['email', 'senders'])) {
    add('email-sender', [...path, 'domain'], hostIn(scalarText(child(doc, sender, 'domain'))));
    add('return-path', [...path, 'returnPath'], hostIn(scalarText(child(doc, sender, 'returnPath'))));
    for (const include of entriesOf(doc, child(doc, sender, 'spfIncludes'), [...path, 'spfIncludes'])) add('spf-include', include.path, hostIn(scalarText(include.node)));
    reportAddresses(doc, child(doc, sender, 'dmarc'), [...path, 'dmarc'], add);
  }
  for (const entry of entriesOf(doc, child(doc, email, 'nonSendingDomains'), ['email', 'nonSendingDomains'])) add('non-sending-domain', entry.path, hostIn(scalarText(entry.node)));
  reportAddresses(doc, child(doc, email, 'dmarc'), ['email', 'dmarc'], add);

  const addUrl = (kind: DeclarationKind, path: YamlPath, node: Node | undefined) => {
    const url = urlIn(scalarText(node));
    add(kind, path, url?.host, { url: url?.href });
  };
  addUrl('health-url', ['deploy', 'healthUrl'], child(doc, child(doc, root, 'deploy'), 'healthUrl'));
  for (const endpoint of entriesOf(doc, child(doc, child(doc, root, 'latency'), 'endpoints'), ['latency', 'endpoints'])) addUrl('latency-endpoint', [...endpoint.path, 'url'], child(doc, endpoint.node, 'url'));
  const monitoring = child(doc, root, 'monitoring');
  for (const entry of entriesOf(doc, child(doc, monitoring, 'uptime'), ['monitoring', 'uptime'])) addUrl('uptime', entry.path, entry.node);
  addUrl('status-page', ['monitoring', 'statusPage'], child(doc, monitoring, 'statusPage'));
  const environments = child(doc, root, 'environments');
  for (const name of keysOf(environments)) addUrl('environment-url', ['environments', name, 'url'], child(doc, child(doc, environments, name), 'url'));
  return found;
}

function reportAddresses(doc: Document, dmarc: Node | undefined, path: YamlPath, add: (kind: DeclarationKind, path: YamlPath, host: string | undefined) => void): void {
  for (const entry of entriesOf(doc, child(doc, dmarc, 'reportTo'), [...path, 'reportTo'])) {
    const address = scalarText(entry.node)?.replace(/^mailto:/i, '');
    const at = address?.lastIndexOf('@') ?? -1;
    add('dmarc-report', entry.path, at > 0 ? hostIn(address?.slice(at + 1)) : undefined);
  }
}

/** Most specific first; `derived` stands for the names only implied by the primary host. */
type Rank = DeclarationKind | 'derived';

const GENERAL: readonly Rank[] = [
  'subdomain',
  'primary',
  'redirect-from',
  'environment-url',
  'redirect-to',
  'health-url',
  'latency-endpoint',
  'uptime',
  'status-page',
  'derived',
  'email-sender',
  'non-sending-domain',
  'return-path',
  'dmarc-report',
  'spf-include',
];

interface Ranking {
  order: readonly Rank[];
  /** Kinds whose URL is what the rule's findings are about: an exact URL match among them wins. */
  byUrl: readonly Rank[];
}

const first = (...kinds: Rank[]): Ranking => ({ order: [...kinds, ...GENERAL.filter((kind) => !kinds.includes(kind))], byUrl: kinds });

/** Which kind of line a rule's findings are about, when a host is named more than once. */
function ranking(ruleId: string): Ranking {
  if (ruleId.startsWith('email/')) return first('email-sender', 'non-sending-domain', 'return-path', 'dmarc-report', 'spf-include');
  if (ruleId.startsWith('web/redirect-') || ruleId === 'web/https-upgrade-other-host') return first('redirect-from', 'redirect-to');
  if (ruleId === 'web/health-failing') return first('health-url');
  if (ruleId === 'web/latency-over-budget') return first('latency-endpoint', 'health-url', 'uptime');
  if (ruleId === 'web/staging-indexable') return first('environment-url', 'subdomain');
  // Other HTTPS findings name the page they fetched; the host's own entry is the line to open.
  return { order: GENERAL, byUrl: [] };
}

/**
 * The names a finding's host stands for, most specific first: the host itself, then the domain
 * that owns a service name (`_dmarc.acme.com`, `s1._domainkey.acme.com`, `mta-sts.acme.com` →
 * `acme.com`; a DMARC report authorisation `acme.com._report._dmarc.reports.example` → the report
 * destination, then `acme.com`).
 */
export function ownerCandidates(host: string): string[] {
  const name = host.toLowerCase().replace(/\.$/, '');
  const candidates = [name];
  const labels = name.split('.');
  let lastService = -1;
  labels.forEach((label, index) => {
    if (label.startsWith('_')) lastService = index;
  });
  if (lastService >= 0 && lastService < labels.length - 1) candidates.push(labels.slice(lastService + 1).join('.'));
  const report = name.indexOf('._report._dmarc.');
  if (report > 0) candidates.push(name.slice(0, report));
  if (labels[0] === 'mta-sts' && labels.length > 2) candidates.push(labels.slice(1).join('.'));
  return [...new Set(candidates)];
}

function normalisedUrl(text: string | undefined): string | undefined {
  if (!text?.includes('://')) return undefined;
  try {
    return new URL(text).href;
  } catch {
    return undefined;
  }
}

/**
 * The launch.yaml line behind a host finding, or undefined when launch.yaml does not name its
 * host (or the finding is about a file). A finding about a URL launch.yaml lists (the health URL,
 * a latency endpoint) opens that URL's line.
 */
export function declarationFor(finding: Pick<Finding, 'ruleId' | 'location'>, declarations: readonly HostDeclaration[]): HostDeclaration | undefined {
  if (finding.location.kind !== 'host') return undefined;
  const { order, byUrl } = ranking(finding.ruleId);
  const url = normalisedUrl(finding.location.subject);
  const rank = (declaration: HostDeclaration) => order.indexOf(declaration.derived ? 'derived' : declaration.kind);
  // By kind, then the entry with the finding's exact URL, then file order.
  const better = (candidate: HostDeclaration, chosen: HostDeclaration) =>
    rank(candidate) < rank(chosen) || (rank(candidate) === rank(chosen) && url !== undefined && candidate.url === url && chosen.url !== url);
  const best = (matches: HostDeclaration[]) => matches.reduce<HostDeclaration | undefined>((chosen, candidate) => (!chosen || better(candidate, chosen) ? candidate : chosen), undefined);
  if (url) {
    const exact = best(declarations.filter((declaration) => declaration.url === url && !declaration.derived && byUrl.includes(declaration.kind)));
    if (exact) return exact;
  }
  for (const candidate of ownerCandidates(finding.location.host)) {
    const byHost = best(declarations.filter((declaration) => declaration.host === candidate));
    if (byHost) return byHost;
  }
  return undefined;
}

/** Host findings with `declaredAt` set where launch.yaml (at `launchPath`) names their host. */
export function withDeclarations<T extends Finding>(findings: readonly T[], declarations: readonly HostDeclaration[], launchPath: string): T[] {
  return findings.map((finding) => {
    const declaration = declarationFor(finding, declarations);
    if (!declaration || finding.location.kind !== 'host') return finding;
    const declaredAt: HostDeclaredAt = { path: launchPath, range: declaration.range };
    return { ...finding, location: { ...finding.location, declaredAt } };
  });
}

function resolved(doc: Document, node: Node | null | undefined): Node | undefined {
  let current = node ?? undefined;
  for (let hops = 0; current && isAlias(current) && hops < 16; hops++) current = (current.resolve(doc) as Node | undefined) ?? undefined;
  return current && !isAlias(current) ? current : undefined;
}

/** The value under `key` (the last of duplicate keys, as the parser's positions do). */
function child(doc: Document, node: Node | undefined, key: string): Node | undefined {
  if (!node || !isMap(node)) return undefined;
  for (let index = node.items.length - 1; index >= 0; index--) {
    const pair = node.items[index];
    if (isScalar(pair.key) && String(pair.key.value) === key) return resolved(doc, pair.value as Node | null);
  }
  return undefined;
}

function keysOf(node: Node | undefined): string[] {
  if (!node || !isMap(node)) return [];
  const keys = node.items.flatMap((pair) => (isScalar(pair.key) && (typeof pair.key.value === 'string' || typeof pair.key.value === 'number') ? [String(pair.key.value)] : []));
  return [...new Set(keys)];
}

/** A list's entries with their paths; a single value where launch.yaml allows one in place of a list. */
function entriesOf(doc: Document, node: Node | undefined, path: YamlPath): { node: Node | undefined; path: YamlPath }[] {
  if (!node) return [];
  if (!isSeq(node)) return [{ node, path }];
  return node.items.map((item, index) => ({ node: resolved(doc, item as Node | null), path: [...path, index] }));
}

function scalarText(node: Node | undefined): string | undefined {
  return node && isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

function hostIn(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const result = normalizeHost(text, { allowUnderscore: true, allowSingleLabel: true });
  return result.ok ? result.host.name : undefined;
}

function urlIn(text: string | undefined): { host: string; href: string } | undefined {
  if (text === undefined) return undefined;
  const result = normalizeWebUrl(text);
  return result.ok ? { host: result.url.host.replace(/^\[|\]$/g, ''), href: result.url.href } : undefined;
}
