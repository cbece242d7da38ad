import * as vscode from 'vscode';
import { applyBaseline } from '../engine/baseline';
import { lintEnvText } from '../engine/env/lint';
import { isEnvFileName } from '../engine/env/workspace';
import type { ScanConfig } from '../engine/config';
import type { Finding } from '../engine/model';
import { accumulateEdits, rescanText, type ChangedSpan, type Rescan } from '../engine/secrets/incremental';
import { scanText } from '../engine/secrets/scan';
import { readFileText } from '../engine/workspace/files';
import type { SecretStore } from './secret-store';
import type { ScanSettings } from './settings';

// Secrets (and, in env files, dotenv problems) while typing, after the pattern of VS Code's TypeScript buffer sync: one pending entry
// per document, a delay that grows with the document's size, a newer edit replacing the pending
// one, and a result published only if the document is still at the version that was scanned.
// Closed files are re-read from disk when the watcher says they changed. Each open document keeps
// its last scanned text and findings, and the change events since, so a re-check after typing
// scans only the lines around the change when that gives the same findings as a full scan.

const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 1500;
/** Bytes of text that add one millisecond of delay (1 MB → +~500 ms). */
const BYTES_PER_DELAY_MS = 2000;
const BINARY_SNIFF_CHARS = 8000;

/** The last secret scan of an open document, and what changed since. */
type DocumentScan = {
  version: number;
  text: string;
  /** scanText's findings for `text` (before env rules and the baseline). */
  findings: Finding[];
  path: string;
  config: ScanConfig;
  /** Where the text changed since `version`, from the change events; undefined when it did not. */
  changed?: ChangedSpan;
  /** Version after the last change event recorded in `changed`. */
  seenVersion: number;
};

type Target = {
  folder: vscode.WorkspaceFolder;
  path: string;
  /** Git ignores it: no secret findings (values belong there), but an env file is still linted. */
  gitIgnored: boolean;
  envFile: boolean;
};

