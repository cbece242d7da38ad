import { STAGES, type Severity } from '../model';
import { stagesOfFinding } from '../readiness/stage-status';
import { describeCounts } from '../report/summary';
import type { CheckId, ItemStatus, Report, ReportFinding, StageStatus } from './report';

// The audit for people: readiness per stage in roadmap order, what to fix first, then every
// finding grouped by the stage it counts in (that of its readiness item), so a stage's findings
// are the ones its status line counts. Evidence is already redacted; nothing here sees a raw value.

export interface AuditTextOptions {
  color: boolean;
  /** How many blockers/high findings "what to fix first" lists (default 5). */
  top?: number;
  /** Where the report was saved, to say so at the end. */
  savedTo?: string;
}

type Style = Severity | StageStatus | 'dim' | 'bold' | 'attested';
const COLORS: Record<Style, [number, number]> = {
  blocker: [31, 39],
  high: [31, 39],
  medium: [33, 39],
  low: [36, 39],
  fail: [31, 39],
  warn: [33, 39],
  pass: [32, 39],
  'not-checked': [2, 22],
  attested: [34, 39],
  dim: [2, 22],
  bold: [1, 22],
};

const STATUS_LABEL: Record<ItemStatus, string> = {
  pass: 'pass',
  warn: 'warn',
  fail: 'FAIL',
  'not-checked': 'not checked',
  attested: 'attested',
  'not-applicable': 'n/a',
};

const CHECK_TITLE: Record<CheckId, string> = { launch: 'launch.yaml', secrets: 'secrets', env: 'env files', dns: 'DNS', email: 'email', web: 'HTTPS' };

function where(finding: ReportFinding): string {
  if (finding.location.kind === 'host') return finding.location.subject ? `${finding.location.host} ${finding.location.subject}` : finding.location.host;
  const { path, range } = finding.location;
  return path === '.' ? '(workspace)' : `${path}:${range.startLine}:${range.startColumn}`;
}

export function auditToText(report: Report, options: AuditTextOptions): string {
  const paint = (style: Style, text: string) => (options.color ? `\u001b[${COLORS[style][0]}m${text}\u001b[${COLORS[style][1]}m` : text);
  const statusStyle = (status: ItemStatus): Style => (status === 'not-applicable' ? 'dim' : status);
  const lines: string[] = [];
  const app = report.app ? `${report.app.name} (${report.app.stage})` : report.root;
  lines.push(paint('bold', `Launch readiness: ${app}`));
  lines.push(paint('dim', `Checked from ${report.checkedFrom} at ${report.generatedAt}${report.offline ? ', offline' : ''}.`));
  lines.push('');

  const stages = STAGES.map((stage) => report.stages[stage]);
  const width = Math.max(...stages.map((stage) => stage.title.length)) + 2;
  for (const stage of stages) {
    const label = STATUS_LABEL[stage.status].padEnd(11);
    const counted = describeCounts(stage.counts);
    const items = stage.items
      .filter((item) => item.status !== 'not-checked')
      .map((item) => `${item.id} ${STATUS_LABEL[item.status]}${item.unverified ? ' (unverified)' : ''}`)
      .join(', ');
    const detail = [counted === 'no findings' ? '' : counted, items].filter(Boolean).join('; ');
    const status = paint(statusStyle(stage.status), detail ? label : label.trimEnd());
    lines.push(`  ${stage.title.padEnd(width)}${status}${detail ? ` ${paint('dim', detail)}` : ''}`);
  }
  const notRun = report.checks.filter((check) => check.status !== 'ran');
  for (const check of notRun) {
    lines.push(paint(check.status === 'failed' ? 'fail' : 'dim', `  ${CHECK_TITLE[check.id]} ${check.status === 'failed' ? 'failed' : 'not checked'}: ${check.reason ?? ''}`));
  }
  lines.push('');

  const open = report.findings.filter((finding) => !finding.accepted);
  const urgent = open.filter((finding) => finding.severity === 'blocker' || finding.severity === 'high').slice(0, options.top ?? 5);
  if (urgent.length > 0) {
    lines.push(paint('bold', 'What to fix first:'));
    urgent.forEach((finding, index) => {
      lines.push(`  ${index + 1}. ${paint(finding.severity, finding.severity.toUpperCase())} ${where(finding)}: ${finding.message}`);
      lines.push(`     ${paint('dim', `→ ${finding.remediation}`)}`);
    });
    lines.push('');
  }

  for (const stage of stages) {
    const findings = report.findings.filter((finding) => stagesOfFinding(finding).includes(stage.stage));
    if (findings.length === 0) continue;
    lines.push(paint('bold', stage.title));
    for (const finding of findings) {
      const severity = paint(finding.severity, finding.severity.toUpperCase().padEnd(7));
      const evidence = finding.evidence ? ` ${paint('dim', finding.evidence)}` : '';
      const accepted = finding.accepted ? paint('attested', ` [accepted by ${finding.accepted.acceptedBy} until ${finding.accepted.until}]`) : '';
      lines.push(`  ${severity} ${where(finding)}  ${finding.message}${evidence}${accepted}  ${paint('dim', finding.ruleId)}`);
      const records = Array.isArray(finding.observed?.records) ? (finding.observed.records as unknown[]).filter((record): record is string => typeof record === 'string') : [];
      for (const record of records.slice(0, 4)) lines.push(`          ${paint('dim', record)}`);
      lines.push(`          ${paint('dim', `→ ${finding.remediation}`)}`);
    }
    lines.push('');
  }

  if (report.attested.length > 0) {
    lines.push(paint('bold', 'Attested'));
    for (const attestation of report.attested) {
      const what = attestation.notApplicable !== undefined ? `not applicable: ${attestation.notApplicable}` : (attestation.evidence ?? 'no evidence given');
      lines.push(`  ${attestation.item.padEnd(4)} ${attestation.by}, ${attestation.date}: ${what}`);
    }
    lines.push('');
  }
  const expired = report.acceptedRisks.filter((risk) => risk.expired);
  for (const risk of expired) lines.push(paint('medium', `Acceptance of "${risk.risk}" by ${risk.acceptedBy} ran out on ${risk.until}; its findings count again.`));

  const total = open.length;
  const summary = total === 0 ? paint('pass', 'No open findings.') : paint('bold', `${total} open finding${total === 1 ? '' : 's'}: ${describeCounts(report.counts)}.`);
  const extra = [report.acceptedFindings > 0 ? `${report.acceptedFindings} accepted` : '', options.savedTo ? `report saved to ${options.savedTo}` : ''].filter(Boolean).join('; ');
  lines.push(extra ? `${summary} ${paint('dim', extra)}` : summary);
  return lines.join('\n') + '\n';
}
