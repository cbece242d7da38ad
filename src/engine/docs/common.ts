import type { OwnedAccount, YamlPath } from '../launch/model';
import { severityRank, STAGES, type Finding, type Severity, type Stage } from '../model';
import { readinessItemsFor, STAGE_TITLES } from '../readiness/catalog';
import { isStageLevelFinding, stagesOfFinding, type PlacedFinding } from '../readiness/stage-status';
import type { DocsInput, StageStatus } from './input';
import { code, link, text } from './markdown';

// Helpers both documents share: what the last audit says about a stage, a host or a rule, in a
// fixed order, and links back to the lines of launch.yaml the facts come from.

export const NOT_CHECKED = 'not checked';

export const ACCOUNT_TITLES: Record<OwnedAccount, string> = {
  registrar: 'Domain registrar',
  dns: 'DNS',
  hosting: 'Hosting',
  edge: 'Edge / CDN',
  email: 'Email provider',
  monitoring: 'Monitoring',
  errorTracking: 'Error tracking',
  analytics: 'Analytics',
  payments: 'Payments',
  database: 'Database',
};
export const NOT_RECORDED = 'not recorded';

export function stageStatus(input: DocsInput, stage: Stage): StageStatus {
  const status = input.audit?.stages[stage] ?? 'not-checked';
  const answered = input.audit?.checkedItems;
  // A stage the audit calls "pass" only because a person attested one of its items was not checked.
  if (status === 'pass' && answered && !readinessItemsFor(stage).some((item) => answered.includes(item.id))) return 'not-checked';
  return status;
}

export function stageChecked(input: DocsInput, stage: Stage): boolean {
  return stageStatus(input, stage) !== 'not-checked';
}

/**
 * Whether the audit looked at a readiness item (R6, M1 …). Per-item answers win over the stage's
 * status: a stage can read "pass" because one item in it was attested while the checks behind
 * another never ran (an offline audit).
 */
export function itemChecked(input: DocsInput, stage: Stage, item: string): boolean {
  const items = input.audit?.checkedItems;
  return items ? items.includes(item) : stageChecked(input, stage);
}

export function statusLabel(status: StageStatus): string {
  return status === 'not-checked' ? NOT_CHECKED : status;
}

function where(finding: Finding): string {
  return finding.location.kind === 'file' ? finding.location.path : `${finding.location.host}\0${finding.location.subject ?? ''}`;
}

function line(finding: Finding): number {
  return finding.location.kind === 'file' ? finding.location.range.startLine : 0;
}

/** Most urgent first, then in roadmap order, then by place: the same order on every run. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage) ||
    compareText(where(a), where(b)) ||
    line(a) - line(b) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

/** Code-unit order: unlike localeCompare, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The audit's findings, minus those a still-valid accepted risk in launch.yaml covers. */
export function openFindings(input: DocsInput): Finding[] {
  const accepted = new Set(input.config.acceptedRisks.filter((risk) => !risk.expired && risk.rule).map((risk) => risk.rule));
  return (input.audit?.findings ?? []).filter((finding) => !finding.accepted && !accepted.has(finding.ruleId)).sort(compareFindings);
}

/** Open findings (not covered by an accepted risk) that match. */
export function findingsWhere(input: DocsInput, predicate: (finding: Finding) => boolean): Finding[] {
  return openFindings(input).filter(predicate);
}

export function hostOfFinding(finding: Finding): string | undefined {
  return finding.location.kind === 'host' ? finding.location.host : undefined;
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { blocker: 0, high: 0, medium: 0, low: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/** A finding as the audit placed it: its stage and the readiness items it bears on (read defensively). */
export function placed(finding: Finding): PlacedFinding {
  const items = (finding as Finding & { items?: unknown }).items;
  return { stage: finding.stage, items: Array.isArray(items) ? items.filter((id): id is string => typeof id === 'string') : [] };
}

/**
 * The stages an open finding counts in, as the audit counts them: those of the readiness items it
 * bears on, or the stage it is filed under when it bears on none. An item launch.yaml marks not
 * applicable keeps its findings out of its stage, as it does in the audit.
 */
export function countingStages(input: DocsInput, finding: Finding): Stage[] {
  const where = placed(finding);
  if (isStageLevelFinding(where)) return [where.stage];
  const notApplicable = new Set(input.config.attestations.filter((entry) => entry.notApplicable !== undefined).map((entry) => entry.item));
  const applicable = (where.items ?? []).filter((id) => !notApplicable.has(id));
  return applicable.length > 0 ? stagesOfFinding({ stage: where.stage, items: applicable }) : [];
}

export function stageTitle(stage: Stage): string {
  return STAGE_TITLES[stage];
}

/** Path from the output folder to a workspace file, with forward slashes. */
export function fromOut(input: DocsInput, workspacePath: string): string {
  const base = input.rootFromOut ?? '';
  return base === '' ? workspacePath : `${base.replace(/\/+$/, '')}/${workspacePath}`;
}

/**
 * `[launch.yaml line 12](launch.yaml#L12)`: GitHub and VS Code's markdown preview both open the
 * file at the line for a `#L<n>` fragment. Without a known line the link opens the file.
 */
export function yamlLink(input: DocsInput, path: YamlPath): string {
  const lineNumber = path.length === 0 ? undefined : input.lineOf?.(path);
  const target = fromOut(input, input.configPath);
  return lineNumber === undefined ? link(input.configPath, target) : link(`${input.configPath} line ${lineNumber}`, `${target}#L${lineNumber}`);
}

/** File findings as `path:line`, host findings as their URL or host and record type. */
export function findingPlace(input: DocsInput, finding: Finding): string {
  const location = finding.location;
  if (location.kind === 'file') {
    const label = `${location.path}:${location.range.startLine}${location.commit ? ` (commit ${location.commit.slice(0, 12)})` : ''}`;
    return location.commit ? code(label) : link(label, `${fromOut(input, location.path)}#L${location.range.startLine}`);
  }
  return code(location.subject && location.subject.includes('://') ? location.subject : `${location.host}${location.subject ? ` ${location.subject}` : ''}`);
}

/** The registrable domain (`acme.co.uk` for `www.acme.co.uk`): where apex, MX and NS records live. */
export function apexOf(input: DocsInput): string | undefined {
  const primary = input.config.domain?.primary;
  return primary ? (primary.registrableDomain ?? primary.name) : undefined;
}

export function orNotRecorded(value: string | undefined): string {
  return value === undefined || value.trim() === '' ? NOT_RECORDED : text(value);
}

export function attestation(input: DocsInput, item: string): string {
  const found = input.config.attestations.find((entry) => entry.item === item);
  if (!found) return `${NOT_RECORDED} (attest ${item} in launch.yaml)`;
  if (found.notApplicable) return `not applicable: ${text(found.notApplicable)} (${text(found.by)}, ${text(found.date)})`;
  const evidence = found.evidence ? `; evidence: ${text(found.evidence)}` : '';
  const note = found.note ? `; ${text(found.note)}` : '';
  return `${text(found.date)} by ${text(found.by)}${evidence}${note}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function observedNumber(finding: Finding | undefined, key: string): number | undefined {
  const value = finding?.observed?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function keepBlock(name: string, defaultBody: string): string {
  return `<!-- launch-ready:keep:start ${name} -->\n${defaultBody}\n<!-- launch-ready:keep:end -->`;
}
