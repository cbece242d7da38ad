import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AuditOutcome } from '../../src/extension/audit';
import type { LaunchReadyApi } from '../../src/extension/extension';
import { parseZoneFile, startDnsServer, type RunningDnsServer } from '../world/dns-server';
import { activateExtension, ourDiagnostics, readFile, ruleOf, skipUnlessSuite, waitFor, waitForDiagnostics, waitForFolders, writeFile } from './helpers';

// A `.code-workspace` of two folders, `app` and `api` (prepared by test/editor/host-setup.mjs:
// each a git repository with its own launch.yaml and planted fake secrets). Every folder is linted,
// scanned and audited on its own; the tree and Problems show them together, naming the folder.

const ZONES = `
$ORIGIN shop.test
@        A     127.0.0.1
@        NS    ns1.cloudflare.com.
@        NS    ns2.cloudflare.com.
docs     CNAME shop-docs.herokuapp.com.

$ORIGIN api.test
@        A     127.0.0.1
@        NS    ns1.cloudflare.com.
@        NS    ns2.cloudflare.com.
status   CNAME api-status.herokuapp.com.

$ORIGIN herokuapp.com
other    A     192.0.2.77
`;

/** Token-shaped values of the planted secrets: none may reach a message. */
const SECRET_VALUE = /sk_live_[A-Za-z0-9]{24}|gh[pousr]_[A-Za-z0-9]{36}|SG\.[\w-]{22}\.[\w-]{43}|hooks\.slack\.com\/services\/T\w+\/B\w+\/\w{24}/;

const config = () => vscode.workspace.getConfiguration('launchReady');

