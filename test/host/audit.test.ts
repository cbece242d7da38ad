import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AuditOutcome } from '../../src/extension/audit';
import type { LaunchReadyApi } from '../../src/extension/extension';
import { createTestCa } from '../world/ca';
import { parseZoneFile, startDnsServer, type RunningDnsServer } from '../world/dns-server';
import { startConnectProxy, startWebWorld } from '../world/https-world';
import { activateExtension, ourDiagnostics, readFile, ruleOf, waitFor, waitForDiagnostics, workspaceRoot, writeFile } from './helpers';

// The audit from the editor against a real DNS server on loopback (started in this extension-host
// process): commands, the saved report, the tree built from it, launch.yaml diagnostics,
// staleness after an edit, attestations ticked from the tree, and the generated documents.

const LAUNCH_YAML = `# Acme's launch: keep this comment.
app: { name: Acme, stage: launch }
domain:
  primary: acme.test
  subdomains:
    www: { cname: acme.test }
    docs: { cname: acme-docs.herokuapp.com }
  dnssec: false
attestations:
  # Signed off in the launch review.
  H3: { by: Sam, date: 2026-01-05, evidence: walked through in the review }
`;

const ZONES = `
$ORIGIN acme.test
@                A     127.0.0.1
@                NS    ns1.cloudflare.com.
@                NS    ns2.cloudflare.com.
www              CNAME acme.test.
docs             CNAME acme-docs.herokuapp.com.

$ORIGIN herokuapp.com
other-app        A     192.0.2.77
`;

const config = () => vscode.workspace.getConfiguration('launchReady');
const itemState = (api: LaunchReadyApi, id: string) => {
  const node = api.readiness.itemById(id);
  assert.ok(node);
  const item = api.readiness.getTreeItem(node);
  return { contextValue: item.contextValue ?? '', description: String(item.description ?? ''), node };
};

