import * as vscode from 'vscode';
import { AuditService, checksForItem, pickAuditFolder, type AuditOutcome, type AuditScope } from './audit';
import { attestItem, generateDoc, type AttestArgs, type DocKind } from './docs-and-attest';
import { LaunchFiles } from './launch-diagnostics';
import { ADD_TO_BASELINE_COMMAND, addToBaseline, moveSecretToEnv, MOVE_TO_ENV_COMMAND, SecretCodeActions } from './code-actions';
import { createLaunchYaml, updateLaunchFileContext } from './launch-file';
import { readinessItemsFor } from '../engine/readiness/catalog';
import { GetStartedView, ReadinessTree, type ReadinessNode } from './readiness-tree';
import { SecretLinter } from './secret-linter';
import { RULES_DOCS, SecretStore, type PersistedScan } from './secret-store';
import { ScanSettings } from './settings';
import { createStatusItem } from './status';
import { scanWorkspace, watchFiles } from './workspace-scan';

// Activation happens on a language of interest, the view or a command (package.json). It does
// no workspace walk and no network: it lints the documents already open and waits.

export interface LaunchReadyApi {
  /** For the extension-host tests: the tree as the view sees it. */
  readonly readiness: ReadinessTree;
  readonly audits: AuditService;
  readonly launch: LaunchFiles;
}

export function activate(context: vscode.ExtensionContext): LaunchReadyApi {
  const log = vscode.window.createOutputChannel('Launch Ready', { log: true });
  const settings = new ScanSettings(log);
  const store = new SecretStore();
  const linter = new SecretLinter(store, settings, log);
  const audits = new AuditService(log);
  const launch = new LaunchFiles(settings);
  const readiness = new ReadinessTree(store, audits, launch);
  const view = vscode.window.createTreeView('launchReady.readiness', { treeDataProvider: readiness, showCollapseAll: true });
  const updateBadge = () => {
    const counts = readiness.counts();
    const urgent = counts.blocker + counts.high;
    view.badge = urgent > 0 ? { value: urgent, tooltip: `${urgent} blocker or high finding(s)` } : undefined;
  };

  context.subscriptions.push(
    log,
    settings,
    store,
    linter,
    readiness,
    view,
    audits,
    launch,
    store.onDidChange(updateBadge),
    audits.onDidChange(updateBadge),
    // An edited launch.yaml: diagnostics are already redone; live results were measured against the old one.
    launch.onDidChange(({ folder, edited }) => {
      if (edited) audits.markStale(folder);
    }),
    vscode.window.registerTreeDataProvider('launchReady.start', new GetStartedView()),
    createStatusItem(() => readiness.counts(), [store.onDidChange, audits.onDidChange]),
    watchFiles(store, settings, linter),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new SecretCodeActions(store), SecretCodeActions.metadata),
    vscode.commands.registerCommand('launchReady.scanWorkspace', () => scanWorkspace(store, settings, linter, log)),
    vscode.commands.registerCommand(MOVE_TO_ENV_COMMAND, (uri: vscode.Uri, range: vscode.Range, ruleId: string) => moveSecretToEnv(uri, range, ruleId, log)),
    vscode.commands.registerCommand(ADD_TO_BASELINE_COMMAND, (uri: vscode.Uri, range: vscode.Range, ruleId: string) => addToBaseline(uri, range, ruleId, store, settings, log)),
    vscode.commands.registerCommand('launchReady.refreshReadiness', () => {
      readiness.refresh();
      void updateLaunchFileContext();
    }),
    vscode.commands.registerCommand('launchReady.createLaunchYaml', () => createLaunchYaml(log)),
    vscode.commands.registerCommand('launchReady.showLog', () => log.show()),
    vscode.commands.registerCommand('launchReady.runAudit', (folder?: vscode.WorkspaceFolder) => runScoped(audits, folder, 'all', 'Run Audit')),
    vscode.commands.registerCommand('launchReady.runDnsChecks', (folder?: vscode.WorkspaceFolder) => runScoped(audits, folder, ['dns'], 'DNS checks')),
    vscode.commands.registerCommand('launchReady.runHttpsChecks', (folder?: vscode.WorkspaceFolder) => runScoped(audits, folder, ['web'], 'HTTPS checks')),
    vscode.commands.registerCommand('launchReady.rerunCheck', (node?: ReadinessNode) => {
      const items = node?.kind === 'item' ? [node.item] : node?.kind === 'stage' ? readinessItemsFor(node.stage) : [];
      const checks = [...new Set(items.flatMap((item) => checksForItem(item.id)))];
      if (checks.length === 0) return undefined;
      return runScoped(audits, undefined, checks, `${checks.join(' and ')} check${checks.length > 1 ? 's' : ''}`);
    }),
    vscode.commands.registerCommand('launchReady.generateRunbook', (folder?: vscode.WorkspaceFolder) => docCommand(folder, 'runbook', log)),
    vscode.commands.registerCommand('launchReady.generateHandover', (folder?: vscode.WorkspaceFolder) => docCommand(folder, 'handover', log)),
    vscode.commands.registerCommand('launchReady.attest', async (target?: ReadinessNode | (AttestArgs & { folder?: vscode.WorkspaceFolder })) => {
      const args: AttestArgs | undefined = !target ? undefined : 'kind' in target ? (target.kind === 'item' ? { item: target.item.id } : undefined) : target;
      if (!args) return undefined;
      const folder = await pickAuditFolder('folder' in (target ?? {}) ? (target as { folder?: vscode.WorkspaceFolder }).folder : undefined);
      return folder && attestItem(folder, launch, args, log);
    }),
    vscode.commands.registerCommand('launchReady.showRemediation', async (node?: ReadinessNode) => {
      if (node?.kind !== 'audit-finding' && node?.kind !== 'finding') return;
      const copy = 'Copy How to Fix';
      const choice = await vscode.window.showInformationMessage(`${node.finding.ruleId}: ${node.finding.message}`, { modal: true, detail: `How to fix: ${node.finding.remediation}` }, copy);
      if (choice === copy) await vscode.env.clipboard.writeText(node.finding.remediation);
    }),
    vscode.commands.registerCommand('launchReady.copyRemediation', async (node?: ReadinessNode) => {
      if (node?.kind !== 'finding' && node?.kind !== 'audit-finding') return undefined;
      await vscode.env.clipboard.writeText(node.finding.remediation);
      return node.finding.remediation;
    }),
    vscode.commands.registerCommand('launchReady.openRuleDocs', () =>
      vscode.env.openExternal(vscode.Uri.parse(RULES_DOCS))),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void updateLaunchFileContext()),
  );

  // A report written by the CLI (or another window) replaces the one shown.
  const reportWatcher = vscode.workspace.createFileSystemWatcher('**/.launch-ready/last-audit.json');
  const reloadReport = (uri: vscode.Uri) => {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder) audits.loadFolder(folder);
  };
  context.subscriptions.push(reportWatcher, reportWatcher.onDidCreate(reloadReport), reportWatcher.onDidChange(reloadReport));

  const launchFileWatcher = vscode.workspace.createFileSystemWatcher('**/launch.{yaml,yml}');
  context.subscriptions.push(
    launchFileWatcher,
    launchFileWatcher.onDidCreate(() => void updateLaunchFileContext()),
    launchFileWatcher.onDidDelete(() => void updateLaunchFileContext()),
  );
  void updateLaunchFileContext();

  log.info(`activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted: local checks only'})`);
  restoreLastScan(context, store, linter);
  audits.loadSaved();
  context.subscriptions.push(store.onDidChange(() => void context.workspaceState.update(SCAN_STATE_KEY, store.scanState())));
  linter.relintAll();
  return { readiness, audits, launch };
}

