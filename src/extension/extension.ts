import * as vscode from 'vscode';
import { ADD_TO_BASELINE_COMMAND, addToBaseline, moveSecretToEnv, MOVE_TO_ENV_COMMAND, SecretCodeActions } from './code-actions';
import { createLaunchYaml, updateLaunchFileContext } from './launch-file';
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
}

export function activate(context: vscode.ExtensionContext): LaunchReadyApi {
  const log = vscode.window.createOutputChannel('Launch Ready', { log: true });
  const settings = new ScanSettings(log);
  const store = new SecretStore();
  const linter = new SecretLinter(store, settings, log);
  const readiness = new ReadinessTree(store);
  const view = vscode.window.createTreeView('launchReady.readiness', { treeDataProvider: readiness, showCollapseAll: true });
  const updateBadge = () => {
    const counts = store.counts();
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
    store.onDidChange(updateBadge),
    vscode.window.registerTreeDataProvider('launchReady.start', new GetStartedView()),
    createStatusItem(store),
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
    vscode.commands.registerCommand('launchReady.copyRemediation', async (node?: ReadinessNode) => {
      if (node?.kind !== 'finding') return undefined;
      await vscode.env.clipboard.writeText(node.finding.remediation);
      return node.finding.remediation;
    }),
    vscode.commands.registerCommand('launchReady.openRuleDocs', () =>
      vscode.env.openExternal(vscode.Uri.parse(RULES_DOCS))),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void updateLaunchFileContext()),
  );

  const launchFileWatcher = vscode.workspace.createFileSystemWatcher('**/launch.{yaml,yml}');
  context.subscriptions.push(
    launchFileWatcher,
    launchFileWatcher.onDidCreate(() => void updateLaunchFileContext()),
    launchFileWatcher.onDidDelete(() => void updateLaunchFileContext()),
  );
  void updateLaunchFileContext();

  log.info(`activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted: local checks only'})`);
  restoreLastScan(context, store, linter);
  context.subscriptions.push(store.onDidChange(() => void context.workspaceState.update(SCAN_STATE_KEY, store.scanState())));
  linter.relintAll();
  return { readiness };
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
