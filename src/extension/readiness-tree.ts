import * as vscode from 'vscode';
import { STAGES, type Finding, type Severity, type Stage } from '../engine/model';
import { readinessItem, readinessItemsFor, STAGE_TITLES, type CheckMode, type ReadinessItem } from '../engine/readiness/catalog';
import { rangeOf, type SecretStore } from './secret-store';

// The Launch Readiness tree: a summary, then the nine stages in roadmap order with their catalogue
// items. Nothing is ever shown as passing without a result; only the secrets stage has results so
// far (from the store). Node objects are cached by id so a refresh can name the nodes it touches.

export type ItemState = 'not-checked' | 'pass' | 'warn' | 'fail';

export type ReadinessNode =
  | { kind: 'summary'; id: string }
  | { kind: 'stage'; id: string; stage: Stage }
  | { kind: 'item'; id: string; item: ReadinessItem }
  | { kind: 'finding'; id: string; uri: vscode.Uri; finding: Finding };

const MODE_WORDS: Record<CheckMode, string> = { R: 'repository files', L: 'live DNS/HTTPS checks', H: 'a person’s attestation' };
const MAX_FINDING_NODES = 200;
/** S1 is about secret values; env-file problems are not secrets in the repo. */
const SECRET_RULES = 'secret/';

