import type { Finding } from '../../model';
import type { DnsResolver, LookupResult } from '../../net/dns-types';
import { isUnverifiable, joinedTxt, lookupChasingCname, stripDot } from '../dns';
import { couldNotVerify, emailFinding } from '../findings';
import { isSpfRecord, parseSpf, type ParsedSpf, type SpfMechanism } from './parse';

// The SPF record as a launch check sees it (not one message's check_host()): every include and
// redirect followed, each term's DNS-lookup cost counted statically, and the tree of costs kept so
// the finding can say which include eats the budget.

export interface SpfCostNode {
  /** The term as written (`include:_spf.example.com`), or the domain for the root. */
  term: string;
  /** The domain this node's record was read from (include/redirect targets and the root). */
  domain?: string;
  /** What the term itself costs: 1 for include, a, mx, ptr, exists, redirect; 0 otherwise. */
  cost: number;
  /** cost plus everything below it. */
  total: number;
  voidLookups: number;
  record?: string;
  note?: string;
  children: SpfCostNode[];
}

export interface SpfAnalysis {
  domain: string;
  /** The root record, joined from its TXT strings. */
  record?: string;
  raw: string[];
  parsed?: ParsedSpf;
  tree?: SpfCostNode;
  lookups: number;
  voidLookups: number;
  findings: Finding[];
}

export interface SpfAnalysisOptions {
  /** Includes launch.yaml expects (the email provider's), e.g. `_spf.google.com`. */
  expectedIncludes?: readonly string[];
  maxLookups?: number;
  maxVoidLookups?: number;
}

/** Bytes a DNS answer of these TXT records takes on the wire (name compressed), for the 512-byte UDP limit. */
export function estimateTxtAnswerSize(name: string, records: readonly string[][]): number {
  const question = stripDot(name).length + 2 + 4;
  const rdata = records.reduce((sum, strings) => sum + 2 + 10 + strings.reduce((inner, text) => inner + 1 + Buffer.byteLength(text, 'utf8'), 0), 0);
  return 12 + question + rdata;
}

const UDP_LIMIT = 512;

