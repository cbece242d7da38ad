import { getDomain } from 'tldts';
import type { Finding, Severity } from '../model';
import type { DnsResolver, LookupResult } from '../net/dns-types';
import { isUnverifiable, joinedTxt, lookupChasingCname, stripDot } from './dns';
import { couldNotVerify, emailFinding } from './findings';
import { parseTagList, tagValue, type TagList } from './tags';

// DMARC as RFC 9989 defines it (replacing RFC 7489): record discovery and the Organizational
// Domain by the DNS tree walk, every tag validated, and where RFC 7489 receivers would differ.

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';
export type LaunchStage = 'idea' | 'prototype' | 'demo' | 'launch' | 'first-customers';

export interface DmarcRecord {
  domain: string;
  record: string;
  raw: string[];
  tags: TagList;
  policy?: DmarcPolicy;
  subdomainPolicy?: DmarcPolicy;
  nonExistentPolicy?: DmarcPolicy;
  psd: 'y' | 'n' | 'u';
  testing: boolean;
  adkim: 'r' | 's';
  aspf: 'r' | 's';
  rua: string[];
  ruf: string[];
}

export interface DmarcDiscovery {
  /** The record that applies to the domain: its own, or one found higher up by the tree walk. */
  record?: DmarcRecord;
  /** Names queried, in order. */
  walked: string[];
  organizationalDomain: string;
  /** A lookup failed, so the walk's answer may be incomplete. */
  failures: LookupResult[];
  /** More than one DMARC record at the name where the walk stopped. */
  multiple?: { domain: string; records: string[]; raw: string[] };
  /** A TXT at the domain's own `_dmarc` that means to be DMARC but is not (`v=dmarc1`, v not first). */
  malformed?: { record: string; raw: string[] };
}

const POLICIES: readonly string[] = ['none', 'quarantine', 'reject'];
const POLICY_RANK: Record<DmarcPolicy, number> = { none: 0, quarantine: 1, reject: 2 };
const REMOVED_TAGS = ['pct', 'rf', 'ri'];
const KNOWN_TAGS = ['v', 'p', 'sp', 'np', 'psd', 't', 'adkim', 'aspf', 'rua', 'ruf', 'fo', ...REMOVED_TAGS];

export function isDmarcRecord(text: string): boolean {
  return /^v\s*=\s*DMARC1\s*(;|$)/.test(text);
}

export function parseDmarc(domain: string, record: string, raw: string[]): DmarcRecord {
  const tags = parseTagList(record);
  const policyOf = (name: string) => {
    const value = tagValue(tags, name)?.value.toLowerCase();
    return value && POLICIES.includes(value) ? (value as DmarcPolicy) : undefined;
  };
  const uris = (name: string) =>
    (tagValue(tags, name)?.value ?? '')
      .split(',')
      .map((uri) => uri.trim())
      .filter(Boolean);
  const psd = tagValue(tags, 'psd')?.value.toLowerCase();
  return {
    domain,
    record,
    raw,
    tags,
    policy: policyOf('p'),
    subdomainPolicy: policyOf('sp'),
    nonExistentPolicy: policyOf('np'),
    psd: psd === 'y' || psd === 'n' ? psd : 'u',
    testing: tagValue(tags, 't')?.value.toLowerCase() === 'y',
    adkim: tagValue(tags, 'adkim')?.value.toLowerCase() === 's' ? 's' : 'r',
    aspf: tagValue(tags, 'aspf')?.value.toLowerCase() === 's' ? 's' : 'r',
    rua: uris('rua'),
    ruf: uris('ruf'),
  };
}

/** Names the tree walk queries after the domain itself: at most 7 labels, then one label fewer down to the TLD. */
export function treeWalkNames(domain: string): string[] {
  let labels = stripDot(domain).toLowerCase().split('.');
  const names: string[] = [];
  if (labels.length > 8) labels = labels.slice(labels.length - 7);
  else labels = labels.slice(1);
  while (labels.length >= 1) {
    names.push(labels.join('.'));
    labels = labels.slice(1);
  }
  return names;
}