describe('Audit from the editor (trusted)', () => {
  let api: LaunchReadyApi;
  let dns: RunningDnsServer;
  const launchUri = () => vscode.Uri.joinPath(workspaceRoot(), 'launch.yaml');

  before(async () => {
    api = await activateExtension();
    dns = await startDnsServer(parseZoneFile(ZONES));
    // User-level settings: they apply whatever the workspace, and are put back in `after`.
    await config().update('dns.resolver', dns.server, vscode.ConfigurationTarget.Global);
    await config().update('checks.web', false, vscode.ConfigurationTarget.Global);
    await config().update('checks.email', false, vscode.ConfigurationTarget.Global);
    await writeFile(launchUri(), LAUNCH_YAML);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['dns.resolver', 'checks.web', 'checks.email']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    for (const file of ['launch.yaml', '.launch-ready', 'RUNBOOK.md', 'HANDOVER.md']) {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), file), { recursive: true }).then(undefined, () => undefined);
    }
    await dns.close();
  });

  it('runs the DNS checks against the configured resolver, saves the report and fills the tree', async () => {
    assert.equal(vscode.workspace.isTrusted, true);
    const outcome = await vscode.commands.executeCommand<AuditOutcome>('launchReady.runDnsChecks');
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    assert.ok(dns.queries.some((query) => query.name.toLowerCase() === 'docs.acme.test'), 'the loopback server was asked');
    const file = join(workspaceRoot().fsPath, '.launch-ready', 'last-audit.json');
    assert.ok(existsSync(file));
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { checks: { id: string; status: string }[] };
    assert.equal(saved.checks.find((check) => check.id === 'dns')?.status, 'ran');
    assert.equal(saved.checks.find((check) => check.id === 'web')?.status, 'skipped');

    // docs.acme.test points at a Heroku name nobody holds: D1 fails, with the finding as a child.
    const d1 = itemState(api, 'D1');
    assert.match(d1.contextValue, /^launchReady:check\+fail\+rerun\b/);
    const children = api.readiness.getChildren(d1.node);
    assert.ok(children.length > 0);
    const child = api.readiness.getTreeItem(children[0]);
    assert.match(String(child.label), /docs\.acme\.test/);
    // The host is declared in launch.yaml: the click opens that line (host-location.test.ts has the details).
    assert.equal(child.command?.command, 'vscode.open', 'a host finding opens the launch.yaml line naming its host');
    const copied = await vscode.commands.executeCommand<string>('launchReady.copyRemediation', children[0]);
    assert.ok(copied && copied.length > 10);
    assert.equal(await vscode.env.clipboard.readText(), copied);

    // Items no check answered stay "not checked"; the attested one shows the attestation.
    assert.match(itemState(api, 'E1').contextValue, /\+not-checked/);
    assert.match(itemState(api, 'H3').contextValue, /\+attested/);
    const summary = api.readiness.getTreeItem(api.readiness.getChildren()[0]);
    assert.match(String(summary.description), /^last audit /);
  });

  it('loads the saved report at startup without the network', async () => {
    const before = dns.queries.length;
    api.audits.loadSaved();
    assert.match(itemState(api, 'D1').contextValue, /\+fail/);
    assert.equal(dns.queries.length, before);
  });

  it('picks up a report written outside the editor (the CLI)', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const file = vscode.Uri.joinPath(workspaceRoot(), '.launch-ready', 'last-audit.json');
    const report = JSON.parse((await readFile(file)) ?? '{}') as { generatedAt: string };
    report.generatedAt = '2030-01-02T03:04:05.000Z';
    await writeFile(file, JSON.stringify(report));
    await waitFor('the new report', () => api.audits.reportOf(folder)?.generatedAt === report.generatedAt, api.audits.onDidChange);
  });

  it('runs the whole audit; a partial run keeps the other checks’ results', async () => {
    const outcome = await vscode.commands.executeCommand<AuditOutcome>('launchReady.runAudit');
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    if (outcome.status !== 'done') return;
    assert.deepEqual(outcome.report.checks.filter((check) => check.status === 'ran').map((check) => check.id).sort(), ['dns', 'env', 'launch', 'secrets']);
    const again = await vscode.commands.executeCommand<AuditOutcome>('launchReady.rerunCheck', api.readiness.itemById('D1'));
    assert.equal(again.status, 'done');
    if (again.status !== 'done') return;
    assert.ok(again.report.checks.some((check) => check.id === 'secrets' && check.status === 'ran'), 'the secrets result survives a DNS-only run');
  });

  it('runs the HTTPS checks through launchReady.https.connectTo and caFile, keeping the DNS results', async () => {
    const ca = await createTestCa();
    const certificate = await ca.issue({ names: ['acme.test', 'www.acme.test'] });
    const world = await startWebWorld({
      certificates: { 'acme.test': certificate, 'www.acme.test': certificate },
      handle: (request, response, scheme) => {
        if (scheme === 'http') {
          response.writeHead(301, { location: `https://acme.test${request.url ?? '/'}` }).end();
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Acme</title>');
      },
    });
    const caFile = vscode.Uri.joinPath(workspaceRoot(), 'test-ca.pem');
    await writeFile(caFile, ca.certPem);
    const entries = world.connectTo.map((entry) => `${entry.host}:${entry.port || ''}:${entry.address}:${entry.toPort || ''}`);
    await config().update('checks.web', true, vscode.ConfigurationTarget.Global);
    await config().update('https.caFile', caFile.fsPath, vscode.ConfigurationTarget.Global);
    await config().update('https.connectTo', entries, vscode.ConfigurationTarget.Global);
    try {
      const outcome = await vscode.commands.executeCommand<AuditOutcome>('launchReady.runHttpsChecks');
      assert.equal(outcome.status, 'done', JSON.stringify(outcome));
      if (outcome.status !== 'done') return;
      assert.ok(world.requests.some((request) => request.startsWith('https://acme.test/')), world.requests.join(', '));
      assert.equal(outcome.report.checks.find((check) => check.id === 'web')?.status, 'ran');
      assert.equal(outcome.report.checks.find((check) => check.id === 'dns')?.status, 'ran', 'the DNS result of the earlier run is kept');
      // A certificate from the CA in caFile is trusted: no certificate finding for the apex.
      assert.ok(!outcome.report.findings.some((finding) => finding.ruleId.startsWith('web/cert-') && finding.location.kind === 'host' && finding.location.host === 'acme.test'),
        outcome.report.findings.map((finding) => finding.ruleId).join(', '));
      assert.doesNotMatch(itemState(api, 'E1').contextValue, /\+not-checked/);
      assert.match(itemState(api, 'D1').contextValue, /\+fail/);

      // VS Code's http.proxy is handed to the engine's own HTTP client (not reached by VS Code's patching).
      const proxy = await startConnectProxy(world.httpsPort);
      await vscode.workspace.getConfiguration('http').update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
      try {
        const proxied = await vscode.commands.executeCommand<AuditOutcome>('launchReady.runHttpsChecks');
        assert.equal(proxied.status, 'done');
        assert.ok(proxy.connects.includes('acme.test:443'), proxy.connects.join(', '));
      } finally {
        await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
        await proxy.close();
      }
    } finally {
      for (const key of ['checks.web', 'https.caFile', 'https.connectTo']) await config().update(key, key === 'checks.web' ? false : undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(caFile);
      await world.close();
    }
  });

  it('cancels an audit in progress: nothing saved, the previous report kept', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const previous = api.audits.reportOf(folder)?.generatedAt;
    // The apex never answers, so the DNS check is still waiting when it is cancelled.
    dns.setFault('acme.test', { drop: true });
    await config().update('network.timeoutMs', 2000, vscode.ConfigurationTarget.Global);
    try {
      dns.queries.splice(0); // waitForQuery answers at once for a query seen earlier
      const running = vscode.commands.executeCommand<AuditOutcome>('launchReady.runDnsChecks');
      await dns.waitForQuery('acme.test');
      assert.equal(api.audits.isRunning(folder), true);
      assert.equal(api.audits.cancel(folder), true);
      const outcome = await running;
      assert.equal(outcome.status, 'cancelled');
      assert.equal(api.audits.reportOf(folder)?.generatedAt, previous);
      assert.equal(api.audits.isRunning(folder), false);
    } finally {
      dns.setFault('acme.test', undefined);
      await config().update('network.timeoutMs', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('validates launch.yaml while typing, with precise ranges', async () => {
    const doc = await vscode.workspace.openTextDocument(launchUri());
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc.lineAt(1);
    await editor.edit((edit) => edit.replace(line.range, 'app: { name: Acme, stage: someday }'));
    const diagnostics = await waitForDiagnostics(launchUri(), (d) => d.some((x) => ruleOf(x)?.startsWith('launch/')), 'a launch.yaml diagnostic');
    const diagnostic = diagnostics.find((x) => ruleOf(x)?.startsWith('launch/'));
    assert.ok(diagnostic);
    assert.equal(diagnostic.range.start.line, 1);
    assert.equal(doc.getText(diagnostic.range), 'someday');

    // The live results were measured against the old launch.yaml.
    await waitFor('the report to be marked stale', () => api.audits.isStale(vscode.workspace.workspaceFolders![0]), api.audits.onDidChange);
    assert.match(String(api.readiness.getTreeItem(api.readiness.getChildren()[0]).description), /launch\.yaml changed since/);

    await editor.edit((edit) => edit.replace(doc.lineAt(1).range, 'app: { name: Acme, stage: launch }'));
    await waitForDiagnostics(launchUri(), (d) => !d.some((x) => ruleOf(x)?.startsWith('launch/')), 'the launch.yaml diagnostic to clear');
    await doc.save();
    assert.equal(ourDiagnostics(launchUri()).filter((x) => ruleOf(x)?.startsWith('launch/')).length, 0);
  });

  it('ticks an attestation from the tree into launch.yaml, keeping comments', async () => {
    assert.match(itemState(api, 'R7').contextValue, /\+not-checked.*\+attest\b/);
    const folder = vscode.workspace.workspaceFolders![0];
    assert.equal((await vscode.commands.executeCommand<AuditOutcome>('launchReady.runDnsChecks')).status, 'done');
    assert.equal(api.audits.isStale(folder), false, 'a new run is not stale');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('launchReady.attest', { item: 'R7', by: 'Dana', evidence: 'restore drill 2026-01-10', date: '2026-01-10' });
    assert.equal(uri.toString(), launchUri().toString());
    const text = (await readFile(launchUri())) ?? '';
    assert.match(text, /^# Acme's launch: keep this comment\.$/m);
    assert.match(text, /^ {2}# Signed off in the launch review\.$/m);
    assert.match(text, /^ {2}R7:/m);
    assert.match(text, /by: Dana/);
    assert.match(text, /date: 2026-01-10/);
    const r7 = itemState(api, 'R7');
    assert.match(r7.contextValue, /\+attested/);
    assert.doesNotMatch(r7.contextValue, /\+attest\b/);
    assert.match(r7.description, /attested by Dana on 2026-01-10/);
    assert.equal(ourDiagnostics(launchUri()).filter((x) => ruleOf(x)?.startsWith('launch/')).length, 0, 'the written attestation is valid');
    assert.equal(api.audits.isStale(folder), false, 'an attestation does not change what the live checks read');
  });

  it('generates the runbook and the handover and opens them', async () => {
    const runbook = await vscode.commands.executeCommand<vscode.Uri>('launchReady.generateRunbook');
    assert.ok(runbook && runbook.fsPath.endsWith('RUNBOOK.md'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), runbook.toString());
    assert.match((await readFile(runbook)) ?? '', /Acme/);
    const handover = await vscode.commands.executeCommand<vscode.Uri>('launchReady.generateHandover');
    assert.ok(handover && handover.fsPath.endsWith('HANDOVER.md'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), handover.toString());
  });
});