export class SecretLinter implements vscode.Disposable {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly scans = new Map<string, DocumentScan>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly store: SecretStore,
    private readonly settings: ScanSettings,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length === 0) return;
        this.recordChanges(event);
        this.schedule(event.document);
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.closed(doc)),
      settings.onDidChange(() => this.relintAll()),
    );
  }

  /**
   * Lints every open document and re-reads closed files that have findings: at activation, after a
   * scan, and whenever settings, ignore files or the baseline change.
   */
  relintAll(): void {
    const open = new Set<string>();
    for (const doc of vscode.workspace.textDocuments) {
      open.add(doc.uri.toString());
      this.schedule(doc, 0);
    }
    for (const entry of this.store.files()) if (!open.has(entry.uri.toString())) void this.recheckFile(entry.uri);
  }

  /** Secret findings of a file's text, then env rules and the baseline; `secrets` when already scanned. */
  private scan(text: string, target: Target, secrets?: Finding[]): Finding[] {
    const settings = this.settings.for(target.folder);
    const findings = target.gitIgnored ? [] : [...(secrets ?? scanText(text, { path: target.path, config: settings.config }))];
    if (target.envFile) findings.push(...lintEnvText(text, { path: target.path, config: settings.config }).findings);
    return settings.baseline ? applyBaseline(findings, settings.baseline).findings : findings;
  }

  private recordChanges(event: vscode.TextDocumentChangeEvent): void {
    const scan = this.scans.get(event.document.uri.toString());
    // An event for a version already scanned is in the scanned text.
    if (!scan || event.document.version <= scan.version) return;
    const edits = event.contentChanges.map((change) => ({ offset: change.rangeOffset, length: change.rangeLength, text: change.text }));
    scan.changed = accumulateEdits(scan.changed, edits);
    scan.seenVersion = event.document.version;
  }

  /** scanText's findings for the document, re-checking only around the changes when it can. */
  private scanSecrets(doc: vscode.TextDocument, text: string, target: Target): { findings: Finding[]; rescan?: Rescan } {
    const key = doc.uri.toString();
    const { config } = this.settings.for(target.folder);
    const options = { path: target.path, config };
    const previous = this.scans.get(key);
    // Only when every change since the last scan was seen, and nothing else that decides the findings changed.
    const usable = previous && previous.seenVersion === doc.version && previous.config === config && previous.path === target.path;
    const rescan = usable ? rescanText(previous, previous.changed, text, options) : undefined;
    const findings = rescan ? rescan.findings : scanText(text, options);
    this.scans.set(key, { version: doc.version, seenVersion: doc.version, text, findings, path: target.path, config });
    return { findings, rescan };
  }

  /** The scanned file when `uri` is something we lint, with why not otherwise (for the log). */
  private target(uri: vscode.Uri): Target | string {
    if (uri.scheme !== 'file') return 'not a file on disk';
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return 'outside the workspace folders';
    const path = vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
    const settings = this.settings.for(folder);
    if (!settings.enabled) return 'launchReady.secrets.enable is off';
    if (settings.filter.excludes(path)) return 'excluded by launchReady.exclude or .launch-ready.json';
    const gitIgnored = settings.filter.gitIgnores(path);
    const envFile = isEnvFileName(path.slice(path.lastIndexOf('/') + 1));
    if (gitIgnored && !envFile) return 'ignored by git';
    return { folder, path, gitIgnored, envFile };
  }

  schedule(doc: vscode.TextDocument, delay?: number): void {
    const key = doc.uri.toString();
    const previous = this.pending.get(key);
    if (previous) clearTimeout(previous);
    if (doc.uri.scheme !== 'file') return;
    const size = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    const wait = delay ?? Math.min(MAX_DELAY_MS, BASE_DELAY_MS + Math.floor(size / BYTES_PER_DELAY_MS));
    const version = doc.version;
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      if (!doc.isClosed && doc.version === version) this.lintNow(doc);
    }, wait));
  }

  /** Scans the document's current text and publishes the result. */
  lintNow(doc: vscode.TextDocument): void {
    const target = this.target(doc.uri);
    const unchecked = () => {
      this.scans.delete(doc.uri.toString());
      this.store.set(doc.uri, []);
    };
    if (typeof target === 'string') return unchecked();
    const { config } = this.settings.for(target.folder);
    const size = doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end);
    if (size > config.maxFileSize) {
      this.log.debug(`${target.path}: not linted while typing, larger than launchReady.maxFileSize`);
      return unchecked();
    }
    const text = doc.getText();
    if (text.slice(0, BINARY_SNIFF_CHARS).includes('\0')) return unchecked();
    const started = Date.now();
    if (target.gitIgnored) this.scans.delete(doc.uri.toString());
    const secrets = target.gitIgnored ? undefined : this.scanSecrets(doc, text, target);
    const findings = this.scan(text, target, secrets?.findings);
    this.store.set(doc.uri, findings);
    if (findings.length > 0) {
      const lines = secrets?.rescan?.scannedLines;
      const how = lines ? `, lines ${lines[0]}–${lines[1]} re-checked` : '';
      this.log.debug(`${target.path}: ${findings.length} finding(s) [${[...new Set(findings.map((f) => f.ruleId))].join(', ')}] in ${Date.now() - started} ms${how}`);
    }
  }

  /** A closed file changed, appeared or was renamed on disk: read it again. */
  async recheckFile(uri: vscode.Uri): Promise<void> {
    const open = vscode.workspace.textDocuments.find((doc) => doc.uri.toString() === uri.toString());
    if (open) {
      this.schedule(open, 0);
      return;
    }
    const target = this.target(uri);
    if (typeof target === 'string') {
      this.store.set(uri, []);
      return;
    }
    const { config } = this.settings.for(target.folder);
    const content = await readFileText(uri.fsPath, config.maxFileSize);
    this.store.set(uri, content.kind === 'text' ? this.scan(content.text, target) : []);
  }

  private closed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const previous = this.pending.get(key);
    if (previous) clearTimeout(previous);
    this.pending.delete(key);
    this.scans.delete(key);
    // A scanned folder keeps its results in Problems until fixed; otherwise a closed file's
    // findings go with it, as with other linters.
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (folder && this.store.wasScanned(folder)) void this.recheckFile(doc.uri);
    else this.store.set(doc.uri, []);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.scans.clear();
    for (const d of this.subscriptions) d.dispose();
  }
}
