import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { entryFor, writeBaseline, type BaselineEntry } from '../engine/baseline';
import type { Range } from '../engine/model';
import { appendEnvKey, envAccessFor, envNameFor, lineCommentFor, literalAround, withIgnoreComment } from './fix-text';
import { PathFilter } from './path-filter';
import { ruleIdOf, type SecretStore } from './secret-store';
import type { ScanSettings } from './settings';

// Quick fixes on our diagnostics, keyed on the rule id in `code`: the engine's own fixes (env
// files), and for secrets: move the literal to an environment variable (edit the code, add the name
// to `.env` and `.env.example`), accept it into the baseline, or silence the line.

export const MOVE_TO_ENV_COMMAND = 'launchReady.moveSecretToEnv';
export const ADD_TO_BASELINE_COMMAND = 'launchReady.addToBaseline';

const toVscodeRange = (r: Range) => new vscode.Range(r.startLine - 1, r.startColumn - 1, r.endLine - 1, r.endColumn - 1);

export class SecretCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly store: SecretStore) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const ruleId = ruleIdOf(diagnostic);
      if (!ruleId) continue;
      const { start, end } = diagnostic.range;
      if (start.line === end.line && envAccessFor(document.languageId, 'X')) {
        const line = document.lineAt(start.line).text;
        if (literalAround(line, start.character, end.character, document.languageId)) {
          const move = new vscode.CodeAction('Move to an environment variable', vscode.CodeActionKind.QuickFix);
          move.diagnostics = [diagnostic];
          move.isPreferred = true;
          move.command = { title: move.title, command: MOVE_TO_ENV_COMMAND, arguments: [document.uri, diagnostic.range, ruleId] };
          actions.push(move);
        }
      }
      for (const fix of this.store.findingAt(document.uri, ruleId, diagnostic.range)?.fixes ?? []) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.safe;
        action.edit = new vscode.WorkspaceEdit();
        for (const edit of fix.edits) action.edit.replace(document.uri, toVscodeRange(edit.range), edit.newText);
        actions.push(action);
      }
      if (!ruleId.startsWith('secret/')) continue;
      if (vscode.workspace.getWorkspaceFolder(document.uri)) {
        const accept = new vscode.CodeAction('Add to the baseline (accept this finding)', vscode.CodeActionKind.QuickFix);
        accept.diagnostics = [diagnostic];
        accept.command = { title: accept.title, command: ADD_TO_BASELINE_COMMAND, arguments: [document.uri, diagnostic.range, ruleId] };
        actions.push(accept);
      }
      const comment = lineCommentFor(document.languageId);
      if (comment) {
        const line = document.lineAt(start.line);
        const ignore = new vscode.CodeAction(`Ignore ${ruleId} on this line`, vscode.CodeActionKind.QuickFix);
        ignore.diagnostics = [diagnostic];
        ignore.edit = new vscode.WorkspaceEdit();
        ignore.edit.replace(document.uri, line.range, withIgnoreComment(line.text, ruleId, comment));
        actions.push(ignore);
      }
    }
    return actions;
  }
}

export interface MoveResult {
  name: string;
  /** Whether the value went into `.env` (only when git ignores it). */
  valueWritten: boolean;
}