describe('Launch Ready in a multi-root workspace', () => {
  let api: LaunchReadyApi;
  let dns: RunningDnsServer | undefined;
  let app: vscode.WorkspaceFolder;
  let service: vscode.WorkspaceFolder;
  const file = (folder: vscode.WorkspaceFolder, path: string) => vscode.Uri.joinPath(folder.uri, path);
  const labels = (nodes: readonly Parameters<LaunchReadyApi['readiness']['getTreeItem']>[0][]) => nodes.map((node) => String(api.readiness.getTreeItem(node).label));

  before(async function () {
    skipUnlessSuite(this, 'multi-root', 'a .code-workspace with two folders: the multi-root session of npm run test:editor, or the multi-root configuration of npm run test:vscode');
    const folders = await waitForFolders(2);
    api = await activateExtension();
    const byName = (name: string) => {
      const folder = folders.find((f) => f.name === name);
      assert.ok(folder, `a workspace folder named ${name}`);
      return folder;
    };
    app = byName('app');
    service = byName('api');
    dns = await startDnsServer(parseZoneFile(ZONES));
    // User-level settings: one resolver for every folder; put back in `after`.
    await config().update('dns.resolver', dns.server, vscode.ConfigurationTarget.Global);
    await config().update('checks.web', false, vscode.ConfigurationTarget.Global);
    await config().update('checks.email', false, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    if (!dns) return;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['dns.resolver', 'checks.web', 'checks.email']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    for (const folder of [app, service]) await vscode.workspace.fs.delete(file(folder, '.launch-ready'), { recursive: true }).then(undefined, () => undefined);
    await dns.close();
  });

  it('opens the .code-workspace with both folders', () => {
    assert.match(vscode.workspace.workspaceFile?.path ?? '', /\.code-workspace$/);
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((f) => f.name), ['app', 'api']);
  });

  it('flags the planted secret of each folder when its file is opened', async () => {
    for (const [folder, path, rule] of [[app, 'src/payments.ts', 'secret/stripe-secret-key'], [service, 'config/deploy.js', 'secret/github-token']] as const) {
      const uri = file(folder, path);
      await vscode.workspace.openTextDocument(uri);
      const diagnostics = await waitForDiagnostics(uri, (d) => d.length > 0, `a diagnostic on ${folder.name}/${path}`);
      assert.deepEqual(diagnostics.map(ruleOf), [rule], `${folder.name}/${path}`);
      assert.doesNotMatch(diagnostics[0].message, SECRET_VALUE);
    }
  });

  it('scans both folders: closed files of each land in Problems, and S1 lists them by folder', async () => {
    const summary = await vscode.commands.executeCommand<{ folders: number; filesScanned: number; findings: number; cancelled: boolean }>('launchReady.scanWorkspace');
    assert.equal(summary.cancelled, false);
    assert.equal(summary.folders, 2, JSON.stringify(summary));
    assert.ok(summary.findings >= 4, JSON.stringify(summary));
    // Never opened: only the scan can have found these.
    for (const [folder, path] of [[app, 'config/mailer.js'], [service, 'scripts/seed.py']] as const) {
      const found = ourDiagnostics(file(folder, path));
      assert.equal(found.length, 1, `${folder.name}/${path}: ${found.map(ruleOf).join(', ')}`);
      assert.match(ruleOf(found[0]) ?? '', /^secret\//);
      assert.doesNotMatch(found[0].message, SECRET_VALUE);
    }
    const s1 = api.readiness.itemById('S1');
    assert.ok(s1);
    assert.match(String(api.readiness.getTreeItem(s1).contextValue), /^launchReady:check\+fail\b/);
    // With several folders a file is named with its folder, as VS Code's asRelativePath does.
    const findings = labels(api.readiness.getChildren(s1));
    for (const expected of ['app/src/payments.ts:2', 'app/config/mailer.js:2', 'api/config/deploy.js:3', 'api/scripts/seed.py:2']) {
      assert.ok(findings.includes(expected), `${expected} in ${findings.join(', ')}`);
    }
  });

  it('audits each folder on its own; the tree combines both reports, naming the folder of each finding', async () => {
    const appOutcome = await vscode.commands.executeCommand<AuditOutcome>('launchReady.runAudit', app);
    assert.equal(appOutcome.status, 'done', JSON.stringify(appOutcome));
    const serviceOutcome = await vscode.commands.executeCommand<AuditOutcome>('launchReady.runAudit', service);
    assert.equal(serviceOutcome.status, 'done', JSON.stringify(serviceOutcome));
    if (appOutcome.status !== 'done' || serviceOutcome.status !== 'done') return;
    assert.equal(appOutcome.file, join(app.uri.fsPath, '.launch-ready', 'last-audit.json'));
    assert.equal(serviceOutcome.file, join(service.uri.fsPath, '.launch-ready', 'last-audit.json'));
    for (const name of ['docs.shop.test', 'status.api.test']) assert.ok(dns!.queries.some((q) => q.name.toLowerCase() === name), `${name} was looked up`);

    // Each report covers its own folder only.
    const filesOf = (outcome: typeof appOutcome) => outcome.report.findings.flatMap((f) => (f.location.kind === 'file' && f.ruleId.startsWith('secret/') ? [f.location.path] : [])).sort();
    assert.deepEqual(filesOf(appOutcome), ['config/mailer.js', 'src/payments.ts']);
    assert.deepEqual(filesOf(serviceOutcome), ['config/deploy.js', 'scripts/seed.py']);
    assert.deepEqual(api.audits.all().map(({ folder }) => folder.name), ['app', 'api']);

    // D1 fails in both; each finding is listed once, under the name of its folder.
    const d1 = api.readiness.itemById('D1');
    assert.ok(d1);
    assert.match(String(api.readiness.getTreeItem(d1).contextValue), /^launchReady:check\+fail\b/);
    const d1Findings = labels(api.readiness.getChildren(d1));
    assert.equal(d1Findings.filter((label) => /^app: docs\.shop\.test\b/.test(label)).length, 1, d1Findings.join(' | '));
    assert.equal(d1Findings.filter((label) => /^api: status\.api\.test\b/.test(label)).length, 1, d1Findings.join(' | '));
    assert.ok(!d1Findings.some((label) => /^app: .*api\.test|^api: .*shop\.test/.test(label)), d1Findings.join(' | '));

    const summary = api.readiness.getTreeItem(api.readiness.getChildren()[0]);
    assert.match(String(summary.description), /^last audit /);
    const tooltip = (summary.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /app: audited /);
    assert.match(tooltip, /api: audited /);
  });

  it('runs the DNS checks for the folder of the active editor, leaving the other folder’s report alone', async () => {
    const appBefore = api.audits.reportOf(app)?.generatedAt;
    const serviceBefore = api.audits.reportOf(service)?.generatedAt;
    assert.ok(appBefore && serviceBefore);
    await vscode.window.showTextDocument(file(service, 'config/deploy.js'));
    const outcome = await vscode.commands.executeCommand<AuditOutcome>('launchReady.runDnsChecks');
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    if (outcome.status !== 'done') return;
    assert.equal(outcome.file, join(service.uri.fsPath, '.launch-ready', 'last-audit.json'));
    assert.notEqual(api.audits.reportOf(service)?.generatedAt, serviceBefore);
    assert.equal(api.audits.reportOf(app)?.generatedAt, appBefore);
  });

  it('ticks an attestation into the launch.yaml of the folder given, and the tree shows it', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('launchReady.attest', { item: 'R7', by: 'Dana', evidence: 'restore drill', date: '2026-01-10', folder: service });
    assert.equal(uri?.toString(), file(service, 'launch.yaml').toString());
    assert.match((await readFile(file(service, 'launch.yaml'))) ?? '', /^ {2}R7:/m);
    assert.doesNotMatch((await readFile(file(app, 'launch.yaml'))) ?? '', /R7/);
    const r7 = api.readiness.itemById('R7');
    assert.ok(r7);
    assert.match(String(api.readiness.getTreeItem(r7).description), /attested by Dana on 2026-01-10/);
    assert.equal(api.audits.isStale(service), false, 'an attestation does not change what the live checks read');
  });

  it('an edited launch.yaml makes only its own folder’s live results stale', async () => {
    const launch = file(app, 'launch.yaml');
    const original = await readFile(launch);
    assert.ok(original);
    assert.ok(api.launch.stateOf(app), 'the app launch.yaml is read');
    assert.equal(api.audits.isStale(app) || api.audits.isStale(service), false);
    try {
      await writeFile(launch, original.replace('  dnssec: false\n', '  dnssec: true\n'));
      await waitFor('the app report to be marked stale', () => api.audits.isStale(app), api.audits.onDidChange);
      assert.equal(api.audits.isStale(service), false);
      assert.match(String(api.readiness.getTreeItem(api.readiness.getChildren()[0]).description), /launch\.yaml changed since/);
    } finally {
      await writeFile(launch, original);
    }
  });
});
