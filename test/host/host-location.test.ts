import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { buildReport } from '../../src/engine/audit';
import type { Finding } from '../../src/engine/model';
import type { LaunchReadyApi } from '../../src/extension/extension';
import type { ReadinessNode } from '../../src/extension/readiness-tree';
import { activateExtension, pollFor, waitFor, workspaceRoot, writeFile } from './helpers';

// A DNS, email or HTTPS finding points at a host, not a file: clicking it in the tree opens the
// launch.yaml line that named the host (as launch.yaml reads now), and "Show How to Fix" stays in
// the tooltip and the context menu. A host launch.yaml does not name still shows how to fix it.
// The report is written as a saved last-audit.json, so no network is involved.

const LAUNCH_YAML = `app: { name: Acme, stage: launch }
domain:
  primary: acme.test
  subdomains:
    www: { cname: acme.test }
    docs: { cname: acme-docs.herokuapp.com }
email:
  senders:
    - domain: acme.test
      provider: google-workspace
deploy:
  healthUrl: https://api.acme.test/health
`;

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle));

function hostFinding(ruleId: string, stage: Finding['stage'], host: string, subject: string): Finding {
  return { ruleId, severity: 'high', stage, message: `${ruleId} on ${host}`, location: { kind: 'host', host, subject }, remediation: `How to fix ${ruleId}.`, fingerprint: `${ruleId}:${host}` };
}

describe('Host findings open launch.yaml (trusted)', () => {
  let api: LaunchReadyApi;
  let folder: vscode.WorkspaceFolder;
  const launchUri = () => vscode.Uri.joinPath(workspaceRoot(), 'launch.yaml');

  const childrenOf = (itemId: string): ReadinessNode[] => {
    const node = api.readiness.itemById(itemId);
    assert.ok(node, itemId);
    return api.readiness.getChildren(node);
  };
  const commandFor = (itemId: string, host: string): vscode.Command | undefined => {
    const child = childrenOf(itemId).find((node) => node.kind === 'audit-finding' && node.finding.location.kind === 'host' && node.finding.location.host === host);
    assert.ok(child, `${itemId} lists the finding on ${host}`);
    const item = api.readiness.getTreeItem(child);
    assert.match(String((item.tooltip as vscode.MarkdownString | undefined)?.value ?? ''), /How to fix/, 'the tooltip still says how to fix it');
    return item.command;
  };
  const assertOpensLine = (command: vscode.Command | undefined, line: number, what: string) => {
    assert.ok(command, what);
    assert.equal(command.command, 'vscode.open', what);
    const [uri, options] = command.arguments as [vscode.Uri, { selection: vscode.Range }];
    assert.equal(uri.toString(), launchUri().toString(), what);
    assert.equal(options.selection.start.line, line, what);
  };

  /** Writes launch.yaml and waits until the extension reads it (a document left open from an earlier suite catches up with the disk on its own time). */
  const writeLaunch = async (text: string) => {
    await writeFile(launchUri(), text);
    await pollFor('launch.yaml as written', async () => api.launch.refresh(folder)?.text === text);
  };

  before(async () => {
    api = await activateExtension();
    folder = vscode.workspace.workspaceFolders![0];
    await writeLaunch(LAUNCH_YAML);
    const report = buildReport({
      tool: { name: 'launch-ready', version: '0.1.0' },
      generatedAt: new Date('2031-01-01T00:00:00Z'),
      checkedFrom: 'host test',
      root: folder.uri.fsPath,
      launchFile: 'launch.yaml',
      offline: false,
      findings: [
        hostFinding('dns/dangling-cname', 'dns', 'docs.acme.test', 'CNAME'),
        hostFinding('dns/subdomain-not-resolving', 'dns', 'ghost.elsewhere.test', 'A'),
        hostFinding('email/spf-missing', 'email', 'acme.test', 'TXT'),
        hostFinding('web/health-failing', 'deploy', 'api.acme.test', 'https://api.acme.test/health'),
      ],
      checks: [{ id: 'dns', status: 'ran', findings: 2, items: ['D1'] }, { id: 'email', status: 'ran', findings: 1, items: ['M1'] }],
      attestations: [],
      acceptedRisks: [],
    });
    // A report saved before latency findings mapped to P7: the finding has no items.
    report.findings.push({ ...hostFinding('web/latency-over-budget', 'performance', 'api.acme.test', 'https://api.acme.test/health') });
    await writeFile(vscode.Uri.joinPath(workspaceRoot(), '.launch-ready', 'last-audit.json'), JSON.stringify(report, null, 2));
    api.audits.loadFolder(folder);
    await waitFor('the saved report', () => api.audits.reportOf(folder)?.generatedAt === report.generatedAt, api.audits.onDidChange);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const file of ['launch.yaml', '.launch-ready']) {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), file), { recursive: true }).then(undefined, () => undefined);
    }
  });

  it('opens the line that declares the host, chosen by the rule', async () => {
    assertOpensLine(commandFor('D1', 'docs.acme.test'), lineOf(LAUNCH_YAML, 'docs: {'), 'a DNS finding opens its subdomain entry');
    assertOpensLine(commandFor('M1', 'acme.test'), lineOf(LAUNCH_YAML, '- domain: acme.test'), 'an email finding opens the sending domain, not the primary host');
    assertOpensLine(commandFor('R6', 'api.acme.test'), lineOf(LAUNCH_YAML, 'healthUrl:'), 'the health check opens the health URL');

    // Clicking really lands there.
    const command = commandFor('D1', 'docs.acme.test');
    assert.ok(command);
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), launchUri().toString());
    assert.equal(editor?.selection.start.line, lineOf(LAUNCH_YAML, 'docs: {'));
  });

  it('shows how to fix a host launch.yaml does not name', () => {
    const command = commandFor('D1', 'ghost.elsewhere.test');
    assert.equal(command?.command, 'launchReady.showRemediation');
  });

  it('follows launch.yaml as it is now, not as it was at the audit', async () => {
    const moved = `# Two lines added after the audit\n# move every entry down.\n${LAUNCH_YAML}`;
    await writeLaunch(moved);
    assertOpensLine(commandFor('D1', 'docs.acme.test'), lineOf(moved, 'docs: {'), 'the entry moved two lines down');
  });

  it('lists a finding of an older report that bears on no item under its stage', () => {
    const stage = api.readiness.getChildren().find((node) => node.kind === 'stage' && node.stage === 'performance');
    assert.ok(stage);
    const loose = api.readiness.getChildren(stage).filter((node) => node.kind === 'audit-finding');
    assert.deepEqual(loose.map((node) => (node.kind === 'audit-finding' ? node.finding.ruleId : '')), ['web/latency-over-budget']);
    assert.equal(api.readiness.getParent(loose[0]), stage);
    assert.match(String(api.readiness.getTreeItem(stage).description), /1 other finding/);
    assertOpensLine(api.readiness.getTreeItem(loose[0]).command, lineOf(LAUNCH_YAML, 'healthUrl:') + 2, 'a latency finding on the health URL opens it');
  });
});