export async function analyzeSpf(resolver: DnsResolver, domain: string, options: SpfAnalysisOptions = {}): Promise<SpfAnalysis> {
  const maxLookups = options.maxLookups ?? 10;
  const maxVoid = options.maxVoidLookups ?? 2;
  const findings: Finding[] = [];
  const answer = await lookupChasingCname(resolver, domain, 'TXT');
  const analysis: SpfAnalysis = { domain, raw: answer.raw, lookups: 0, voidLookups: 0, findings };
  if (isUnverifiable(answer.status)) {
    findings.push(couldNotVerify(answer, `the SPF record of ${domain}`));
    return analysis;
  }
  const txt = answer.records.flatMap((record) => (record.type === 'TXT' ? [record.strings] : []));
  const spfRecords = txt.filter((strings) => isSpfRecord(strings.join('')));
  const raw = answer.raw.filter((line) => /v=spf1/i.test(line));
  if (spfRecords.length === 0) {
    findings.push(
      emailFinding('email/spf-missing', {
        host: domain,
        message: `${domain} publishes no SPF record (${answer.status === 'nxdomain' ? 'the name does not exist' : `${txt.length} TXT record(s), none starting with v=spf1`}).`,
        raw: answer.raw,
      }),
    );
    return analysis;
  }
  if (spfRecords.length > 1) {
    findings.push(
      emailFinding('email/spf-multiple', {
        host: domain,
        message: `${domain} publishes ${spfRecords.length} SPF records; receivers return permerror for every message.`,
        record: spfRecords.map((strings) => strings.join('')).join('\n'),
        raw,
      }),
    );
  }
  const strings = spfRecords[0];
  const record = strings.join('');
  analysis.record = record;
  analysis.raw = raw;

  for (const piece of strings) {
    const bytes = Buffer.byteLength(piece, 'utf8');
    if (bytes > 255) {
      findings.push(
        emailFinding('email/spf-record-size', {
          host: domain,
          message: `A TXT string of the SPF record is ${bytes} bytes; one string holds at most 255 bytes, so it must be split.`,
          record,
          raw,
          key: 'string',
        }),
      );
    }
  }
  const answerSize = estimateTxtAnswerSize(domain, txt);
  if (answerSize > UDP_LIMIT || answer.viaTcp) {
    findings.push(
      emailFinding('email/spf-record-size', {
        host: domain,
        message: `The TXT answer for ${domain} is about ${answerSize} bytes (${txt.length} TXT records)${answer.viaTcp ? ' and came back truncated over UDP' : ''}; it needs TCP, which some receivers do not retry.`,
        severity: 'low',
        record,
        raw: answer.raw,
        key: 'answer',
        extra: { answerBytes: answerSize, txtRecords: txt.length },
      }),
    );
  }

  const walker = new Walker(resolver, findings);
  const tree = await walker.walk(domain, record, raw, [domain.toLowerCase()], domain);
  analysis.tree = tree;
  analysis.parsed = walker.rootParsed;
  analysis.lookups = tree.total;
  analysis.voidLookups = sumVoids(tree);

  if (analysis.lookups > maxLookups) {
    findings.push(
      emailFinding('email/spf-lookup-limit', {
        host: domain,
        message: `SPF for ${domain} needs ${analysis.lookups} DNS lookups (limit ${maxLookups}): ${describeCosts(tree)}.`,
        record,
        raw,
        extra: { lookups: analysis.lookups, costTree: formatCostTree(tree), tree },
      }),
    );
  }
  if (analysis.voidLookups > maxVoid) {
    findings.push(
      emailFinding('email/spf-void-limit', {
        host: domain,
        message: `SPF for ${domain} has ${analysis.voidLookups} void lookups (limit ${maxVoid}): ${voidTerms(tree).join(', ')}.`,
        record,
        raw,
        extra: { voidLookups: analysis.voidLookups },
      }),
    );
  }
  checkAll(domain, tree, walker, findings, raw);
  const reached = new Set(includeTargets(tree));
  for (const expected of options.expectedIncludes ?? []) {
    const wanted = stripDot(expected.replace(/^include:/i, '')).toLowerCase();
    if (!reached.has(wanted)) {
      findings.push(
        emailFinding('email/spf-provider-include-missing', {
          host: domain,
          message: `The SPF record of ${domain} does not include ${wanted}, the include launch.yaml declares for the email provider.`,
          record,
          raw,
          key: wanted,
          extra: { expected: wanted, includes: [...reached] },
        }),
      );
    }
  }
  return analysis;
}

class Walker {
  rootParsed?: ParsedSpf;
  /** Parsed records by domain, for the `all` check along the redirect chain. */
  readonly parsedByDomain = new Map<string, ParsedSpf>();

  constructor(
    private readonly resolver: DnsResolver,
    private readonly findings: Finding[],
  ) {}

