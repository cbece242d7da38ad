import * as vscode from 'vscode';
import { severityRank, type Finding, type Severity } from '../engine/model';

// Every secret finding the editor currently knows, per file, and the Problems panel view of them.
// Typing, the workspace scan and the file watchers all write here; the tree and the status bar
// read from here, so they never disagree.

export const DIAGNOSTIC_SOURCE = 'Launch Ready';
export const RULES_DOCS = 'https://github.com/launch-ready/launch-ready#rules';

const TO_DIAGNOSTIC_SEVERITY: Readonly<Record<Severity, vscode.DiagnosticSeverity>> = {
  blocker: vscode.DiagnosticSeverity.Error,
  high: vscode.DiagnosticSeverity.Error,
  medium: vscode.DiagnosticSeverity.Warning,
  low: vscode.DiagnosticSeverity.Information,
};

export interface PersistedScan {
  folder: string;
  scannedAt: string;
  /** Files that had findings; never findings themselves, so nothing stale is shown. */
  files: string[];
}

export interface FileFindings {
  uri: vscode.Uri;
  findings: readonly Finding[];
}

export function rangeOf(finding: Finding): vscode.Range {
  if (finding.location.kind !== 'file') return new vscode.Range(0, 0, 0, 0);
  const r = finding.location.range;
  return new vscode.Range(r.startLine - 1, r.startColumn - 1, r.endLine - 1, r.endColumn - 1);
}

export function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const evidence = finding.evidence ? ` (${finding.evidence})` : '';
  const diagnostic = new vscode.Diagnostic(rangeOf(finding), `${finding.message}${evidence}. ${finding.remediation}`, TO_DIAGNOSTIC_SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.ruleId, target: vscode.Uri.parse(RULES_DOCS) };
  return diagnostic;
}

/** The rule id of one of our diagnostics, or undefined for anyone else's. */
export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE) return undefined;
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}

const sameFindings = (a: readonly Finding[], b: readonly Finding[]) =>
  a.length === b.length &&
  a.every((f, i) => f.fingerprint === b[i].fingerprint && f.severity === b[i].severity && JSON.stringify(f.location) === JSON.stringify(b[i].location));

export class SecretStore implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('launch-ready');
  private readonly byUri = new Map<string, FileFindings>();
  private readonly scans = new Map<string, Date>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private notifyScheduled = false;

  /** Replaces what is known about one file; an identical result changes nothing. */
  set(uri: vscode.Uri, findings: readonly Finding[]): void {
    const key = uri.toString();
    const previous = this.byUri.get(key);
    if (findings.length === 0) {
      if (!previous) return;
      this.byUri.delete(key);
      this.diagnostics.delete(uri);
    } else {
      if (previous && sameFindings(previous.findings, findings)) return;
      this.byUri.set(key, { uri, findings });
      this.diagnostics.set(uri, findings.map(toDiagnostic));
    }
    this.notify();
  }

  /** The finding behind one of our diagnostics. */
  findingAt(uri: vscode.Uri, ruleId: string, range: vscode.Range): Finding | undefined {
    return this.byUri.get(uri.toString())?.findings.find((f) => f.ruleId === ruleId && rangeOf(f).isEqual(range));
  }

  has(uri: vscode.Uri): boolean {
    return this.byUri.has(uri.toString());
  }

  /** Forgets a file or everything under a folder (a deleted directory). */
  deleteUnder(uri: vscode.Uri): void {
    const prefix = uri.toString();
    for (const [key, entry] of this.byUri) {
      if (key === prefix || key.startsWith(prefix + '/')) {
        this.byUri.delete(key);
        this.diagnostics.delete(entry.uri);
        this.notify();
      }
    }
  }

  /** A finished workspace scan of one folder: its results replace the folder's old ones. */
  replaceFolder(folder: vscode.WorkspaceFolder, results: readonly FileFindings[], keep: (uri: vscode.Uri) => boolean): void {
    const fresh = new Set(results.map((r) => r.uri.toString()));
    for (const [key, entry] of this.byUri) {
      if (fresh.has(key) || keep(entry.uri)) continue;
      if (vscode.workspace.getWorkspaceFolder(entry.uri)?.uri.toString() === folder.uri.toString()) this.set(entry.uri, []);
    }
    for (const result of results) if (!keep(result.uri)) this.set(result.uri, result.findings);
    this.scans.set(folder.uri.toString(), new Date());
    this.notify();
  }

  lastScan(folder?: vscode.WorkspaceFolder): Date | undefined {
    if (folder) return this.scans.get(folder.uri.toString());
    let latest: Date | undefined;
    for (const date of this.scans.values()) if (!latest || date > latest) latest = date;
    return latest;
  }

  /** Marks a folder as scanned at `date` (a scan from an earlier session, restored at startup). */
  restoreScan(folder: vscode.WorkspaceFolder, date: Date): void {
    if (!this.scans.has(folder.uri.toString())) this.scans.set(folder.uri.toString(), date);
    this.notify();
  }

  /** Per scanned folder: when, and which files had findings; what persists between sessions. */
  scanState(): PersistedScan[] {
    const files = this.files();
    return [...this.scans].map(([folder, date]) => ({
      folder,
      scannedAt: date.toISOString(),
      files: files.map((f) => f.uri.toString()).filter((uri) => uri.startsWith(folder + '/')),
    }));
  }

  wasScanned(folder: vscode.WorkspaceFolder): boolean {
    return this.scans.has(folder.uri.toString());
  }

  clear(): void {
    this.byUri.clear();
    this.diagnostics.clear();
    this.notify();
  }

  files(): FileFindings[] {
    return [...this.byUri.values()];
  }

  /** Counts by severity, of every finding or of rules whose id starts with `rulePrefix`. */
  counts(rulePrefix = ''): Record<Severity, number> {
    const counts: Record<Severity, number> = { blocker: 0, high: 0, medium: 0, low: 0 };
    for (const entry of this.byUri.values()) for (const f of entry.findings) if (f.ruleId.startsWith(rulePrefix)) counts[f.severity]++;
    return counts;
  }

  /** Findings with their files, most severe first. */
  sorted(rulePrefix = ''): { uri: vscode.Uri; finding: Finding }[] {
    return this.files()
      .flatMap((entry) => entry.findings.filter((f) => f.ruleId.startsWith(rulePrefix)).map((finding) => ({ uri: entry.uri, finding })))
      .sort((a, b) => severityRank(a.finding.severity) - severityRank(b.finding.severity) || a.uri.toString().localeCompare(b.uri.toString()) || rangeOf(a.finding).start.line - rangeOf(b.finding).start.line);
  }

  /** Listeners (tree, status bar) hear about a burst of changes once. */
  private notify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    queueMicrotask(() => {
      this.notifyScheduled = false;
      this.changed.fire();
    });
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}
