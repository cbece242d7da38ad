import * as vscode from 'vscode';
import { declarationFor, hostDeclarations, isStageLevelFinding, stageStatusOf, type HostDeclaration, type ItemReadiness, type ItemStatus, type ReportFinding } from '../engine/audit';
import type { Attestation } from '../engine/launch';
import { severityRank, STAGES, type Finding, type Severity, type Stage } from '../engine/model';
import { readinessItem, readinessItemsFor, STAGE_TITLES, type CheckMode, type ReadinessItem } from '../engine/readiness/catalog';
import { checksForItem, type AuditService } from './audit';
import type { LaunchFiles, LaunchState } from './launch-diagnostics';
import { rangeOf, type SecretStore } from './secret-store';

// The Launch Readiness tree: a summary, then the nine stages in roadmap order with their catalogue
// items. Nothing is ever shown as passing without a result. Results come from the last audit of
// each folder (loaded from disk at startup, so no network), the secrets found while editing, and
// attestations as launch.yaml says right now. Node objects are cached by id so a refresh can name
// the nodes it touches.

export type ItemState = 'not-checked' | 'pass' | 'warn' | 'fail' | 'attested' | 'not-applicable';

export type ReadinessNode =
  | { kind: 'summary'; id: string }
  | { kind: 'stage'; id: string; stage: Stage }
  | { kind: 'item'; id: string; item: ReadinessItem }
  | { kind: 'finding'; id: string; uri: vscode.Uri; finding: Finding }
  /** Under its item, or (no itemId) under its stage when it bears on no item (launch.yaml problems, a check that failed). */
  | { kind: 'audit-finding'; id: string; itemId?: string; stage: Stage; folder: vscode.WorkspaceFolder; finding: ReportFinding };

const MODE_WORDS: Record<CheckMode, string> = { R: 'repository files', L: 'live DNS/HTTPS checks', H: 'a person’s attestation' };
const MAX_FINDING_NODES = 200;
/** S1 is about secret values; env-file problems are not secrets in the repo. */
const SECRET_RULES = 'secret/';

interface ItemResult {
  state: ItemState;
  reason: string;
  /** Findings of the last audit on this item, most urgent first. */
  findings: { folder: vscode.WorkspaceFolder; finding: ReportFinding }[];
  attestation?: { folder: vscode.WorkspaceFolder; attestation: Attestation };
}

/** Worst first: what a multi-root item shows when its folders disagree. */
const STATE_ORDER: readonly ItemState[] = ['fail', 'warn', 'pass', 'attested', 'not-applicable', 'not-checked'];
const worse = (a: ItemState, b: ItemState): ItemState => (STATE_ORDER.indexOf(a) <= STATE_ORDER.indexOf(b) ? a : b);

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
    case 'attested':
      return new vscode.ThemeIcon('verified', new vscode.ThemeColor('testing.iconPassed'));
    case 'not-applicable':
      return new vscode.ThemeIcon('circle-slash');
    default:
      return new vscode.ThemeIcon('circle-outline');
  }
}

function severityIcon(severity: Severity): vscode.ThemeIcon {
  if (severity === 'blocker' || severity === 'high') return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  if (severity === 'medium') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  return new vscode.ThemeIcon('info');
}

const STATUS_STATE: Record<ItemStatus, ItemState> = {
  pass: 'pass',
  warn: 'warn',
  fail: 'fail',
  'not-checked': 'not-checked',
  attested: 'attested',
  'not-applicable': 'not-applicable',
};