async function recordsAt(resolver: DnsResolver, name: string): Promise<{ answer: LookupResult; records: string[] }> {
  const answer = await lookupChasingCname(resolver, `_dmarc.${name}`, 'TXT');
  return { answer, records: joinedTxt(answer).filter(isDmarcRecord) };
}

export async function discoverDmarc(resolver: DnsResolver, domain: string): Promise<DmarcDiscovery> {
  const author = stripDot(domain).toLowerCase();
  const discovery: DmarcDiscovery = { walked: [], organizationalDomain: author, failures: [] };
  let orgCandidate: string | undefined;
  let orgFixed = false;
  let previous = author;
  for (const name of [author, ...treeWalkNames(author)]) {
    discovery.walked.push(`_dmarc.${name}`);
    const { answer, records } = await recordsAt(resolver, name);
    if (name === author && records.length === 0) {
      const lookalike = joinedTxt(answer).find((text) => /v\s*=\s*dmarc1/i.test(text));
      if (lookalike) discovery.malformed = { record: lookalike, raw: answer.raw };
    }
    if (isUnverifiable(answer.status)) {
      discovery.failures.push(answer);
      // Unknown here means a record higher up may not be the one that applies: stop looking.
      if (!discovery.record && !discovery.multiple) break;
    } else if (records.length > 1 && !discovery.record && !discovery.multiple) {
      discovery.multiple = { domain: name, records, raw: answer.raw };
    } else if (records.length === 1) {
      const parsed = parseDmarc(name, records[0], answer.raw);
      if (!discovery.record && !discovery.multiple) discovery.record = parsed;
      if (!orgFixed) {
        if (parsed.psd === 'n') {
          orgCandidate = name;
          orgFixed = true;
        } else if (parsed.psd === 'y') {
          orgCandidate = name === author ? author : previous;
          orgFixed = true;
        } else {
          orgCandidate = name;
        }
      }
    }
    if ((discovery.record || discovery.multiple) && orgFixed) break;
    previous = name;
  }
  discovery.organizationalDomain = orgCandidate ?? author;
  return discovery;
}

export interface DmarcExpectations {
  stage?: LaunchStage;
  /** The policy launch.yaml declares. */
  policy?: DmarcPolicy;
  /** Report addresses launch.yaml declares (mailto: optional). */
  reportAddresses?: readonly string[];
  /** The domain sends no mail: `p=reject` is expected. */
  nonSending?: boolean;
}

export interface DmarcAnalysis {
  discovery: DmarcDiscovery;
  /** The policy receivers apply to mail from the domain (p for the record's own domain, sp/np below it). */
  effectivePolicy?: DmarcPolicy;
  findings: Finding[];
}