/** Where `import os` goes in a Python file: after a shebang, encoding line and `__future__` imports. */
function pythonImportLine(document: vscode.TextDocument): number {
  let line = 0;
  while (line < document.lineCount && /^(#!|#.*coding[:=]|from __future__ import)/.test(document.lineAt(line).text)) line++;
  return line;
}

export async function moveSecretToEnv(uri: vscode.Uri, range: vscode.Range, ruleId: string, log: vscode.LogOutputChannel): Promise<MoveResult | undefined> {
  const document = await vscode.workspace.openTextDocument(uri);
  const line = document.lineAt(range.start.line).text;
  const literal = literalAround(line, range.start.character, range.end.character, document.languageId);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!literal || !folder) {
    void vscode.window.showInformationMessage('Launch Ready: this value is not a plain string literal in a workspace folder, so it cannot be moved automatically.');
    return undefined;
  }
  const value = document.getText(range);
  const name = envNameFor(line.slice(0, literal.start), ruleId);
  const access = envAccessFor(document.languageId, name) ?? name;

  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(range.start.line, literal.start, range.start.line, literal.end), access);
  if (document.languageId === 'python' && !/^\s*(import os\b|from os import)/m.test(document.getText())) {
    edit.insert(uri, new vscode.Position(pythonImportLine(document), 0), 'import os\n');
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showWarningMessage('Launch Ready: the editor refused the change; nothing was moved.');
    return undefined;
  }

  const ignored = await isGitIgnored(folder, '.env');
  const envUri = vscode.Uri.joinPath(folder.uri, '.env');
  const exampleUri = vscode.Uri.joinPath(folder.uri, '.env.example');
  const envChanged = await appendToFile(envUri, name, ignored ? value : '');
  await appendToFile(exampleUri, name, '');
  log.info(`moved a ${ruleId} value to ${name} (${vscode.workspace.asRelativePath(uri)}); .env ${ignored ? 'is' : 'is not'} git-ignored`);
  const where = envChanged ? `${name} added to .env and .env.example` : `${name} already in .env; added to .env.example`;
  const detail = ignored || !envChanged
    ? ''
    : ' .env is not git-ignored, so the value was not written there: add .env to .gitignore and fill in the value yourself.';
  void vscode.window.showInformationMessage(`Launch Ready: replaced the literal with ${access}; ${where}.${detail} Rotate the secret: it was in your files.`);
  return { name, valueWritten: ignored && envChanged };
}

async function appendToFile(uri: vscode.Uri, name: string, value: string): Promise<boolean> {
  let existing = '';
  try {
    existing = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    // a missing file starts empty
  }
  const next = appendEnvKey(existing, name, value);
  if (next === undefined) return false;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(next));
  return true;
}

/**
 * Asks git when the workspace is trusted (it knows global excludes too). An untrusted workspace's
 * git config may run programs, so there the .gitignore files are read instead.
 */
export function isGitIgnored(folder: vscode.WorkspaceFolder, path: string): Promise<boolean> {
  const fromFiles = () => new PathFilter(folder.uri.fsPath, []).ignores(path);
  if (!vscode.workspace.isTrusted) return Promise.resolve(fromFiles());
  return new Promise((resolve) => {
    execFile('git', ['check-ignore', '-q', '--', path], { cwd: folder.uri.fsPath, timeout: 10_000 }, (error) => {
      if (!error) resolve(true);
      else if ((error as unknown as { code?: unknown }).code === 1) resolve(false);
      else resolve(fromFiles()); // no git, or not a repository
    });
  });
}

/**
 * Records the finding in the folder's baseline file (fingerprint, rule, path: never the value), as
 * `launch-ready baseline` would, so the editor and the CLI both stop reporting it.
 */
export async function addToBaseline(uri: vscode.Uri, range: vscode.Range, ruleId: string, store: SecretStore, settings: ScanSettings, log: vscode.LogOutputChannel): Promise<string | undefined> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const finding = store.findingAt(uri, ruleId, range);
  if (!folder || !finding) {
    void vscode.window.showInformationMessage('Launch Ready: that finding is gone already; nothing was added to the baseline.');
    return undefined;
  }
  const folderSettings = settings.for(folder);
  const entries: BaselineEntry[] = [...(folderSettings.baseline?.entries ?? []), entryFor(finding)];
  writeBaseline(folderSettings.baselineFile, entries);
  const file = vscode.workspace.asRelativePath(folderSettings.baselineFile);
  log.info(`added a ${ruleId} finding in ${vscode.workspace.asRelativePath(uri)} to ${file}`);
  // Re-read now rather than wait for the file watcher, so the diagnostic goes at once.
  settings.invalidate();
  return file;
}
