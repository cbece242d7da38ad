import type { Finding, SkipNote } from '../model';
import { countBySeverity } from './summary';

// Machine-readable output. Findings are already redacted, so this only shapes them.

export interface ReportInput {
  tool: { name: string; version: string };
  findings: readonly Finding[];
  skipped?: readonly SkipNote[];
  notes?: readonly SkipNote[];
  /** Set when a baseline was applied: its file and how many findings it accepted (not listed). */
  baseline?: { file: string; accepted: number };
  /** Free-form facts about the run: files scanned, bytes, duration. */
  stats?: Record<string, number | string | boolean>;
}

export function toJson(input: ReportInput): string {
  return JSON.stringify(
    {
      tool: input.tool,
      summary: {
        total: input.findings.length,
        bySeverity: countBySeverity(input.findings),
        ...(input.baseline ? { baselined: input.baseline.accepted, baselineFile: input.baseline.file } : {}),
        ...(input.stats ?? {}),
      },
      findings: input.findings,
      skipped: input.skipped ?? [],
      notes: input.notes ?? [],
    },
    null,
    2,
  );
}