export async function analyzeDmarc(resolver: DnsResolver, domain: string, expect: DmarcExpectations = {}): Promise<DmarcAnalysis> {
  const findings: Finding[] = [];
  const discovery = await discoverDmarc(resolver, domain);
  const analysis: DmarcAnalysis = { discovery, findings };
  const host = `_dmarc.${stripDot(domain).toLowerCase()}`;
  if (discovery.multiple) {
    findings.push(
      emailFinding('email/dmarc-multiple', {
        host: `_dmarc.${discovery.multiple.domain}`,
        message: `_dmarc.${discovery.multiple.domain} publishes ${discovery.multiple.records.length} DMARC records; receivers apply no DMARC policy.`,
        record: discovery.multiple.records.join('\n'),
        raw: discovery.multiple.raw,
      }),
    );
    return analysis;
  }
  const record = discovery.record;
  if (!record) {
    if (discovery.failures.length > 0) {
      for (const failure of discovery.failures) findings.push(couldNotVerify(failure, `the DMARC record (${failure.name})`));
      return analysis;
    }
    if (discovery.malformed) {
      findings.push(
        emailFinding('email/dmarc-syntax', {
          host,
          record: discovery.malformed.record,
          raw: discovery.malformed.raw,
          message: `${host} has a TXT record meant as DMARC that does not start with exactly "v=DMARC1", so receivers ignore it and ${domain} has no DMARC policy.`,
        }),
      );
      return analysis;
    }
    findings.push(
      emailFinding('email/dmarc-missing', {
        host,
        message: `No DMARC record for ${domain}: none at ${host} and none found by the DNS tree walk (${discovery.walked.join(', ')}).`,
        raw: [],
        extra: { walked: discovery.walked },
      }),
    );
    return analysis;
  }
  const recordHost = `_dmarc.${record.domain}`;
  const base = { host: recordHost, record: record.record, raw: record.raw };
  const own = record.domain === stripDot(domain).toLowerCase();
  validateTags(record, findings, base);

  const effective = own ? record.policy : (record.subdomainPolicy ?? record.policy);
  analysis.effectivePolicy = effective ?? (record.rua.length > 0 ? 'none' : undefined);
  const where = own ? recordHost : `${recordHost} (found by the tree walk; ${record.subdomainPolicy ? 'sp' : 'p'}= applies to ${domain})`;
  const policy = analysis.effectivePolicy;
  if (policy === 'none') {
    const lateStage = expect.stage === 'launch' || expect.stage === 'first-customers';
    if (record.rua.length === 0 || lateStage || expect.nonSending) {
      const severity: Severity = record.rua.length === 0 ? 'high' : 'medium';
      findings.push(
        emailFinding('email/dmarc-policy-none', {
          ...base,
          severity,
          message:
            record.rua.length === 0
              ? `DMARC for ${domain} is p=none without rua: no protection and no reports (${where}).`
              : `DMARC for ${domain} is only monitoring (p=none) at stage "${expect.stage ?? 'non-sending'}": use quarantine or reject (${where}).`,
        }),
      );
    }
  }
  if (own && record.subdomainPolicy === 'none' && policy && policy !== 'none') {
    findings.push(
      emailFinding('email/dmarc-policy-none', {
        ...base,
        severity: 'low',
        key: 'sp',
        message: `DMARC for ${domain} is p=${policy} but sp=none: mail claiming any subdomain of ${domain} is only monitored.`,
      }),
    );
  }
  if (record.testing && policy !== 'none') {
    findings.push(
      emailFinding('email/dmarc-policy-none', {
        ...base,
        severity: 'low',
        key: 't',
        message: `DMARC for ${domain} has t=y: RFC 9989 receivers apply one step less than p=${policy}.`,
      }),
    );
  }
  const wanted = expect.nonSending ? undefined : expect.policy;
  if (wanted && policy && POLICY_RANK[policy] < POLICY_RANK[wanted]) {
    findings.push(
      emailFinding('email/dmarc-policy-mismatch', {
        ...base,
        message: `DMARC for ${domain} is p=${policy}; launch.yaml declares ${wanted}.`,
      }),
    );
  }
  if (record.rua.length === 0 && policy !== 'none' && !expect.nonSending) {
    findings.push(emailFinding('email/dmarc-report-missing', { ...base, message: `DMARC for ${domain} has no rua= report address.` }));
  }
  for (const declared of expect.reportAddresses ?? []) {
    const address = declared.replace(/^mailto:/i, '').toLowerCase();
    if (!record.rua.some((uri) => uri.replace(/^mailto:/i, '').replace(/!.*$/, '').toLowerCase() === address)) {
      findings.push(
        emailFinding('email/dmarc-report-missing', {
          ...base,
          severity: 'low',
          key: address,
          message: `launch.yaml declares DMARC reports to ${address}, but rua= is ${record.rua.length > 0 ? record.rua.join(', ') : 'absent'}.`,
        }),
      );
    }
  }
  await checkReportDestinations(resolver, record, discovery.organizationalDomain, findings);
  return analysis;
}

