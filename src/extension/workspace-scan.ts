import * as vscode from 'vscode';
import { applyBaseline } from '../engine/baseline';
import { scanWorkspaceSecrets } from '../engine/secrets/workspace-scan';
import type { FileFindings, SecretStore } from './secret-store';
import type { SecretLinter } from './secret-linter';
import type { ScanSettings } from './settings';

// `Launch Ready: Scan Workspace for Secrets`: every workspace folder in turn, with a cancellable
// progress notification. Open documents keep their live (as-typed) results; a cancelled folder
// keeps its previous results rather than half of new ones.

export interface WorkspaceScanSummary {
  folders: number;
  filesScanned: number;
  findings: number;
  skipped: number;
  cancelled: boolean;
}

export async function scanWorkspace(store: SecretStore, settings: ScanSettings, linter: SecretLinter, log: vscode.LogOutputChannel): Promise<WorkspaceScanSummary | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Launch Ready: open a folder to scan it for secrets.');
    return undefined;
  }
  const summary: WorkspaceScanSummary = { folders: 0, filesScanned: 0, findings: 0, skipped: 0, cancelled: false };
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Launch Ready: scanning for secrets', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      try {
        for (const folder of folders) {
          const folderSettings = settings.for(folder);
          if (!folderSettings.enabled) {
            log.info(`${folder.name}: skipped, launchReady.secrets.enable is off`);
            continue;
          }
          let reported = 0;
          const started = Date.now();
          const result = await scanWorkspaceSecrets({
            root: folder.uri.fsPath,
            config: folderSettings.config,
            signal: abort.signal,
            onProgress: (done, total) => {
              const percent = Math.floor((done / total) * 100 / folders.length);
              if (percent > reported) {
                progress.report({ increment: percent - reported, message: `${folder.name}: ${done} of ${total} files` });
                reported = percent;
              }
            },
          });
          if (result.cancelled) {
            summary.cancelled = true;
            log.info(`${folder.name}: scan cancelled; previous results kept`);
            break;
          }
          const findings = folderSettings.baseline ? applyBaseline(result.findings, folderSettings.baseline).findings : result.findings;
          const byFile = new Map<string, FileFindings>();
          for (const finding of findings) {
            if (finding.location.kind !== 'file') continue;
            const uri = vscode.Uri.joinPath(folder.uri, finding.location.path);
            const entry = byFile.get(uri.toString()) ?? { uri, findings: [] };
            byFile.set(uri.toString(), { uri, findings: [...entry.findings, finding] });
          }
          const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === uri.toString());
          store.replaceFolder(folder, [...byFile.values()], isOpen);
          summary.folders++;
          summary.filesScanned += result.filesScanned;
          summary.findings += findings.length;
          summary.skipped += result.skipped.length;
          log.info(`${folder.name}: ${result.filesScanned} files scanned in ${Date.now() - started} ms, ${findings.length} finding(s) in ${byFile.size} file(s) (${result.findings.length - findings.length} baselined), ${result.skipped.length} skipped`);
          for (const note of result.skipped) log.debug(`${folder.name}: skipped ${note.path}: ${note.reason}`);
        }
      } finally {
        cancelled.dispose();
      }
    },
  );
  linter.relintAll();
  const headline = summary.cancelled
    ? 'Launch Ready: scan cancelled.'
    : summary.findings === 0
      ? `Launch Ready: no secrets found in ${summary.filesScanned} files.`
      : `Launch Ready: ${summary.findings} possible secret(s) found in ${summary.filesScanned} files; see Problems.`;
  void vscode.window.showInformationMessage(headline);
  return summary;
}

/** Keeps results current as files change on disk (saves, renames, deletes, git checkouts). */
export function watchFiles(store: SecretStore, settings: ScanSettings, linter: SecretLinter): vscode.Disposable {
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  /** Files that change what is checked or reported: re-read settings and re-lint. */
  const settingsChanged = (uri: vscode.Uri): boolean => {
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (name === '.gitignore' || name === '.launch-ready.json' || uri.path.endsWith('/.git/info/exclude') || (folder && uri.fsPath === settings.for(folder).baselineFile)) {
      settings.invalidate();
      return true;
    }
    return false;
  };
  const changed = (uri: vscode.Uri) => {
    if (settingsChanged(uri)) return;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (folder && (store.wasScanned(folder) || store.has(uri))) void linter.recheckFile(uri);
  };
  const deleted = (uri: vscode.Uri) => {
    if (!settingsChanged(uri)) store.deleteUnder(uri);
  };
  return vscode.Disposable.from(
    watcher,
    watcher.onDidCreate(changed),
    watcher.onDidChange(changed),
    watcher.onDidDelete(deleted),
  );
}