interface ItemResult {
  state: ItemState;
  reason: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function countsText(counts: Record<Severity, number>): string {
  return `${plural(counts.blocker, 'blocker')} · ${counts.high} high · ${counts.medium} medium`;
}

function stateIcon(state: ItemState): vscode.ThemeIcon {
  switch (state) {
    case 'pass':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'fail':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'warn':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    default:
      return new vscode.ThemeIcon('circle-outline');
  }
}

function severityIcon(severity: Severity): vscode.ThemeIcon {
  if (severity === 'blocker' || severity === 'high') return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  if (severity === 'medium') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  return new vscode.ThemeIcon('info');
}

export class ReadinessTree implements vscode.TreeDataProvider<ReadinessNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReadinessNode | ReadinessNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, ReadinessNode>();
  private readonly summary: ReadinessNode = this.node({ kind: 'summary', id: 'summary' });
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: SecretStore) {
    // Only the nodes whose content depends on secret results are refreshed.
    this.subscription = store.onDidChange(() => {
      this.changed.fire([this.summary, this.stageNode('secrets'), this.itemNode('S1')].filter((n): n is ReadinessNode => n !== undefined));
    });
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  private node<T extends ReadinessNode>(node: T): T {
    const existing = this.nodes.get(node.id);
    if (existing) return existing as T;
    this.nodes.set(node.id, node);
    return node;
  }

  private stageNode(stage: Stage): ReadinessNode {
    return this.node({ kind: 'stage', id: `stage:${stage}`, stage });
  }

  private itemNode(id: string): ReadinessNode | undefined {
    const item = readinessItem(id);
    return item && this.node({ kind: 'item', id: `item:${id}`, item });
  }

  /** What is known about one catalogue item. */
  resultOf(item: ReadinessItem): ItemResult {
    if (item.id === 'S1') {
      const counts = this.store.counts(SECRET_RULES);
      const total = counts.blocker + counts.high + counts.medium + counts.low;
      if (total > 0) return { state: counts.blocker + counts.high > 0 ? 'fail' : 'warn', reason: countsText(counts) };
      const scanned = this.store.lastScan();
      if (scanned) return { state: 'pass', reason: `no secrets in the working tree (scanned ${scanned.toLocaleTimeString()}); history not checked yet` };
    }
    return { state: 'not-checked', reason: 'not checked' };
  }

  private stageState(stage: Stage): { state: ItemState; description: string } {
    const results = readinessItemsFor(stage).map((item) => this.resultOf(item));
    const count = (state: ItemState) => results.filter((r) => r.state === state).length;
    const parts = [
      count('fail') && `${count('fail')} failing`,
      count('warn') && `${count('warn')} to review`,
      count('pass') && `${count('pass')} passing`,
      count('not-checked') && `${count('not-checked')} not checked`,
    ].filter(Boolean);
    const state: ItemState = count('fail') ? 'fail' : count('warn') ? 'warn' : count('pass') === results.length ? 'pass' : 'not-checked';
    return { state, description: parts.join(', ') };
  }

  getTreeItem(node: ReadinessNode): vscode.TreeItem {
    switch (node.kind) {
      case 'summary': {
        const counts = this.store.counts();
        const item = new vscode.TreeItem(countsText(counts), vscode.TreeItemCollapsibleState.None);
        const scanned = this.store.lastScan();
        item.description = scanned ? `secrets scanned ${scanned.toLocaleTimeString()}` : 'no workspace scan yet';
        item.iconPath = counts.blocker + counts.high > 0
          ? new vscode.ThemeIcon('shield', new vscode.ThemeColor('list.errorForeground'))
          : new vscode.ThemeIcon('shield');
        item.tooltip = 'Findings known now: from open editors and the last workspace scan. Live checks have not run.';
        item.contextValue = 'launchReady:summary';
        item.id = node.id;
        return item;
      }
      case 'stage': {
        const { state, description } = this.stageState(node.stage);
        const item = new vscode.TreeItem(STAGE_TITLES[node.stage], state === 'fail' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = description;
        item.iconPath = stateIcon(state);
        item.contextValue = `launchReady:stage+${state}`;
        item.id = node.id;
        return item;
      }
      case 'item': {
        const result = this.resultOf(node.item);
        const hasFindings = node.item.id === 'S1' && this.store.sorted(SECRET_RULES).length > 0;
        const item = new vscode.TreeItem(node.item.title, hasFindings ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.description = `${node.item.id} · ${result.reason}`;
        item.iconPath = stateIcon(result.state);
        item.tooltip = new vscode.MarkdownString(
          `**${node.item.id}: ${node.item.title}**\n\nAnswered from ${node.item.modes.map((m) => MODE_WORDS[m]).join(' and ')}.\n\n${result.reason}`,
        );
        // `+scan`: the item has a check that can run from here (GitLens-style regex `when` clauses).
        item.contextValue = `launchReady:check+${result.state}${node.item.id === 'S1' ? '+scan' : ''}`;
        item.id = node.id;
        return item;
      }
      case 'finding': {
        const range = rangeOf(node.finding);
        const folders = vscode.workspace.workspaceFolders ?? [];
        const label = `${vscode.workspace.asRelativePath(node.uri, folders.length > 1)}:${range.start.line + 1}`;
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
        item.description = node.finding.message;
        item.iconPath = severityIcon(node.finding.severity);
        item.tooltip = `${node.finding.ruleId} (${node.finding.severity}): ${node.finding.message}${node.finding.evidence ? ` (${node.finding.evidence})` : ''}\n${node.finding.remediation}`;
        item.command = { title: 'Open', command: 'vscode.open', arguments: [node.uri, { selection: range, preview: true }] };
        item.resourceUri = node.uri;
        item.contextValue = 'launchReady:finding';
        item.id = node.id;
        return item;
      }
    }
  }

  getChildren(node?: ReadinessNode): ReadinessNode[] {
    if (!node) return [this.summary, ...STAGES.map((stage) => this.stageNode(stage))];
    if (node.kind === 'stage') {
      return readinessItemsFor(node.stage).map((item) => this.itemNode(item.id)).filter((n): n is ReadinessNode => n !== undefined);
    }
    if (node.kind === 'item' && node.item.id === 'S1') {
      return this.store.sorted(SECRET_RULES).slice(0, MAX_FINDING_NODES).map(({ uri, finding }) => {
        const id = `finding:${uri.toString()}:${finding.fingerprint}:${rangeOf(finding).start.line}`;
        // Findings change with every scan: a fresh node each time, under a stable id.
        return { kind: 'finding', id, uri, finding };
      });
    }
    return [];
  }

  getParent(node: ReadinessNode): ReadinessNode | undefined {
    if (node.kind === 'item') return this.stageNode(node.item.stage);
    if (node.kind === 'finding') return this.itemNode('S1');
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The empty view whose welcome content offers the first steps. */
export class GetStartedView implements vscode.TreeDataProvider<never> {
  getTreeItem(): vscode.TreeItem {
    throw new Error('the Get Started view has no items');
  }
  getChildren(): never[] {
    return [];
  }
}