function timeText(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export class ReadinessTree implements vscode.TreeDataProvider<ReadinessNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReadinessNode | ReadinessNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, ReadinessNode>();
  private readonly summary: ReadinessNode = this.node({ kind: 'summary', id: 'summary' });
  private readonly subscriptions: vscode.Disposable[];
  /** Hosts each parse of launch.yaml names; a new parse is a new state object. */
  private readonly declarations = new WeakMap<LaunchState, HostDeclaration[]>();

  constructor(
    private readonly store: SecretStore,
    private readonly audits: AuditService,
    private readonly launch: LaunchFiles,
  ) {
    this.subscriptions = [
      // Only the nodes whose content depends on secret results are refreshed.
      store.onDidChange(() => {
        this.changed.fire([this.summary, this.stageNode('secrets'), this.itemNode('S1')].filter((n): n is ReadinessNode => n !== undefined));
      }),
      // A new report or a changed launch.yaml (attestations, staleness) can touch any item.
      audits.onDidChange(() => this.refresh()),
      launch.onDidChange(() => this.refresh()),
    ];
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

  /** The item as the tree shows it, by id (for tests and the attest command). */
  itemById(id: string): ReadinessNode | undefined {
    return this.itemNode(id);
  }

  /** Secrets seen while editing or by the workspace scan are newer than any audit's. */
  private liveSecrets(): boolean {
    return this.store.lastScan() !== undefined || this.store.sorted(SECRET_RULES).length > 0;
  }

  /** Blocker/high/medium/low known now: live secrets plus the other findings of the last audits. */
  counts(): Record<Severity, number> {
    const counts = { ...this.store.counts() };
    const live = this.liveSecrets();
    for (const { report } of this.audits.all()) {
      for (const finding of report.findings) {
        if (finding.accepted || (live && finding.stage === 'secrets')) continue;
        counts[finding.severity] += 1;
      }
    }
    return counts;
  }

  /** What is known about one catalogue item. */
  resultOf(item: ReadinessItem): ItemResult {
    if (item.id === 'S1' && this.liveSecrets()) {
      const counts = this.store.counts(SECRET_RULES);
      const total = counts.blocker + counts.high + counts.medium + counts.low;
      if (total > 0) return { state: counts.blocker + counts.high > 0 ? 'fail' : 'warn', reason: countsText(counts), findings: [] };
      const scanned = this.store.lastScan();
      if (scanned) return { state: 'pass', reason: `no secrets in the working tree (scanned ${scanned.toLocaleTimeString()}); history not checked yet`, findings: [] };
    }
    let state: ItemState | undefined;
    let readiness: ItemReadiness | undefined;
    let stale = false;
    const findings: ItemResult['findings'] = [];
    for (const { folder, report } of this.audits.all()) {
      const entry = report.stages[item.stage]?.items.find((candidate) => candidate.id === item.id);
      if (!entry) continue;
      const entryState = STATUS_STATE[entry.status] ?? 'not-checked';
      if (!state || worse(entryState, state) === entryState) readiness = entry;
      state = state ? worse(state, entryState) : entryState;
      stale ||= this.audits.isStale(folder) && entry.checkedBy.length > 0;
      for (const finding of report.findings) if (finding.items?.includes(item.id) && !finding.accepted) findings.push({ folder, finding });
    }
    findings.sort((a, b) => severityRank(a.finding.severity) - severityRank(b.finding.severity));
    const attestation = this.attestationOf(item.id);
    // launch.yaml as it is now decides attestations; the report may predate a tick from the tree.
    if ((state === undefined || state === 'not-checked' || state === 'attested') && attestation) {
      const what = attestation.attestation.notApplicable ? `not applicable: ${attestation.attestation.notApplicable}` : `attested by ${attestation.attestation.by} on ${attestation.attestation.date}`;
      return { state: attestation.attestation.notApplicable ? 'not-applicable' : 'attested', reason: what, findings, attestation };
    }
    if (state === 'attested') state = 'not-checked';
    if (!state || state === 'not-checked') return { state: 'not-checked', reason: item.modes.includes('H') && item.modes.length === 1 ? 'not attested' : 'not checked', findings, attestation };
    const staleText = stale ? ' (launch.yaml changed since; re-run)' : '';
    if (state === 'fail' || state === 'warn') {
      const first = findings[0]?.finding;
      const more = findings.length > 1 ? ` (+${findings.length - 1} more)` : '';
      return { state, reason: `${first ? `${first.severity}: ${first.message}` : 'see findings'}${more}${staleText}`, findings, attestation };
    }
    const by = readiness?.checkedBy.join(', ');
    return { state, reason: `${by ? `checked by ${by}` : 'passing'}${readiness?.unverified ? ', some lookups unverified' : ''}${staleText}`, findings, attestation };
  }

  private attestationOf(itemId: string): ItemResult['attestation'] {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const attestation = this.launch.stateOf(folder)?.result.config?.attestations.find((entry) => entry.item === itemId);
      if (attestation) return { folder, attestation };
    }
    return undefined;
  }

  private stageState(stage: Stage): { state: ItemState; description: string } {
    const results = readinessItemsFor(stage).map((item) => this.resultOf(item));
    const count = (...states: ItemState[]) => results.filter((r) => states.includes(r.state)).length;
    const done = count('pass', 'attested', 'not-applicable');
    const parts = [
      count('fail') && `${count('fail')} failing`,
      count('warn') && `${count('warn')} to review`,
      done && `${done} passing`,
      count('not-checked') && `${count('not-checked')} not checked`,
    ].filter(Boolean);
    const others = this.stageLevelFindings(stage);
    if (others.length > 0) parts.push(plural(others.length, 'other finding'));
    // The audit report decides its stages with the same function, so the CLI and the tree agree.
    const state: ItemState = stageStatusOf(
      results.map((result) => result.state),
      others.map(({ finding }) => finding.severity),
    );
    return { state, description: parts.join(', ') };
  }

  /**
   * Open findings filed under the stage that bear on no readiness item (launch.yaml problems, a
   * check that could not run): the stage counts them, so the tree lists them under it.
   */
  private stageLevelFindings(stage: Stage): { folder: vscode.WorkspaceFolder; finding: ReportFinding }[] {
    const found: { folder: vscode.WorkspaceFolder; finding: ReportFinding }[] = [];
    const live = this.liveSecrets();
    for (const { folder, report } of this.audits.all()) {
      for (const finding of report.findings) {
        if (finding.stage !== stage || finding.accepted || !isStageLevelFinding(finding) || (live && stage === 'secrets')) continue;
        found.push({ folder, finding });
      }
    }
    return found.sort((a, b) => severityRank(a.finding.severity) - severityRank(b.finding.severity));
  }

  /**
   * The launch.yaml line that names a host finding's host, as launch.yaml reads now (lines move
   * after the audit); the audit's own record of it when the file does not parse at the moment.
   */
  private declaredLine(folder: vscode.WorkspaceFolder, finding: ReportFinding): { uri: vscode.Uri; range: vscode.Range } | undefined {
    if (finding.location.kind !== 'host') return undefined;
    const state = this.launch.stateOf(folder);
    if (!state) return undefined;
    let range = finding.location.declaredAt?.path === state.name ? finding.location.declaredAt.range : undefined;
    if (state.result.config) {
      let declarations = this.declarations.get(state);
      if (!declarations) {
        declarations = hostDeclarations(state.text, state.result.positionOf);
        this.declarations.set(state, declarations);
      }
      range = declarationFor(finding, declarations)?.range;
    }
    return range && { uri: state.uri, range: new vscode.Range(range.startLine - 1, range.startColumn - 1, range.endLine - 1, range.endColumn - 1) };
  }

  private summaryItem(): vscode.TreeItem {
    const counts = this.counts();
    const item = new vscode.TreeItem(countsText(counts), vscode.TreeItemCollapsibleState.None);
    const audits = this.audits.all();
    const latest = audits.map(({ report }) => report.generatedAt).sort().pop();
    const stale = audits.some(({ folder }) => this.audits.isStale(folder));
    const scanned = this.store.lastScan();
    item.description = latest
      ? `last audit ${timeText(latest)}${stale ? ' · launch.yaml changed since' : ''}`
      : scanned ? `secrets scanned ${scanned.toLocaleTimeString()} · no audit yet` : 'no audit yet';
    item.iconPath = counts.blocker + counts.high > 0
      ? new vscode.ThemeIcon('shield', new vscode.ThemeColor('list.errorForeground'))
      : new vscode.ThemeIcon('shield');
    const from = audits.map(({ folder, report }) => `${folder.name}: audited ${timeText(report.generatedAt)} from ${report.checkedFrom}${report.offline ? ' (offline)' : ''}`);
    item.tooltip = new vscode.MarkdownString(
      [`**${countsText(counts)}** · ${counts.low} low`, ...from, 'Secrets found while editing are live; the rest is from the last audit.'].join('\n\n'),
    );
    item.command = latest ? undefined : { title: 'Run Audit', command: 'launchReady.runAudit' };
    item.contextValue = 'launchReady:summary';
    item.id = this.summary.id;
    return item;
  }

  getTreeItem(node: ReadinessNode): vscode.TreeItem {
    switch (node.kind) {
      case 'summary':
        return this.summaryItem();
      case 'stage': {
        const { state, description } = this.stageState(node.stage);
        const item = new vscode.TreeItem(STAGE_TITLES[node.stage], state === 'fail' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = description;
        item.iconPath = stateIcon(state);
        const rerun = readinessItemsFor(node.stage).some((entry) => checksForItem(entry.id).length > 0);
        item.contextValue = `launchReady:stage+${state}${rerun ? '+rerun' : ''}`;
        item.id = node.id;
        return item;
      }
      case 'item': {
        const result = this.resultOf(node.item);
        const hasChildren = node.item.id === 'S1' && this.liveSecrets() ? this.store.sorted(SECRET_RULES).length > 0 : result.findings.length > 0;
        const item = new vscode.TreeItem(node.item.title, hasChildren ? (result.state === 'fail' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
        item.description = `${node.item.id} · ${result.reason}`;
        item.iconPath = stateIcon(result.state);
        item.tooltip = new vscode.MarkdownString(
          `**${node.item.id}: ${node.item.title}**\n\nAnswered from ${node.item.modes.map((m) => MODE_WORDS[m]).join(' and ')}.\n\n${result.reason}`,
        );
        if (result.attestation) {
          const position = this.launch.stateOf(result.attestation.folder);
          const range = position?.result.positionOf(['attestations', node.item.id], 'key');
          if (position && range) {
            item.command = { title: 'Open', command: 'vscode.open', arguments: [position.uri, { selection: new vscode.Range(range.startLine - 1, range.startColumn - 1, range.endLine - 1, range.endColumn - 1), preview: true }] };
          }
        }
        // Regex `when` clauses match these flags (GitLens-style): `+scan` runs the secret scan,
        // `+rerun` re-runs the check behind the item, `+attest` lets a person tick it.
        const flags = [
          node.item.id === 'S1' ? '+scan' : '',
          // S1 has the workspace scan (`+scan`) instead: the same check, with results in Problems.
          node.item.id !== 'S1' && checksForItem(node.item.id).length > 0 ? '+rerun' : '',
          node.item.modes.includes('H') && result.state !== 'attested' ? '+attest' : '',
        ].join('');
        item.contextValue = `launchReady:check+${result.state}${flags}`;
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
      case 'audit-finding':
        return this.auditFindingItem(node);
    }
  }

  private auditFindingItem(node: Extract<ReadinessNode, { kind: 'audit-finding' }>): vscode.TreeItem {
    const { finding, folder } = node;
    const location = finding.location;
    const multiRoot = (vscode.workspace.workspaceFolders ?? []).length > 1;
    const where = location.kind === 'host' ? `${location.host}${location.subject ? ` ${location.subject}` : ''}` : `${location.path}:${location.range.startLine}`;
    const item = new vscode.TreeItem(`${multiRoot ? `${folder.name}: ` : ''}${where}`, vscode.TreeItemCollapsibleState.None);
    item.description = finding.message;
    item.iconPath = severityIcon(finding.severity);
    item.tooltip = new vscode.MarkdownString(`**${finding.ruleId}** (${finding.severity})\n\n${finding.message}${finding.evidence ? ` (${finding.evidence})` : ''}\n\n**How to fix:** ${finding.remediation}`);
    const uri = location.kind === 'file' && location.path !== '.' ? vscode.Uri.joinPath(folder.uri, location.path) : undefined;
    // A host finding opens the launch.yaml line that made the audit look at the host; "Show How
    // to Fix" stays in its context menu and the remediation in its tooltip.
    const declared = location.kind === 'host' ? this.declaredLine(folder, finding) : undefined;
    item.command = uri
      ? { title: 'Open', command: 'vscode.open', arguments: [uri, { selection: rangeOf(finding), preview: true }] }
      : declared
        ? { title: 'Open in launch.yaml', command: 'vscode.open', arguments: [declared.uri, { selection: declared.range, preview: true }] }
        : { title: 'Show How to Fix', command: 'launchReady.showRemediation', arguments: [node] };
    if (uri) item.resourceUri = uri;
    item.contextValue = 'launchReady:finding';
    item.id = node.id;
    return item;
  }

  getChildren(node?: ReadinessNode): ReadinessNode[] {
    if (!node) return [this.summary, ...STAGES.map((stage) => this.stageNode(stage))];
    if (node.kind === 'stage') {
      const items = readinessItemsFor(node.stage).map((item) => this.itemNode(item.id)).filter((n): n is ReadinessNode => n !== undefined);
      const others: ReadinessNode[] = this.stageLevelFindings(node.stage).slice(0, MAX_FINDING_NODES).map(({ folder, finding }, index) => ({
        kind: 'audit-finding',
        id: `audit:stage:${node.stage}:${folder.uri.toString()}:${finding.fingerprint}:${index}`,
        stage: node.stage,
        folder,
        finding,
      }));
      return [...items, ...others];
    }
    if (node.kind === 'item' && node.item.id === 'S1' && this.liveSecrets()) {
      return this.store.sorted(SECRET_RULES).slice(0, MAX_FINDING_NODES).map(({ uri, finding }) => {
        const id = `finding:${uri.toString()}:${finding.fingerprint}:${rangeOf(finding).start.line}`;
        // Findings change with every scan: a fresh node each time, under a stable id.
        return { kind: 'finding', id, uri, finding };
      });
    }
    if (node.kind === 'item') {
      return this.resultOf(node.item).findings.slice(0, MAX_FINDING_NODES).map(({ folder, finding }, index) => {
        const at = finding.location.kind === 'file' ? `${finding.location.path}:${finding.location.range.startLine}` : finding.location.host;
        return { kind: 'audit-finding', id: `audit:${node.item.id}:${folder.uri.toString()}:${finding.fingerprint}:${at}:${index}`, itemId: node.item.id, stage: node.item.stage, folder, finding };
      });
    }
    return [];
  }

  getParent(node: ReadinessNode): ReadinessNode | undefined {
    if (node.kind === 'item') return this.stageNode(node.item.stage);
    if (node.kind === 'finding') return this.itemNode('S1');
    if (node.kind === 'audit-finding') return node.itemId ? this.itemNode(node.itemId) : this.stageNode(node.stage);
    return undefined;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
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
