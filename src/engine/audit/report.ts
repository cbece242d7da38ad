import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AcceptedRisk, Attestation } from '../launch/model';
import { severityRank, STAGES, type Finding, type SkipNote, type Stage } from '../model';
import { readinessItem, readinessItemsFor, STAGE_TITLES } from '../readiness/catalog';
import { isStageLevelFinding, stageStatusOf, type ItemStatus, type StageStatus } from '../readiness/stage-status';
import { countBySeverity, type SeverityCounts } from '../report/summary';
import type { DnsFacts } from '../dns';

// The audit's result as one serialisable value: findings (most urgent first, accepted risks
// marked), counts, readiness per stage and per item, attestations, and which checks ran. The CLI
// prints it, the editor shows the last one at startup without the network, the docs generator
// reads it. Findings arrive redacted, so the report never holds a secret value.

export type CheckId = 'launch' | 'secrets' | 'env' | 'dns' | 'email' | 'web';
export type { ItemStatus, StageStatus };

export interface CheckRun {
  id: CheckId;
  status: 'ran' | 'skipped' | 'failed';
  /** Why the check was skipped or failed. */
  reason?: string;
  durationMs?: number;
  findings: number;
  /** Readiness items this check answered (empty when it did not run). */
  items: string[];
}

export interface Acceptance {
  risk: string;
  acceptedBy: string;
  until: string;
  item?: string;
  rule?: string;
}

export interface ReportFinding extends Finding {
  /** Readiness items the finding bears on. */
  items?: string[];
  /** A risk accepted in launch.yaml (and not expired) covers this finding. */
  accepted?: Acceptance;
}

export interface ItemReadiness {
  id: string;
  title: string;
  status: ItemStatus;
  /** Open (not accepted) findings on the item. */
  findings: number;
  accepted: number;
  /** Some lookup behind the item could not be verified (timeout, SERVFAIL …). */
  unverified?: boolean;
  checkedBy: CheckId[];
  attestation?: Attestation;
}

export interface StageReadiness {
  stage: Stage;
  title: string;
  status: StageStatus;
  /**
   * Open findings by severity: those on its failing or warning items, and its stage-level findings
   * (filed under the stage, bearing on no item). A finding counts in the stage of the items it bears
   * on, not also in the one it is filed under (see stagesOfFinding), so the counts are what the
   * status was decided from.
   */
  counts: SeverityCounts;
  items: ItemReadiness[];
}

export interface AcceptedRiskState extends AcceptedRisk {
  /** Findings this acceptance covers in this audit (0 when expired). */
  matched: number;
}

export interface LatencySummary {
  url: string;
  budgetP95Ms: number;
  samples: number;
  failures: number;
  p95Ms?: number;
}

/** The certificate a host presented at the audit (leaf), for renewal dates and the handover. */
export interface CertificateFact {
  host: string;
  issuer: string;
  subject: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** Whole days from the audit to notAfter (negative once expired). */
  daysLeft: number;
  subjectAltNames: string[];
  keyType?: string;
  /** RSA modulus bits, or EC curve bits. */
  keyBits?: number;
  /** The chain verified to a trusted root from the machine the audit ran on. */
  trusted: boolean;
  hostnameMatches: boolean;
  /** Negotiated TLS version (`TLSv1.3`). */
  protocol?: string;
  fingerprint256: string;
}

export interface ReportFacts {
  dns?: DnsFacts;
  /** Keyed by host: every host whose TLS handshake completed (absent when the HTTPS checks did not run). */
  tls?: Record<string, CertificateFact>;
}

export interface Report {
  kind: 'launch-ready-audit';
  version: 1;
  tool: { name: string; version: string };
  /** ISO 8601. */
  generatedAt: string;
  /** The machine the live checks ran from (answers from a VPN laptop and a CI runner can differ). */
  checkedFrom: string;
  root: string;
  launchFile?: string;
  app?: { name: string; stage: string };
  offline: boolean;
  findings: ReportFinding[];
  /** Open (not accepted) findings by severity. */
  counts: SeverityCounts;
  acceptedFindings: number;
  /** Keyed by stage, in roadmap order. */
  stages: Record<Stage, StageReadiness>;
  attested: Attestation[];
  acceptedRisks: AcceptedRiskState[];
  checks: CheckRun[];
  facts: ReportFacts;
  /** Latency the HTTPS checks sampled (findings carry only the endpoints over budget). */
  latency?: LatencySummary[];
  skipped: SkipNote[];
  notes: SkipNote[];
}

