import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAUNCH_FILE_NAMES, parseLaunchYaml, type LaunchParseResult } from '../engine/launch';
import type { ScanSettings } from './settings';
import { toDiagnostic } from './secret-store';

// launch.yaml at a folder root, validated as it is edited: the engine's parse findings become
// diagnostics at the ranges the parser reports, and the latest parse (from the editor buffer when
// open, else from disk) is what the tree reads attestations from. A change also tells the tree
// that live results were measured against an older launch.yaml.

const DEBOUNCE_MS = 250;

export interface LaunchState {
  folder: vscode.WorkspaceFolder;
  uri: vscode.Uri;
  /** Workspace-relative file name (`launch.yaml` or `launch.yml`). */
  name: string;
  text: string;
  /** What the live checks read from the file: its config without attestations and accepted risks (or the text when it does not parse). */
  checkedKey: string;
  result: LaunchParseResult;
}

export interface LaunchChange {
  folder: vscode.WorkspaceFolder;
  /**
   * What the live checks read changed since the last read (not a re-read on open, a comment, or
   * an attestation ticked from the tree): their results are stale.
   */
  edited: boolean;
}

/** The folder whose root holds this launch file, or undefined for a launch.yaml anywhere else. */
export function launchFolderOf(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  if (uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const name = LAUNCH_FILE_NAMES.find((n) => vscode.Uri.joinPath(folder.uri, n).toString() === uri.toString());
  return name ? folder : undefined;
}

export class LaunchFiles implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('launchReady.launch');
  private readonly states = new Map<string, LaunchState | undefined>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly changed = new vscode.EventEmitter<LaunchChange>();
  /** Fires when a folder's launch.yaml was re-read (opened, edited, saved, created or deleted). */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.diagnostics, this.changed];

  constructor(private readonly settings: ScanSettings) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/launch.{yaml,yml}');
    const fromDisk = (uri: vscode.Uri) => {
      const folder = launchFolderOf(uri);
      // An open editor is the truth while it is open; the disk catches up on save.
      if (folder && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty)) this.refresh(folder);
    };
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(fromDisk),
      watcher.onDidChange(fromDisk),
      watcher.onDidDelete(fromDisk),
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.schedule(event.document, DEBOUNCE_MS);
      }),
      // Closing an edited-but-unsaved file puts the disk version back in charge.
      vscode.workspace.onDidCloseTextDocument((doc) => {
        const folder = launchFolderOf(doc.uri);
        if (folder) this.refresh(folder);
      }),
      settings.onDidChange(() => {
        for (const folder of vscode.workspace.workspaceFolders ?? []) if (this.states.has(folder.uri.toString())) this.refresh(folder);
      }),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  private schedule(doc: vscode.TextDocument, delayMs: number): void {
    const folder = launchFolderOf(doc.uri);
    if (!folder) return;
    const key = folder.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      this.refresh(folder);
    }, delayMs));
  }

  /** The current launch.yaml of a folder (read on first ask), or undefined when it has none. */
  stateOf(folder: vscode.WorkspaceFolder): LaunchState | undefined {
    const key = folder.uri.toString();
    if (!this.states.has(key)) this.states.set(key, this.read(folder));
    return this.states.get(key);
  }

  /** Re-reads now (tests and commands that just wrote the file call this instead of waiting). */
  refresh(folder: vscode.WorkspaceFolder): LaunchState | undefined {
    const state = this.read(folder);
    const key = folder.uri.toString();
    const known = this.states.has(key);
    const previous = this.states.get(key);
    this.states.set(key, state);
    if (previous && previous.uri.toString() !== state?.uri.toString()) this.diagnostics.delete(previous.uri);
    if (state) this.diagnostics.set(state.uri, state.result.findings.map(toDiagnostic));
    this.changed.fire({ folder, edited: known && previous?.checkedKey !== state?.checkedKey });
    return state;
  }

  private read(folder: vscode.WorkspaceFolder): LaunchState | undefined {
    if (folder.uri.scheme !== 'file') return undefined;
    const rules = this.settings.for(folder).config.rules;
    for (const name of LAUNCH_FILE_NAMES) {
      const uri = vscode.Uri.joinPath(folder.uri, name);
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      let text: string;
      if (open) text = open.getText();
      else {
        try {
          text = readFileSync(join(folder.uri.fsPath, name), 'utf8');
        } catch {
          continue;
        }
      }
      const result = parseLaunchYaml(text, name, { rules });
      const checkedKey = result.config ? JSON.stringify({ ...result.config, attestations: [], acceptedRisks: [] }) : text;
      return { folder, uri, name, text, checkedKey, result };
    }
    return undefined;
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const d of this.subscriptions) d.dispose();
  }
}