function validateTags(record: DmarcRecord, findings: Finding[], base: { host: string; record: string; raw: string[] }): void {
  const syntax = (message: string, tag?: { start: number; end: number }, severity?: Severity) =>
    findings.push(emailFinding('email/dmarc-syntax', { ...base, message: `${base.host}: ${message}`, position: tag && { start: tag.start, end: tag.end }, severity, key: message }));
  const { tags } = record;
  for (const error of tags.errors) syntax(error.message, error);
  for (const duplicate of tags.duplicates) syntax(`tag "${duplicate.name}" appears more than once`, duplicate);
  const check = (name: string, valid: (value: string) => boolean, expected: string) => {
    const tag = tagValue(tags, name);
    if (tag && !valid(tag.value)) syntax(`${name}=${tag.value} is not valid (${expected})`, tag);
  };
  const policy = (value: string) => POLICIES.includes(value.toLowerCase());
  if (!tagValue(tags, 'p')) syntax('no p= tag: receivers treat the record as p=none (and RFC 7489 receivers ignore it unless rua= is valid)');
  check('p', policy, 'none, quarantine or reject');
  check('sp', policy, 'none, quarantine or reject');
  check('np', policy, 'none, quarantine or reject');
  check('psd', (value) => /^[ynu]$/i.test(value), 'y, n or u');
  check('t', (value) => /^[yn]$/i.test(value), 'y or n');
  check('adkim', (value) => /^[rs]$/i.test(value), 'r or s');
  check('aspf', (value) => /^[rs]$/i.test(value), 'r or s');
  check('fo', (value) => value.split(':').every((option) => /^[01ds]$/i.test(option.trim())), 'colon-separated 0, 1, d, s');
  for (const name of ['rua', 'ruf']) {
    const tag = tagValue(tags, name);
    if (!tag) continue;
    for (const uri of record[name as 'rua' | 'ruf']) {
      const address = uri.replace(/!.*$/, '');
      if (!/^[a-z][a-z0-9+.-]*:/i.test(address)) syntax(`${name}: "${uri}" is not a URI (write mailto:address)`, tag);
      else if (/^mailto:/i.test(address) && !isMailbox(address.slice('mailto:'.length))) syntax(`${name}: "${uri}" is not a valid mailto: address`, tag);
      if (uri.includes('!')) syntax(`${name}: the "!size" suffix on "${uri}" was removed by RFC 9989`, tag, 'low');
    }
  }
  for (const tag of tags.tags) {
    const name = tag.name.toLowerCase();
    if (REMOVED_TAGS.includes(name)) {
      findings.push(
        emailFinding('email/dmarc-removed-tag', {
          ...base,
          position: { start: tag.start, end: tag.end },
          key: name,
          message: `${base.host}: ${name}=${tag.value} was removed by RFC 9989; current receivers ignore it${name === 'pct' ? ' (use t=y for testing)' : ''}.`,
        }),
      );
    } else if (!KNOWN_TAGS.includes(name)) {
      syntax(`unknown tag "${tag.name}" (receivers ignore it; a typo?)`, tag, 'low');
    }
  }
  legacyDifferences(record, findings, base);
}