/** Which readiness items a rule bears on: the first matching entry wins (exact ids before prefixes). */
const RULE_ITEMS: readonly (readonly [string, readonly string[]])[] = [
  ['secret/', ['S1']],
  ['env/committed-in-history', ['S1', 'S2']],
  ['env/not-ignored', ['S2']],
  ['env/tracked-by-git', ['S2']],
  ['env/example-', ['S2']],
  ['env/missing-from-env', ['S2']],
  ['env/missing-required-variable', ['S3']],
  ['env/shared-secret-across-environments', ['S4']],
  ['env/test-key-in-production', ['S4']],
  ['env/shared-service-url', ['S4']],
  // Production values that are wrong for production (a localhost URL, debug on, plain http).
  ['env/local-url-in-production', ['S3']],
  ['env/debug-in-production', ['S3']],
  ['env/insecure-url-in-production', ['S3']],
  // The rest is env-file hygiene (syntax, values dotenv reads differently, unreadable files): S2.
  ['env/', ['S2']],
  ['dns/ttl-', ['D5']],
  ['dns/caa-', ['D6']],
  ['dns/dnssec-', ['D6']],
  ['dns/', ['D1']],
  ['email/spf-', ['M1']],
  ['email/dkim-', ['M2']],
  ['email/dmarc-alignment', ['M4']],
  ['email/dmarc-', ['M3']],
  ['email/null-mx-incomplete', ['M7']],
  ['email/mx-', ['M8']],
  ['email/mta-sts-', ['M8']],
  ['email/tls-rpt-', ['M8']],
  ['web/https-upgrade-other-host', ['D3']],
  ['web/http-not-upgraded', ['D3']],
  ['web/redirect-', ['D2', 'D4']],
  ['web/cert-', ['E1']],
  ['web/tls-legacy-protocol', ['E1']],
  ['web/unreachable', ['E1']],
  ['web/hsts-', ['E3']],
  ['web/edge-', ['E4']],
  ['web/origin-exposed', ['E4']],
  ['web/header-', ['E5']],
  ['web/mixed-content', ['E5']],
  ['web/cookie-', ['E6']],
  ['web/private-host-exposed', ['A7']],
  ['web/staging-indexable', ['A7']],
  ['web/version-banner', ['A7']],
  ['web/git-exposed', ['A7']],
  ['web/security-txt-missing', ['A8']],
  ['web/cache-static-short', ['P1']],
  ['web/cache-public-with-cookie', ['P2']],
  ['web/compression-off', ['P3']],
  // The p95 budgets in launch.yaml are the launch's performance baseline, measured live: P7 is
  // the performance stage's live speed item. Not R6: a slow health endpoint is not a failing one,
  // and an item in another stage would leave "Performance and caching" failing above items that pass.
  ['web/latency-over-budget', ['P7']],
  ['web/health-failing', ['R6']],
  ['launch/expired-acceptance', ['H4']],
];

/**
 * Rules whose findings bear on no readiness item: launch.yaml itself (it says what to check), a
 * check that could not run, and extras the catalogue does not cover. They count on the stage they
 * are filed under, and the editor lists them under that stage. Every other rule maps to an item.
 */
export const STAGE_LEVEL_RULES: readonly string[] = [
  'launch/',
  'audit/',
  // BIMI is an optional extra the catalogue has no item for; it still shows under Email.
  'email/bimi-',
];

export function isStageLevelRule(ruleId: string): boolean {
  return STAGE_LEVEL_RULES.some((prefix) => ruleId.startsWith(prefix));
}

/** Email lookups that could not be verified bear on the item their record belongs to. */
function unverifiedEmailItems(finding: Finding): string[] {
  if (finding.location.kind !== 'host') return [];
  const host = finding.location.host;
  if (host.startsWith('_dmarc.') || host.includes('._report._dmarc.')) return ['M3'];
  if (host.includes('._domainkey.')) return ['M2'];
  if (finding.location.subject === 'MX' || host.startsWith('_mta-sts.') || host.startsWith('_smtp._tls.')) return ['M8'];
  return ['M1'];
}

