import * as vscode from 'vscode';
import type { SecretStore } from './secret-store';

// Blocker and high counts in the status bar; a click opens the Launch Readiness view.

export function createStatusItem(store: SecretStore): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('launchReady.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Launch Ready';
  item.command = 'workbench.view.extension.launchReady';
  const update = () => {
    const counts = store.counts();
    const urgent = counts.blocker + counts.high;
    item.text = urgent > 0 ? `$(shield) ${counts.blocker} blocker${counts.blocker === 1 ? '' : 's'} · ${counts.high} high` : '$(shield) Launch Ready';
    item.tooltip = urgent > 0
      ? `Launch Ready: ${counts.blocker} blocker, ${counts.high} high, ${counts.medium} medium finding(s). Click for the readiness checklist.`
      : 'Launch Ready: no blocker or high findings known. Click for the readiness checklist.';
    item.backgroundColor = counts.blocker > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  update();
  return vscode.Disposable.from(item, store.onDidChange(update));
}
