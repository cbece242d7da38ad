import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { Fakes } from '../support/fakes';
import {
  activateExtension, EXTENSION_ID, ourDiagnostics, readFile, ruleOf, waitFor, waitForDiagnostics, workspaceRoot, writeFile,
} from './helpers';

// The editor layer for secrets in a real VS Code extension host. Fake secrets are assembled at
// run time; the workspace is a throwaway git repository whose .gitignore lists `.env`.

const fakes = new Fakes(20261125);

async function openInEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
}

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
  return actions.filter((a): a is vscode.CodeAction => 'kind' in a);
}

describe('Launch Ready in the extension host', () => {
  before(async () => {
    await activateExtension();
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('declares limited support for untrusted workspaces and no startup activation', () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(manifest.activationEvents.length > 0);
    for (const event of manifest.activationEvents as string[]) assert.doesNotMatch(event, /^(\*|onStartupFinished|workspaceContains:)/, event);
  });

  it('flags a planted secret as typed, with source, rule link, severity and only the redacted value, then clears when it is fixed', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'src', 'typed.ts');
    await writeFile(uri, 'export const greeting = "hello";\n');
    const editor = await openInEditor(uri);
    const key = fakes.stripeKey();
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), `const stripeKey = "${key}";\n`));
    const [diagnostic] = await waitForDiagnostics(uri, (d) => d.length === 1, 'a diagnostic for the typed key');
    assert.equal(diagnostic.source, 'Launch Ready');
    assert.equal(ruleOf(diagnostic), 'secret/stripe-secret-key');
    assert.match(String((diagnostic.code as { target: vscode.Uri }).target), /^https:\/\/github\.com\/launch-ready\/launch-ready#rules$/);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.character], [1, 19, 19 + key.length]);
    assert.ok(!diagnostic.message.includes(key), 'the message must not contain the secret');
    assert.match(diagnostic.message, /sk_live_…\(32 chars\)/);

    await editor.edit((edit) => edit.replace(new vscode.Range(1, 18, 1, 20 + key.length), 'process.env.STRIPE_KEY'));
    await waitForDiagnostics(uri, (d) => d.length === 0, 'the diagnostic to clear after the fix');
  });

  it('does not flag files git ignores', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'ignored-build', 'bundle.js');
    await writeFile(vscode.Uri.joinPath(workspaceRoot(), 'ignored-build', '.gitignore'), '*\n');
    await writeFile(uri, `const token = "${fakes.githubToken()}";\n`);
    const editor = await openInEditor(uri);
    // A flagged file next to it proves the linter ran meanwhile.
    const control = vscode.Uri.joinPath(workspaceRoot(), 'src', 'control.js');
    await writeFile(control, `const token = "${fakes.githubToken()}";\n`);
    await openInEditor(control);
    await waitForDiagnostics(control, (d) => d.length === 1, 'the control file to be flagged');
    assert.equal(editor.document.isClosed, false);
    assert.deepEqual(ourDiagnostics(uri), []);
  });

  it('moves a literal to an environment variable: code, .env (git-ignored, so with the value) and .env.example', async () => {
    const root = workspaceRoot();
    const uri = vscode.Uri.joinPath(root, 'src', 'billing.ts');
    const key = fakes.stripeKey();
    await writeFile(uri, `import Stripe from 'stripe';\nconst stripeKey = "${key}";\nexport const stripe = new Stripe(stripeKey);\n`);
    const editor = await openInEditor(uri);
    const [diagnostic] = await waitForDiagnostics(uri, (d) => d.length === 1, 'the diagnostic on billing.ts');
    const actions = await quickFixes(uri, diagnostic.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Move to an environment variable'), titles.join(' | '));
    assert.ok(titles.includes('Ignore secret/stripe-secret-key on this line'), titles.join(' | '));
    const move = actions.find((a) => a.title === 'Move to an environment variable')!;
    assert.equal(move.isPreferred, true);
    const result = await vscode.commands.executeCommand<{ name: string; valueWritten: boolean }>(move.command!.command, ...(move.command!.arguments ?? []));
    assert.deepEqual(result, { name: 'STRIPE_KEY', valueWritten: true });
    assert.equal(editor.document.lineAt(1).text, 'const stripeKey = process.env.STRIPE_KEY;');
    assert.equal(await readFile(vscode.Uri.joinPath(root, '.env')), `STRIPE_KEY=${key}\n`);
    assert.equal(await readFile(vscode.Uri.joinPath(root, '.env.example')), 'STRIPE_KEY=\n');
    await waitForDiagnostics(uri, (d) => d.length === 0, 'the diagnostic to clear after the move');
    assert.deepEqual(ourDiagnostics(vscode.Uri.joinPath(root, '.env')), [], 'a git-ignored .env is where the value belongs');
  });

  it('moves a Python literal to os.environ and adds the import', async () => {
    const root = workspaceRoot();
    const uri = vscode.Uri.joinPath(root, 'app', 'settings.py');
    const token = fakes.githubToken();
    await writeFile(uri, `#!/usr/bin/env python3\nGITHUB_TOKEN = "${token}"\n`);
    const editor = await openInEditor(uri);
    const [diagnostic] = await waitForDiagnostics(uri, (d) => d.length === 1, 'the diagnostic on settings.py');
    const move = (await quickFixes(uri, diagnostic.range)).find((a) => a.title === 'Move to an environment variable');
    assert.ok(move, 'a move action for Python');
    await vscode.commands.executeCommand(move.command!.command, ...(move.command!.arguments ?? []));
    assert.equal(editor.document.getText(), '#!/usr/bin/env python3\nimport os\nGITHUB_TOKEN = os.environ["GITHUB_TOKEN"]\n');
    assert.match((await readFile(vscode.Uri.joinPath(root, '.env.example')))!, /^GITHUB_TOKEN=$/m);
  });

  it('silences one rule on one line with a comment in the language’s syntax', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'scripts', 'deploy.rb');
    await writeFile(uri, `client = Octokit::Client.new(access_token: "${fakes.githubToken()}")\n`);
    const editor = await openInEditor(uri);
    const [diagnostic] = await waitForDiagnostics(uri, (d) => d.length === 1, 'the diagnostic on deploy.rb');
    const ignore = (await quickFixes(uri, diagnostic.range)).find((a) => a.title === `Ignore ${ruleOf(diagnostic)} on this line`);
    assert.ok(ignore?.edit, 'an ignore action with an edit');
    assert.ok(await vscode.workspace.applyEdit(ignore.edit));
    assert.match(editor.document.lineAt(0).text, / # launch-ready-ignore secret\/[a-z-]+$/);
    await waitForDiagnostics(uri, (d) => d.length === 0, 'the diagnostic to clear after ignoring');
  });

  it('lints env files, git-ignored ones too (without secret findings there), and offers the engine’s fixes', async () => {
    const folder = vscode.Uri.joinPath(workspaceRoot(), 'envs');
    await writeFile(vscode.Uri.joinPath(folder, '.gitignore'), '.env.local\n');
    const uri = vscode.Uri.joinPath(folder, '.env.local');
    await writeFile(uri, `API_TOKEN=${fakes.githubToken()}\nPORT=3000\nPORT=4000\n`);
    const editor = await openInEditor(uri);
    const [diagnostic] = await waitForDiagnostics(uri, (d) => d.length > 0, 'env diagnostics');
    assert.deepEqual(ourDiagnostics(uri).map(ruleOf), ['env/duplicated-key']);
    const fix = (await quickFixes(uri, diagnostic.range)).find((a) => a.title === 'Delete this earlier PORT');
    assert.ok(fix?.edit, 'the engine’s fix as a quick fix');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(editor.document.getText(), /\nPORT=4000\n$/);
    assert.doesNotMatch(editor.document.getText(), /PORT=3000/);
    await waitForDiagnostics(uri, (d) => d.length === 0, 'the env diagnostic to clear');
  });

  it('adds a finding to the baseline: the file gets its fingerprint, never the value, and the diagnostic goes', async () => {
    const root = workspaceRoot();
    const uri = vscode.Uri.joinPath(root, 'src', 'legacy.ts');
    const token = fakes.githubToken();
    await writeFile(uri, `export const token = "${token}";\n`);
    await openInEditor(uri);
    const [diagnostic] = await waitForDiagnostics(uri, (d) => d.length === 1, 'the diagnostic on legacy.ts');
    const accept = (await quickFixes(uri, diagnostic.range)).find((a) => a.title.startsWith('Add to the baseline'));
    assert.ok(accept?.command, 'an add-to-baseline action');
    // File events arrive coalesced: a file created and deleted within one batch yields none. Seeing
    // the creation first makes the deletion below an event of its own, as when a user removes it.
    const baselineUri = vscode.Uri.joinPath(root, '.launch-ready-baseline.json');
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '.launch-ready-baseline.json'));
    const created = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no file event for the baseline within 15 s')), 15_000);
      const seen = () => {
        clearTimeout(timer);
        resolve();
      };
      watcher.onDidCreate(seen);
      watcher.onDidChange(seen);
    });
    const file = await vscode.commands.executeCommand<string>(accept.command.command, ...(accept.command.arguments ?? []));
    assert.equal(file, '.launch-ready-baseline.json');
    await created;
    watcher.dispose();
    const text = (await readFile(baselineUri))!;
    assert.ok(!text.includes(token), 'the baseline must not contain the secret');
    const parsed = JSON.parse(text) as { version: number; findings: { ruleId: string; path: string; fingerprint: string }[] };
    assert.deepEqual(parsed.findings.map((f) => [f.ruleId, f.path]), [['secret/github-token', 'src/legacy.ts']]);
    await waitForDiagnostics(uri, (d) => d.length === 0, 'the baselined diagnostic to go');
    await vscode.workspace.fs.delete(baselineUri);
    await waitForDiagnostics(uri, (d) => d.length === 1, 'the diagnostic to return once the baseline is gone');
  });

  it('scans the workspace: closed files land in Problems and are re-checked when changed or deleted on disk', async () => {
    const root = workspaceRoot();
    const closed = vscode.Uri.joinPath(root, 'config', 'deploy.js');
    await writeFile(closed, `module.exports = { token: "${fakes.githubToken()}" };\n`);
    const summary = await vscode.commands.executeCommand<{ findings: number; filesScanned: number; cancelled: boolean }>('launchReady.scanWorkspace');
    assert.equal(summary.cancelled, false);
    assert.ok(summary.filesScanned >= 1 && summary.findings >= 1, JSON.stringify(summary));
    assert.deepEqual(ourDiagnostics(closed).map(ruleOf), ['secret/github-token']);

    await writeFile(closed, 'module.exports = { token: process.env.GITHUB_TOKEN };\n');
    await waitForDiagnostics(closed, (d) => d.length === 0, 'the watcher to re-check the fixed file');

    const doomed = vscode.Uri.joinPath(root, 'config', 'old.js');
    await writeFile(doomed, `const key = "${fakes.stripeKey()}";\n`);
    await waitForDiagnostics(doomed, (d) => d.length === 1, 'the watcher to check a new file in a scanned folder');
    await vscode.workspace.fs.delete(doomed);
    await waitForDiagnostics(doomed, (d) => d.length === 0, 'a deleted file to leave Problems');
  });

  it('follows launchReady.rules severity overrides and launchReady.secrets.enable', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'src', 'settings-check.ts');
    await writeFile(uri, `const stripeKey = "${fakes.stripeKey()}";\n`);
    await openInEditor(uri);
    await waitForDiagnostics(uri, (d) => d.length === 1 && d[0].severity === vscode.DiagnosticSeverity.Error, 'the default severity');
    const settings = vscode.workspace.getConfiguration('launchReady');
    try {
      await settings.update('rules', { 'secret/stripe-secret-key': 'low' }, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(uri, (d) => d.length === 1 && d[0].severity === vscode.DiagnosticSeverity.Information, 'the overridden severity');
      await settings.update('secrets.enable', false, vscode.ConfigurationTarget.Workspace);
      await waitForDiagnostics(uri, (d) => d.length === 0, 'no diagnostics with secrets off');
    } finally {
      await settings.update('rules', undefined, vscode.ConfigurationTarget.Workspace);
      await settings.update('secrets.enable', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitForDiagnostics(uri, (d) => d.length === 1 && d[0].severity === vscode.DiagnosticSeverity.Error, 'the default again');
  });

  it('lists the nine stages with their catalogue items, and the secrets stage reflects the findings', async () => {
    const api = await activateExtension();
    const tree = api.readiness;
    const top = tree.getChildren();
    const labels = top.map((node) => String(tree.getTreeItem(node).label));
    assert.deepEqual(labels.slice(1), ['Audit', 'DNS and redirects', 'Edge and SSL', 'Email', 'Deployment', 'Secrets and env', 'Performance and caching', 'Monitoring', 'Handover']);
    assert.equal(tree.getChildren(top[1]).length, 10);
    const audit = tree.getTreeItem(tree.getChildren(top[1])[0]);
    assert.equal((audit.iconPath as vscode.ThemeIcon).id, 'circle-outline');
    assert.match(String(audit.description), /^A1 · not checked$/);

    const uri = vscode.Uri.joinPath(workspaceRoot(), 'src', 'tree.ts');
    await writeFile(uri, `const token = "${fakes.githubToken()}";\n`);
    await openInEditor(uri);
    await waitForDiagnostics(uri, (d) => d.length === 1, 'a finding for the tree');
    const secrets = top[6];
    const s1 = await waitFor('S1 to fail', () => {
      const node = tree.getChildren(secrets)[0];
      return (tree.getTreeItem(node).iconPath as vscode.ThemeIcon).id === 'error' && node;
    }, tree.onDidChangeTreeData);
    assert.match(String(tree.getTreeItem(secrets).description), /1 failing/);
    const findings = tree.getChildren(s1).map((node) => tree.getTreeItem(node));
    const mine = findings.find((item) => item.label === 'src/tree.ts:1');
    assert.ok(mine, findings.map((f) => f.label).join(', '));
    assert.equal(mine.command?.command, 'vscode.open');
    assert.match(String(tree.getTreeItem(s1).contextValue), /^launchReady:check\+fail\+scan$/);
    const node = tree.getChildren(s1).find((n) => tree.getTreeItem(n).label === 'src/tree.ts:1');
    const copied = await vscode.commands.executeCommand<string>('launchReady.copyRemediation', node);
    assert.equal(await vscode.env.clipboard.readText(), copied);
    assert.match(copied, /GitHub/);
    assert.match(String(tree.getTreeItem(top[0]).label), /\d+ blockers? · \d+ high · \d+ medium/);
  });
});
