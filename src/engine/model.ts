// The one shape every check in the product returns, and the vocabulary around it.
// Sinks (editor, CLI, docs) only ever see these types; they never see raw secret values.

export const SEVERITIES = ['blocker', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower rank = more urgent; used for sorting and for `--fail-on` thresholds. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** Stages in the launch roadmap's order; the tree view and reports group by them. */
export const STAGES = [
  'audit',
  'dns',
  'edge',
  'email',
  'deploy',
  'secrets',
  'performance',
  'monitoring',
  'handover',
] as const;
export type Stage = (typeof STAGES)[number];

/** 1-based lines and columns, end exclusive, as people and SARIF count them. */
export interface Range {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface FileLocation {
  kind: 'file';
  /** Workspace-relative, forward slashes. */
  path: string;
  range: Range;
  /** Set when the finding comes from git history rather than the working tree. */
  commit?: string;
}

export interface HostLocation {
  kind: 'host';
  host: string;
  /** The record type or URL the finding is about, e.g. `TXT`, `https://acme.com/`. */
  subject?: string;
  /** The launch.yaml line that names the host (absent when it names it nowhere, or in older reports). */
  declaredAt?: HostDeclaredAt;
}

export interface HostDeclaredAt {
  /** Workspace-relative: `launch.yaml` or `launch.yml`. */
  path: string;
  range: Range;
}

export type Location = FileLocation | HostLocation;

export interface Finding {
  ruleId: string;
  severity: Severity;
  stage: Stage;
  message: string;
  location: Location;
  remediation: string;
  /** Always the output of `redact()` or non-secret text: safe to print anywhere. */
  evidence?: string;
  /** Stable across line moves; a hash that never contains the raw value. */
  fingerprint: string;
  /** For live checks: what was observed (raw DNS record, redirect chain, p95 …). */
  observed?: Record<string, unknown>;
  /** Edits that resolve the finding; the editor offers them as quick fixes, `--fix` applies the safe ones. */
  fixes?: Fix[];
}

/** Replace `range` (in the finding's file) with `newText`; an empty range inserts. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** True when applying it cannot change what the application reads: the only fixes `--fix` applies. */
  safe: boolean;
}

export interface Rule {
  id: string;
  title: string;
  stage: Stage;
  defaultSeverity: Severity;
  /** What the finding means for the user, in one or two sentences. */
  description: string;
  remediation: string;
}

/** A file or input the scan deliberately did not read (or read partially), with the reason. */
export interface SkipNote {
  path: string;
  reason: string;
}
