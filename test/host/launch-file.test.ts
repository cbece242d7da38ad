import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activateExtension, readFile, workspaceRoot } from './helpers';

describe('Create launch.yaml', () => {
  before(async () => {
    await activateExtension();
  });

  after(async () => {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), 'launch.yaml'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('writes the starter at the folder root, opens it, and never overwrites it', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('launchReady.createLaunchYaml');
    assert.equal(uri.toString(), vscode.Uri.joinPath(workspaceRoot(), 'launch.yaml').toString());
    const text = await readFile(uri);
    assert.match(text ?? '', /^app:/m);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());

    const edited = `${text}# my notes\n`;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(edited));
    const again = await vscode.commands.executeCommand<vscode.Uri>('launchReady.createLaunchYaml');
    assert.equal(again.toString(), uri.toString());
    assert.equal(await readFile(uri), edited);
  });
});
