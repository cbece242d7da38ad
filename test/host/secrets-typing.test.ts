import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { scanText } from '../../src/engine/secrets/scan';
import { Fakes } from '../support/fakes';
import { activateExtension, ourDiagnostics, ruleOf, waitForDiagnostics, workspaceRoot, writeFile } from './helpers';

// Typing in a large file re-checks only the lines around each change; what Problems shows must
// still be what a full scan of the document finds, after edits above, below and among findings.

const fakes = new Fakes(20261126);

const summary = (diagnostics: readonly vscode.Diagnostic[]) =>
  diagnostics.map((d) => `${ruleOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`).sort();

function fullScanSummary(doc: vscode.TextDocument): string[] {
  const path = vscode.workspace.asRelativePath(doc.uri, false);
  return scanText(doc.getText(), { path }).map((f) => `${f.ruleId}@${f.location.kind === 'file' ? `${f.location.range.startLine}:${f.location.range.startColumn}` : ''}`).sort();
}

describe('Launch Ready while typing in a large file', () => {
  before(async () => {
    await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('keeps Problems equal to a full scan through edits anywhere in a 4,000-line file', async () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `export function handler${i}(input: number): number { return input * ${i}; }`);
    lines[1000] = `const stripeKey = "${fakes.stripeKey()}";`;
    lines[3000] = `const githubToken = "${fakes.githubToken()}";`;
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'src', 'large-typing.ts');
    await writeFile(uri, lines.join('\n') + '\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const doc = editor.document;
    const settled = (what: string) => waitForDiagnostics(uri, (d) => doc.version > 0 && JSON.stringify(summary(d)) === JSON.stringify(fullScanSummary(doc)), what);

    await settled('the two planted findings');
    assert.equal(ourDiagnostics(uri).length, 2);

    // Lines added at the top move both findings.
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '// one\n// two\n// three\n'));
    await settled('the findings moved down three lines');
    assert.deepEqual(ourDiagnostics(uri).map((d) => d.range.start.line).sort((a, b) => a - b), [1003, 3003]);

    // A secret typed a few characters at a time in the middle.
    const token = fakes.npmToken();
    await editor.edit((edit) => edit.insert(new vscode.Position(2000, 0), 'const npmToken = "'));
    for (let i = 0; i < token.length; i += 12) await editor.edit((edit) => edit.insert(new vscode.Position(2000, 18 + i), token.slice(i, i + 12)));
    await editor.edit((edit) => edit.insert(new vscode.Position(2000, 18 + token.length), '";\n'));
    await settled('the typed token');
    assert.equal(ourDiagnostics(uri).length, 3);

    // Two changes in one edit, near each other, and the first finding's line deleted.
    await editor.edit((edit) => {
      edit.insert(new vscode.Position(1990, 0), '// above\n');
      edit.insert(new vscode.Position(1995, 0), `const slack = "${fakes.slackToken()}";\n`);
    });
    await editor.edit((edit) => edit.delete(new vscode.Range(1003, 0, 1004, 0)));
    await settled('the edited file');
    assert.deepEqual(summary(ourDiagnostics(uri)).map((s) => s.slice(0, s.indexOf('@'))), ['secret/github-token', 'secret/npm-token', 'secret/slack-token']);
  });
});