  async walk(domain: string, record: string, raw: readonly string[], stack: string[], term: string): Promise<SpfCostNode> {
    const parsed = parseSpf(record);
    this.rootParsed ??= parsed;
    this.parsedByDomain.set(domain.toLowerCase(), parsed);
    const node: SpfCostNode = { term, domain, cost: 0, total: 0, voidLookups: 0, record, children: [] };
    for (const error of parsed.errors) {
      this.findings.push(
        emailFinding('email/spf-syntax', {
          host: domain,
          message: `SPF syntax error in ${domain} at character ${error.start}: ${error.message} (\`${record.slice(error.start, error.end) || record.slice(error.start, error.start + 10)}\`).`,
          record,
          raw,
          position: { start: error.start, end: error.end },
          key: `${error.start}:${error.message}`,
        }),
      );
    }
    const hasAll = parsed.terms.some((t) => t.kind === 'mechanism' && t.name === 'all');
    for (const t of parsed.terms) {
      if (t.kind === 'modifier') {
        if (t.name !== 'redirect') continue;
        // With an `all` in the record receivers never reach redirect=, so it costs nothing.
        if (!hasAll) node.children.push(await this.follow(domain, t.text, t.value, stack, raw, record));
        continue;
      }
      if (t.name === 'all' && t.qualifier === '+' && /^[+]?include:/i.test(term)) {
        // An included +all is a match for every client, so it authorises the world for the includer.
        this.findings.push(
          emailFinding('email/spf-permissive-all', {
            host: domain,
            message: `\`${term}\` reaches ${domain}, whose record ends in \`${t.text}\`: the include matches every server on the internet.`,
            record,
            raw,
            position: { start: t.start, end: t.end },
            key: `include:${domain}`,
          }),
        );
      }
      if (t.name === 'ptr') {
        this.findings.push(
          emailFinding('email/spf-ptr', {
            host: domain,
            message: `${domain}'s SPF record uses the deprecated \`${t.text}\` (character ${t.start}).`,
            record,
            raw,
            position: { start: t.start, end: t.end },
            key: `${t.start}`,
          }),
        );
      }
      switch (t.name) {
        case 'include':
          node.children.push(await this.follow(domain, t.text, t.domainSpec ?? '', stack, raw, record));
          break;
        case 'a':
        case 'mx':
        case 'ptr':
        case 'exists':
          node.children.push(await this.leaf(domain, t));
          break;
        default:
          break;
      }
    }
    node.total = node.cost + node.children.reduce((sum, child) => sum + child.total, 0);
    return node;
  }

  private async follow(from: string, term: string, spec: string, stack: string[], raw: readonly string[], fromRecord: string): Promise<SpfCostNode> {
    const node: SpfCostNode = { term, cost: 1, total: 1, voidLookups: 0, children: [] };
    if (spec.includes('%')) {
      node.note = 'target uses macros: its cost depends on the message';
      return node;
    }
    const target = stripDot(spec).toLowerCase();
    node.domain = target;
    if (stack.includes(target)) {
      node.note = 'loop';
      this.findings.push(
        emailFinding('email/spf-loop', {
          host: from,
          message: `SPF loop: ${[...stack, target].join(' → ')}.`,
          record: fromRecord,
          raw,
          key: target,
        }),
      );
      return node;
    }
    const answer = await lookupChasingCname(this.resolver, target, 'TXT');
    if (isUnverifiable(answer.status)) {
      node.note = `could not verify (${answer.status})`;
      this.findings.push(couldNotVerify(answer, `the SPF record of ${target} (${term} in ${from})`));
      return node;
    }
    const records = joinedTxt(answer).filter(isSpfRecord);
    if (records.length !== 1) {
      if (records.length === 0 && (answer.status === 'nxdomain' || answer.status === 'nodata')) node.voidLookups = 1;
      node.note = records.length === 0 ? 'no SPF record' : `${records.length} SPF records`;
      this.findings.push(
        emailFinding(records.length === 0 ? 'email/spf-include-broken' : 'email/spf-multiple', {
          host: from,
          message:
            records.length === 0
              ? `\`${term}\` in ${from}'s SPF record points at ${target}, which has no SPF record (${answer.status}); receivers return permerror.`
              : `\`${term}\` in ${from}'s SPF record points at ${target}, which publishes ${records.length} SPF records; receivers return permerror.`,
          record: fromRecord,
          raw: [...raw, ...answer.raw],
          key: target,
        }),
      );
      return node;
    }
    const child = await this.walk(target, records[0], answer.raw, [...stack, target], term);
    return { ...child, term, cost: 1, total: 1 + child.total };
  }

