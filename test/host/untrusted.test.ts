import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { AuditOutcome } from '../../src/extension/audit';
import { Fakes } from '../support/fakes';
import { parseZoneFile, startDnsServer } from '../world/dns-server';
import { activateExtension, pollFor, readFile, skipUnlessSuite, waitForDiagnostics, workspaceRoot, writeFile } from './helpers';

// Run by the harness in a second code-server with workspace trust on, so this folder opens in
// restricted mode. Local checks must work; nothing that runs workspace-controlled programs (git
// reads the repository's config, which can name programs to run) may happen.

const fakes = new Fakes(1125);

describe('Launch Ready in an untrusted workspace', () => {
  before(async function () {
    skipUnlessSuite(this, 'untrusted', 'a folder opened in restricted mode: only the code-server harness starts one, test-electron always passes --disable-workspace-trust');
    await activateExtension();
  });

  it('runs in restricted mode', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('flags secrets as typed and offers the quick fixes', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'src', 'pay.ts');
    const key = fakes.stripeKey();
    await writeFile(uri, `const stripeKey = "${key}";\n`);
    // Opened as a document, not shown: in restricted mode the workbench may still be placing its
    // own editors, and a shown editor can be replaced (its promise rejects as cancelled).
    await vscode.workspace.openTextDocument(uri);
    const [diagnostic] = await waitForDiagnostics(uri, (d) => d.length === 1, 'a diagnostic in restricted mode');
    // The as-you-type pass may republish the diagnostic the file watcher already reported; code
    // actions computed in between see no diagnostic, so ask until the editor has settled.
    const move = await pollFor('the move to be offered', async () => {
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      return actions.find((a) => a.title === 'Move to an environment variable' && a.command);
    });
    assert.ok(move.command, 'the move is offered');

    // git would say .env is ignored (core.excludesFile); without asking git, the .gitignore files
    // do not, so the value stays out of .env.
    const result = await vscode.commands.executeCommand<{ name: string; valueWritten: boolean }>(move.command.command, ...(move.command.arguments ?? []));
    assert.deepEqual(result, { name: 'STRIPE_KEY', valueWritten: false });
    assert.equal(await readFile(vscode.Uri.joinPath(workspaceRoot(), '.env')), 'STRIPE_KEY=\n');
    await waitForDiagnostics(uri, (d) => d.length === 0, 'the diagnostic to clear after the move');
  });

  it('scans the workspace', async () => {
    const uri = vscode.Uri.joinPath(workspaceRoot(), 'config', 'ci.js');
    await writeFile(uri, `module.exports = { token: "${fakes.githubToken()}" };\n`);
    const summary = await vscode.commands.executeCommand<{ findings: number; cancelled: boolean }>('launchReady.scanWorkspace');
    assert.equal(summary.cancelled, false);
    assert.equal(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Launch Ready').length, 1);
  });

  it('makes no network request: live checks explain why and wait for trust', async () => {
    const dns = await startDnsServer(parseZoneFile('$ORIGIN acme.test\n@ A 127.0.0.1\n'));
    const config = vscode.workspace.getConfiguration('launchReady');
    // A user setting, which applies in restricted mode too: were anything to resolve, it would ask this server.
    await config.update('dns.resolver', dns.server, vscode.ConfigurationTarget.Global);
    const launch = vscode.Uri.joinPath(workspaceRoot(), 'launch.yaml');
    try {
      await writeFile(launch, 'app: { name: Acme, stage: launch }\ndomain:\n  primary: acme.test\n');
      for (const command of ['launchReady.runAudit', 'launchReady.runDnsChecks', 'launchReady.runHttpsChecks']) {
        const outcome = await vscode.commands.executeCommand<AuditOutcome>(command);
        assert.equal(outcome.status, 'untrusted', command);
      }
      assert.equal(dns.queries.length, 0);
      assert.equal(await readFile(vscode.Uri.joinPath(workspaceRoot(), '.launch-ready', 'last-audit.json')), undefined, 'no report written');
    } finally {
      await config.update('dns.resolver', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(launch).then(undefined, () => undefined);
      await dns.close();
    }
  });
});