export function readinessItemsForFinding(finding: Finding): string[] {
  if (finding.ruleId === 'email/could-not-verify') return unverifiedEmailItems(finding);
  if (finding.ruleId === 'dns/could-not-verify' && finding.location.kind === 'host') {
    return finding.location.subject === 'CAA' || finding.location.subject === 'DS' ? ['D6'] : ['D1'];
  }
  // A finding that stands for others at the same value (see the audit's dedupe) answers their items too.
  const alsoMatched = Array.isArray(finding.observed?.alsoMatched) ? finding.observed.alsoMatched.filter((id): id is string => typeof id === 'string') : [];
  return [...new Set([finding.ruleId, ...alsoMatched].flatMap(itemsForRule))];
}

function itemsForRule(ruleId: string): readonly string[] {
  const entry = RULE_ITEMS.find(([pattern]) => (pattern.endsWith('/') || pattern.endsWith('-') ? ruleId.startsWith(pattern) : ruleId === pattern));
  return entry ? entry[1] : [];
}

function isUnverified(finding: Finding): boolean {
  return finding.ruleId.endsWith('/could-not-verify');
}

/** `dns/*` or `dns/` match by prefix; anything else must be the exact rule id. */
function ruleMatches(pattern: string, ruleId: string): boolean {
  if (pattern.endsWith('*')) return ruleId.startsWith(pattern.slice(0, -1));
  if (pattern.endsWith('/')) return ruleId.startsWith(pattern);
  return pattern === ruleId;
}

function acceptanceFor(finding: Finding, items: readonly string[], risks: readonly AcceptedRisk[]): AcceptedRisk | undefined {
  return risks.find((risk) => {
    if (risk.expired || (risk.rule === undefined && risk.item === undefined)) return false;
    if (risk.rule !== undefined && !ruleMatches(risk.rule, finding.ruleId)) return false;
    if (risk.item !== undefined && !items.includes(risk.item)) return false;
    return true;
  });
}

export function sortReportFindings<T extends Finding>(findings: T[]): T[] {
  const where = (finding: Finding) => (finding.location.kind === 'file' ? finding.location.path : finding.location.host);
  const line = (finding: Finding) => (finding.location.kind === 'file' ? finding.location.range.startLine : 0);
  return findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage) ||
      where(a).localeCompare(where(b)) ||
      line(a) - line(b) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

function statusOf(findings: readonly ReportFinding[]): 'fail' | 'warn' | undefined {
  if (findings.some((finding) => finding.severity === 'blocker' || finding.severity === 'high')) return 'fail';
  return findings.length > 0 ? 'warn' : undefined;
}

export interface ReportInput {
  tool: { name: string; version: string };
  generatedAt: Date;
  checkedFrom: string;
  root: string;
  launchFile?: string;
  app?: { name: string; stage: string };
  offline: boolean;
  findings: readonly Finding[];
  checks: CheckRun[];
  attestations: readonly Attestation[];
  acceptedRisks: readonly AcceptedRisk[];
  facts?: Report['facts'];
  latency?: LatencySummary[];
  skipped?: readonly SkipNote[];
  notes?: readonly SkipNote[];
}