  /** a, mx, ptr and exists: one lookup each; a name with no records is a void lookup. */
  private async leaf(domain: string, mechanism: SpfMechanism): Promise<SpfCostNode> {
    const node: SpfCostNode = { term: mechanism.text, cost: 1, total: 1, voidLookups: 0, children: [] };
    if (mechanism.name === 'ptr' || mechanism.domainSpec?.includes('%')) return node;
    const target = stripDot(mechanism.domainSpec ?? domain);
    node.domain = target;
    const lookups: LookupResult[] =
      mechanism.name === 'mx'
        ? [await lookupChasingCname(this.resolver, target, 'MX')]
        : mechanism.name === 'exists'
          ? [await lookupChasingCname(this.resolver, target, 'A')]
          : [await lookupChasingCname(this.resolver, target, 'A'), await lookupChasingCname(this.resolver, target, 'AAAA')];
    const failed = lookups.find((lookup) => isUnverifiable(lookup.status));
    if (failed) {
      node.note = `could not verify (${failed.status})`;
      this.findings.push(couldNotVerify(failed, `\`${mechanism.text}\` in ${domain}'s SPF record`));
      return node;
    }
    if (lookups.every((lookup) => lookup.records.length === 0)) {
      node.voidLookups = 1;
      node.note = `void: ${target} has no ${mechanism.name === 'mx' ? 'MX' : 'address'} records`;
    }
    if (mechanism.name === 'mx' && lookups[0].records.length > 10) {
      node.note = `${lookups[0].records.length} MX records: more than 10 makes the mechanism a permerror`;
    }
    return node;
  }
}

function sumVoids(node: SpfCostNode): number {
  return node.voidLookups + node.children.reduce((sum, child) => sum + sumVoids(child), 0);
}

function voidTerms(node: SpfCostNode): string[] {
  return [...(node.voidLookups > 0 ? [node.term] : []), ...node.children.flatMap(voidTerms)];
}

function includeTargets(node: SpfCostNode): string[] {
  return node.children.flatMap((child) => [...(/^[+\-~?]?include:/i.test(child.term) && child.domain ? [child.domain] : []), ...includeTargets(child)]);
}

/** `include:a (4), include:b (2), mx (1)`: the top-level terms and what each costs in total. */
export function describeCosts(tree: SpfCostNode): string {
  return tree.children.map((child) => `${child.term} (${child.total})`).join(', ');
}

/** One line per term that costs lookups, indented under its include: `include:a.test  total 4`. */
export function formatCostTree(tree: SpfCostNode): string[] {
  const lines = [`${tree.term}: ${tree.total} DNS lookups`];
  const visit = (node: SpfCostNode, depth: number) => {
    for (const child of node.children) {
      if (child.total === 0) continue;
      lines.push(`${'  '.repeat(depth)}${child.term}  ${child.total}${child.note ? `  (${child.note})` : ''}`);
      visit(child, depth + 1);
    }
  };
  visit(tree, 1);
  return lines;
}

/** The verdict for unlisted servers comes from the root record's `all`, or its redirect target's. */
function checkAll(domain: string, tree: SpfCostNode, walker: Walker, findings: Finding[], raw: readonly string[]): void {
  let node: SpfCostNode | undefined = tree;
  const seen = new Set<string>();
  while (node?.domain && !seen.has(node.domain.toLowerCase())) {
    seen.add(node.domain.toLowerCase());
    const parsed = walker.parsedByDomain.get(node.domain.toLowerCase());
    if (!parsed) return;
    const all = parsed.terms.find((term): term is SpfMechanism => term.kind === 'mechanism' && term.name === 'all');
    if (all) {
      if (all.qualifier === '+' || all.qualifier === '?') {
        findings.push(
          emailFinding('email/spf-permissive-all', {
            host: node.domain,
            severity: all.qualifier === '+' ? 'blocker' : 'high',
            message:
              all.qualifier === '+'
                ? `\`${all.text}\` at character ${all.start} lets every server on the internet send as ${domain}.`
                : `\`${all.text}\` at character ${all.start} leaves unlisted servers neutral, so spoofed mail from ${domain} is not failed.`,
            record: parsed.record,
            raw: node === tree ? raw : undefined,
            position: { start: all.start, end: all.end },
          }),
        );
      }
      return;
    }
    if (!parsed.redirect) {
      findings.push(
        emailFinding('email/spf-no-all', {
          host: node.domain,
          message: `The SPF record of ${node.domain} ends without \`all\` or \`redirect=\`: unlisted servers get neutral.`,
          record: parsed.record,
          raw: node === tree ? raw : undefined,
        }),
      );
      return;
    }
    node = node.children.find((child) => /^redirect=/i.test(child.term));
  }
}