/** Where a receiver still on RFC 7489 reads this record differently from an RFC 9989 receiver. */
function legacyDifferences(record: DmarcRecord, findings: Finding[], base: { host: string; record: string; raw: string[] }): void {
  const differences: string[] = [];
  const np = tagValue(record.tags, 'np');
  if (np) differences.push(`np=${np.value} is unknown to RFC 7489: non-existent subdomains get ${record.subdomainPolicy ? `sp=${record.subdomainPolicy}` : `p=${record.policy ?? 'none'}`} there`);
  if (record.testing) differences.push(`t=y is unknown to RFC 7489: those receivers apply p=${record.policy ?? 'none'} in full`);
  const pct = tagValue(record.tags, 'pct');
  if (pct && pct.value.trim() !== '100') differences.push(`pct=${pct.value} makes RFC 7489 receivers apply the policy to a sample only (RFC 9989 receivers ignore pct)`);
  if (record.psd === 'y') differences.push('psd=y is unknown to RFC 7489, which finds the organizational domain from the Public Suffix List');
  const first = record.tags.tags[0];
  const second = record.tags.tags[1];
  if (first?.name.toLowerCase() === 'v' && second && second.name.toLowerCase() !== 'p' && tagValue(record.tags, 'p')) {
    differences.push('RFC 7489 requires p= right after v=; some older receivers reject the record otherwise');
  }
  if (differences.length === 0) return;
  findings.push(
    emailFinding('email/dmarc-legacy-difference', {
      ...base,
      message: `${base.host}: receivers still on RFC 7489 read this record differently: ${differences.join('; ')}.`,
      extra: { differences },
    }),
  );
}

function isMailbox(address: string): boolean {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  return at > 0 && !/\s/.test(address) && domain.includes('.') && !domain.startsWith('.') && !domain.endsWith('.');
}

function registrable(domain: string): string {
  return getDomain(domain) ?? domain;
}

/** RFC 9989 §3.3 / RFC 9990: reports to another organization need `<domain>._report._dmarc.<dest>`. */
async function checkReportDestinations(resolver: DnsResolver, record: DmarcRecord, orgDomain: string, findings: Finding[]): Promise<void> {
  const checked = new Set<string>();
  for (const uri of [...record.rua, ...record.ruf]) {
    const match = /^mailto:[^@]+@([^!?]+)/i.exec(uri);
    if (!match) continue;
    const destination = stripDot(match[1]).toLowerCase();
    if (checked.has(destination)) continue;
    checked.add(destination);
    const base = { host: `_dmarc.${record.domain}`, record: record.record, raw: record.raw, key: destination };
    if (registrable(destination) !== registrable(orgDomain) && registrable(destination) !== registrable(record.domain)) {
      const name = `${record.domain}._report._dmarc.${destination}`;
      const answer = await lookupChasingCname(resolver, name, 'TXT');
      if (isUnverifiable(answer.status)) findings.push(couldNotVerify(answer, `the report authorisation ${name}`));
      else if (!joinedTxt(answer).some(isDmarcRecord)) {
        findings.push(
          emailFinding('email/dmarc-external-rua-unauthorized', {
            ...base,
            message: `Reports for ${record.domain} go to ${destination}, which has not authorised them: no "v=DMARC1" TXT at ${name} (${answer.status}).`,
            raw: [...record.raw, ...answer.raw],
            extra: { authorizationName: name },
          }),
        );
      }
    }
    await checkDeliverable(resolver, destination, base, findings);
  }
}

async function checkDeliverable(resolver: DnsResolver, destination: string, base: { host: string; record: string; raw: string[]; key: string }, findings: Finding[]): Promise<void> {
  const mx = await lookupChasingCname(resolver, destination, 'MX');
  if (isUnverifiable(mx.status)) {
    findings.push(couldNotVerify(mx, `the MX of report destination ${destination}`));
    return;
  }
  const exchanges = mx.records.flatMap((record) => (record.type === 'MX' ? [stripDot(record.exchange)] : []));
  const nullMx = exchanges.length === 1 && exchanges[0] === '';
  if (exchanges.length > 0 && !nullMx) return;
  if (!nullMx) {
    // RFC 5321 §5.1: without MX, mail goes to the name's address records.
    const address = await lookupChasingCname(resolver, destination, 'A');
    if (address.records.length > 0 || isUnverifiable(address.status)) return;
  }
  findings.push(
    emailFinding('email/dmarc-report-undeliverable', {
      ...base,
      message: `DMARC reports go to ${destination}, which ${nullMx ? 'publishes a null MX (accepts no mail)' : 'has no MX or address record'}.`,
      raw: [...base.raw, ...mx.raw],
    }),
  );
}