async function runScoped(audits: AuditService, given: vscode.WorkspaceFolder | undefined, scope: AuditScope, title: string): Promise<AuditOutcome> {
  const folder = await pickAuditFolder(given);
  if (!folder) {
    void vscode.window.showInformationMessage('Launch Ready: open a folder first; the audit reads its launch.yaml.');
    return { status: 'no-folder' };
  }
  return audits.run(folder, scope, title);
}

async function docCommand(given: vscode.WorkspaceFolder | undefined, kind: DocKind, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const folder = await pickAuditFolder(given);
  if (!folder) {
    void vscode.window.showInformationMessage('Launch Ready: open a folder first.');
    return undefined;
  }
  return generateDoc(folder, kind, log);
}

const SCAN_STATE_KEY = 'launchReady.lastScan';

/**
 * The last workspace scan survives a reload: its folders count as scanned and the files that had
 * findings are read again now (a handful of reads, not a walk), so Problems and the tree show the
 * current state of exactly those files without a new scan.
 */
function restoreLastScan(context: vscode.ExtensionContext, store: SecretStore, linter: SecretLinter): void {
  const saved = context.workspaceState.get<PersistedScan[]>(SCAN_STATE_KEY, []);
  for (const scan of Array.isArray(saved) ? saved : []) {
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === scan.folder);
    const date = new Date(scan.scannedAt);
    if (!folder || Number.isNaN(date.getTime())) continue;
    store.restoreScan(folder, date);
    for (const file of scan.files) void linter.recheckFile(vscode.Uri.parse(file));
  }
}

export function deactivate(): void {}
