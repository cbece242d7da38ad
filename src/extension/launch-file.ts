import * as vscode from 'vscode';
import { existingLaunchFile, starterForWorkspace } from '../engine/launch/starter';

// launch.yaml at a folder root: whether there is one (a context key the Get Started view shows on)
// and "Create launch.yaml", the same starter as `launch-ready init`. Only folder roots are looked
// at: a stat per folder, never a search. The starter reads files only (no git, no network), so it
// runs in untrusted workspaces too.

export async function updateLaunchFileContext(): Promise<void> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const found = folders.some((folder) => existingLaunchFile(folder.uri.fsPath) !== undefined);
  await vscode.commands.executeCommand('setContext', 'launchReady.hasLaunchYaml', found);
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to create launch.yaml in' });
}

/** Writes the starter (never over an existing file) and opens it; returns the file. */
export async function createLaunchYaml(log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const folder = await pickFolder();
  if (!folder) {
    void vscode.window.showInformationMessage('Launch Ready: open a folder first; launch.yaml lives at its root.');
    return undefined;
  }
  const existing = existingLaunchFile(folder.uri.fsPath);
  if (existing) {
    const uri = vscode.Uri.joinPath(folder.uri, existing);
    await vscode.window.showTextDocument(uri);
    void vscode.window.showInformationMessage(`Launch Ready: ${existing} already exists; opened it.`);
    return uri;
  }
  const { text, facts } = starterForWorkspace(folder.uri.fsPath);
  const uri = vscode.Uri.joinPath(folder.uri, 'launch.yaml');
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  log.info(`${folder.name}: created launch.yaml (${facts.envFiles.length} env file(s) seen${facts.platform ? `, platform ${facts.platform}` : ''})`);
  await updateLaunchFileContext();
  await vscode.window.showTextDocument(uri);
  return uri;
}