export function buildReport(input: ReportInput): Report {
  const findings: ReportFinding[] = sortReportFindings(
    input.findings.map((finding) => {
      const items = readinessItemsForFinding(finding);
      const risk = acceptanceFor(finding, items, input.acceptedRisks);
      const result: ReportFinding = { ...finding };
      if (items.length > 0) result.items = items;
      if (risk) result.accepted = { risk: risk.risk, acceptedBy: risk.acceptedBy, until: risk.until, ...(risk.item ? { item: risk.item } : {}), ...(risk.rule ? { rule: risk.rule } : {}) };
      return result;
    }),
  );
  const open = findings.filter((finding) => !finding.accepted);
  const attestationFor = new Map(input.attestations.map((attestation) => [attestation.item, attestation]));

  const stageList: StageReadiness[] = STAGES.map((stage) => {
    const items: ItemReadiness[] = readinessItemsFor(stage).map((item) => {
      const checkedBy = input.checks.filter((check) => check.status === 'ran' && check.items.includes(item.id)).map((check) => check.id);
      const mapped = findings.filter((finding) => finding.items?.includes(item.id));
      const openMapped = mapped.filter((finding) => !finding.accepted);
      const attestation = attestationFor.get(item.id);
      const failing = statusOf(openMapped);
      let status: ItemStatus;
      if (attestation?.notApplicable !== undefined) status = 'not-applicable';
      else if (failing) status = failing;
      else if (checkedBy.length > 0) status = 'pass';
      else if (attestation) status = 'attested';
      else status = 'not-checked';
      const entry: ItemReadiness = { id: item.id, title: item.title, status, findings: openMapped.length, accepted: mapped.length - openMapped.length, checkedBy };
      if (openMapped.some(isUnverified)) entry.unverified = true;
      if (attestation) entry.attestation = attestation;
      return entry;
    });
    // A finding counts where the items it bears on are (a leaked staging host is found by the
    // HTTPS checks but answers A7, under Audit); only a finding that bears on no item counts on the
    // stage it is filed under. An item marked not applicable keeps its findings out of the stage,
    // as it keeps them out of the item. The editor's tree decides a stage with the same function.
    const countingItems = new Set(items.filter((item) => item.status === 'fail' || item.status === 'warn').map((item) => item.id));
    const stageLevel = open.filter((finding) => finding.stage === stage && isStageLevelFinding(finding));
    const stageOpen = open.filter((finding) => stageLevel.includes(finding) || (finding.items ?? []).some((id) => countingItems.has(id)));
    const status = stageStatusOf(
      items.map((item) => item.status),
      stageLevel.map((finding) => finding.severity),
    );
    return { stage, title: STAGE_TITLES[stage], status, counts: countBySeverity(stageOpen), items };
  });

  const acceptedRisks = input.acceptedRisks.map((risk) => ({
    ...risk,
    matched: findings.filter((finding) => finding.accepted && finding.accepted.risk === risk.risk && finding.accepted.acceptedBy === risk.acceptedBy && finding.accepted.until === risk.until).length,
  }));

  return {
    kind: 'launch-ready-audit',
    version: 1,
    tool: input.tool,
    generatedAt: input.generatedAt.toISOString(),
    checkedFrom: input.checkedFrom,
    root: input.root,
    ...(input.launchFile ? { launchFile: input.launchFile } : {}),
    ...(input.app ? { app: input.app } : {}),
    offline: input.offline,
    findings,
    counts: countBySeverity(open),
    acceptedFindings: findings.length - open.length,
    stages: Object.fromEntries(stageList.map((entry) => [entry.stage, entry])) as Record<Stage, StageReadiness>,
    attested: input.attestations.filter((attestation) => readinessItem(attestation.item) !== undefined),
    acceptedRisks,
    checks: input.checks,
    facts: input.facts ?? {},
    ...(input.latency ? { latency: input.latency } : {}),
    skipped: [...(input.skipped ?? [])],
    notes: [...(input.notes ?? [])],
  };
}

/** The findings that decide the exit code: those not covered by an accepted risk. */
export function openFindings(report: Report): ReportFinding[] {
  return report.findings.filter((finding) => !finding.accepted);
}

export const REPORT_DIR = '.launch-ready';
export const REPORT_FILE = 'last-audit.json';

/** Writes `.launch-ready/last-audit.json` atomically (a reader never sees half a file); returns its path. */
export function saveReport(root: string, report: Report): string {
  const dir = join(root, REPORT_DIR);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, REPORT_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(report, null, 2) + '\n');
  renameSync(temporary, file);
  return file;
}

export class ReportFormatError extends Error {}

/** The last saved audit, or undefined when there is none; a file that is not a report throws ReportFormatError. */
export function loadReport(root: string): Report | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, REPORT_DIR, REPORT_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ReportFormatError(`${REPORT_DIR}/${REPORT_FILE} is not valid JSON`);
  }
  const report = value as Partial<Report> | null;
  if (!report || report.kind !== 'launch-ready-audit' || report.version !== 1 || !Array.isArray(report.findings) || typeof report.stages !== 'object' || report.stages === null) {
    throw new ReportFormatError(`${REPORT_DIR}/${REPORT_FILE} is not a launch-ready audit report (version 1)`);
  }
  return report as Report;
}

