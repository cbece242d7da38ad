import type { Finding, Severity } from '../model';
import type { ReportInput } from './json';
import { countBySeverity, describeCounts } from './summary';

// Output for people: grouped by file (by commit and file for history scans), most urgent first,
// colour only when asked for. Evidence is already redacted; nothing here sees a raw value.

export interface TextOptions {
  color: boolean;
  /** Show every skipped file rather than a count. */
  verbose?: boolean;
}

const COLORS: Record<Severity | 'dim' | 'bold' | 'ok', [number, number]> = {
  blocker: [31, 39],
  high: [31, 39],
  medium: [33, 39],
  low: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
  ok: [32, 39],
};

export function toText(input: ReportInput, options: TextOptions): string {
  const paint = (style: keyof typeof COLORS, text: string) =>
    options.color ? `\u001b[${COLORS[style][0]}m${text}\u001b[${COLORS[style][1]}m` : text;
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const finding of input.findings) {
    const where = finding.location.kind === 'file'
      ? finding.location.commit ? `${finding.location.commit.slice(0, 12)}:${finding.location.path}` : finding.location.path
      : finding.location.host;
    const list = groups.get(where) ?? [];
    list.push(finding);
    groups.set(where, list);
  }
  for (const [where, findings] of groups) {
    lines.push(paint('bold', where));
    for (const f of findings) {
      const position = f.location.kind === 'file' ? `${f.location.range.startLine}:${f.location.range.startColumn}` : f.location.subject ?? '';
      const severity = paint(f.severity, f.severity.toUpperCase().padEnd(7));
      const evidence = f.evidence ? ` ${paint('dim', f.evidence)}` : '';
      lines.push(`  ${position.padEnd(9)} ${severity} ${f.message}${evidence}  ${paint('dim', f.ruleId)}`);
      lines.push(`  ${''.padEnd(9)} ${''.padEnd(7)} ${paint('dim', '→ ' + f.remediation)}`);
    }
    lines.push('');
  }
  const counts = countBySeverity(input.findings);
  const skipped = input.skipped ?? [];
  // A note on '.' is about the whole run (a shallow clone, say), not a file: always shown.
  const runNotes = (input.notes ?? []).filter((n) => n.path === '.');
  const notes = (input.notes ?? []).filter((n) => n.path !== '.');
  if (options.verbose) {
    for (const s of skipped) lines.push(paint('dim', `skipped ${s.path}: ${s.reason}`));
    for (const n of notes) lines.push(paint('dim', `note ${n.path}: ${n.reason}`));
  }
  const stats = input.stats ?? {};
  const scope = [
    typeof stats.commitsScanned === 'number' ? `${stats.commitsScanned} commit${stats.commitsScanned === 1 ? '' : 's'}` : '',
    typeof stats.filesScanned === 'number'
      ? `${stats.filesScanned} ${stats.history ? 'file change' : 'file'}${stats.filesScanned === 1 ? '' : 's'} scanned`
      : '',
  ].filter(Boolean).join(', ');
  const caveats = [
    skipped.length > 0 ? `${skipped.length} skipped${options.verbose ? '' : ' (--verbose lists them)'}` : '',
    notes.length > 0 ? `${notes.length} read with a note${options.verbose ? '' : ' (--verbose)'}` : '',
  ].filter(Boolean);
  const what = stats.history ? 'No secrets found in the history.' : 'No secrets found.';
  const summary = input.findings.length === 0 ? paint('ok', what) : paint('bold', `${input.findings.length} finding${input.findings.length === 1 ? '' : 's'}: ${describeCounts(counts)}.`);
  lines.push(`${summary} ${paint('dim', [scope, ...caveats].filter(Boolean).join(', '))}`.trimEnd());
  for (const n of runNotes) lines.push(paint('medium', `Note: ${n.reason}.`));
  if (stats.history && input.findings.length > 0) {
    lines.push(paint('dim', 'A secret in the history is in every clone: rotate it. Deleting it in a new commit does not remove it.'));
  }
  if (input.baseline && input.baseline.accepted > 0) {
    const n = input.baseline.accepted;
    lines.push(paint('dim', `${n} finding${n === 1 ? '' : 's'} accepted in the baseline ${input.baseline.file} not shown (--no-baseline shows them).`));
  }
  return lines.join('\n') + '\n';
}
