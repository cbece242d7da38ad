import * as vscode from 'vscode';
import { userInfo } from 'node:os';
import { isMap, parseDocument } from 'yaml';
import { MissingLaunchFileError, writeDocs } from '../engine/docs';
import { readinessItem } from '../engine/readiness/catalog';
import type { LaunchFiles } from './launch-diagnostics';

// RUNBOOK.md and HANDOVER.md from the editor (the same writer as `launch-ready docs`: files only,
// no network, so it works untrusted), and attestations ticked from the tree, written into
// launch.yaml through the yaml package's Document API so the user's comments and layout survive.

export type DocKind = 'runbook' | 'handover';

export async function generateDoc(folder: vscode.WorkspaceFolder, kind: DocKind, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  let written: { runbook: string; handover: string };
  try {
    written = writeDocs(folder.uri.fsPath);
  } catch (error) {
    if (!(error instanceof MissingLaunchFileError)) throw error;
    log.warn(`${folder.name}: ${error.message}`);
    const create = 'Create launch.yaml';
    const choice = await vscode.window.showWarningMessage(`Launch Ready: the ${kind} is written from launch.yaml. ${error.message.replace(/; run .*$/, '.')}`, create);
    if (choice === create) await vscode.commands.executeCommand('launchReady.createLaunchYaml');
    return undefined;
  }
  const uri = vscode.Uri.file(kind === 'runbook' ? written.runbook : written.handover);
  log.info(`${folder.name}: wrote ${vscode.workspace.asRelativePath(written.runbook)} and ${vscode.workspace.asRelativePath(written.handover)}`);
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

export interface AttestArgs {
  item: string;
  by?: string;
  evidence?: string;
  /** YYYY-MM-DD; today by default. */
  date?: string;
}

const today = () => {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
};

/** `attestations.<item>` set in the text, everything else (comments included) kept; throws on YAML it cannot edit. */
export function withAttestation(text: string, args: Required<Pick<AttestArgs, 'item' | 'by' | 'date'>> & { evidence?: string }): string {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) throw new Error(`launch.yaml has YAML errors (${doc.errors[0].message.split('\n')[0]}); fix them first`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new Error('launch.yaml is not a set of `key: value` sections');
  const current = doc.get('attestations');
  // `attestations:` with nothing under it reads as null; a map replaces it.
  if (current === null || current === undefined || (typeof current === 'object' && !isMap(current))) doc.set('attestations', doc.createNode({}));
  const entry: Record<string, string> = { by: args.by, date: args.date };
  if (args.evidence) entry.evidence = args.evidence;
  const existing = doc.getIn(['attestations', args.item]);
  if (isMap(existing)) {
    for (const [key, value] of Object.entries(entry)) existing.set(key, value);
  } else {
    doc.setIn(['attestations', args.item], doc.createNode(entry));
  }
  return doc.toString();
}

/**
 * Ticks a readiness item: asks who and with what evidence (unless given), writes
 * `attestations.<item>` with today's date, and saves the file. Returns the launch.yaml changed.
 */
export async function attestItem(folder: vscode.WorkspaceFolder, launch: LaunchFiles, args: AttestArgs, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const item = readinessItem(args.item);
  if (!item) throw new Error(`unknown readiness item ${args.item}`);
  const state = launch.stateOf(folder);
  if (!state) {
    void vscode.window.showWarningMessage('Launch Ready: attestations live in launch.yaml; create it first.');
    return undefined;
  }
  const by = args.by ?? (await vscode.window.showInputBox({ title: `Attest ${item.id}: ${item.title}`, prompt: 'Who confirms it', value: safeUserName(), ignoreFocusOut: true }));
  if (!by) return undefined;
  const evidence = args.evidence ?? (await vscode.window.showInputBox({ title: `Attest ${item.id}: ${item.title}`, prompt: 'Evidence: a link or a few words (kept in launch.yaml)', ignoreFocusOut: true }));
  if (evidence === undefined) return undefined;
  const doc = await vscode.workspace.openTextDocument(state.uri);
  let text: string;
  try {
    text = withAttestation(doc.getText(), { item: item.id, by, date: args.date ?? today(), evidence: evidence || undefined });
  } catch (error) {
    void vscode.window.showErrorMessage(`Launch Ready: cannot attest ${item.id}: ${(error as Error).message}.`);
    return undefined;
  }
  // A workspace edit rather than a file write: the change is undoable in an open editor.
  const edit = new vscode.WorkspaceEdit();
  edit.replace(state.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('the edit to launch.yaml was not applied');
  await doc.save();
  launch.refresh(folder);
  log.info(`${folder.name}: ${item.id} attested in ${state.name}`);
  return state.uri;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}
