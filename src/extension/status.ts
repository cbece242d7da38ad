import * as vscode from 'vscode';
import type { Severity } from '../engine/model';

// Blocker and high counts in the status bar (live secrets plus the last audit); a click opens the
// Launch Readiness view.

export function createStatusItem(counts: () => Record<Severity, number>, onDidChange: readonly vscode.Event<unknown>[]): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('launchReady.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Launch Ready';
  item.command = 'workbench.view.extension.launchReady';
  const update = () => {
    const c = counts();
    const urgent = c.blocker + c.high;
    item.text = urgent > 0 ? `$(shield) ${c.blocker} blocker${c.blocker === 1 ? '' : 's'} · ${c.high} high` : '$(shield) Launch Ready';
    item.tooltip = urgent > 0
      ? `Launch Ready: ${c.blocker} blocker, ${c.high} high, ${c.medium} medium finding(s). Click for the readiness checklist.`
      : 'Launch Ready: no blocker or high findings known. Click for the readiness checklist.';
    item.backgroundColor = c.blocker > 0 ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  update();
  return vscode.Disposable.from(item, ...onDidChange.map((event) => event(update)));
}
