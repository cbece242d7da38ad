import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { buildReport, loadReport, ReportFormatError, runAudit, saveReport, type CheckId, type Report, type ReportFinding } from '../engine/audit';
import type { Finding } from '../engine/model';
import { parseResolverSpec, type ResolverConfig } from '../engine/net/dns-resolver';
import { proxyFromEnvironment, type ProxySettings } from '../engine/net/http-client';
import { parseConnectTo, type ConnectTo } from '../engine/net/http-connect';
import { SECTION } from './settings';

// The audit from the editor: the engine's runAudit with the user's settings, one folder at a
// time, behind a progress notification that cancels through an AbortSignal. The last report of
// each folder is kept in memory and in `.launch-ready/last-audit.json`, so the tree is filled at
// startup from disk without any network. Nothing live runs in an untrusted workspace: launch.yaml
// names the hosts to contact, and a workspace we do not trust must not pick them.

export const NETWORK_CHECKS: readonly CheckId[] = ['dns', 'email', 'web'];
const ALL_CHECKS: readonly CheckId[] = ['secrets', 'env', 'dns', 'email', 'web'];
const TOOL = { name: 'launch-ready-vscode', version: '0.1.0' };

export type AuditScope = 'all' | readonly CheckId[];

export type AuditOutcome =
  | { status: 'done'; report: Report; file: string }
  | { status: 'untrusted' | 'cancelled' | 'no-folder' | 'busy' }
  | { status: 'error'; message: string };

/** The check whose result a finding is: the one that must be re-run to refresh it. */
export function checkOfFinding(finding: Finding): CheckId {
  if (finding.ruleId === 'audit/check-failed') {
    const named = /^The (\w+) check/.exec(finding.message)?.[1];
    return (ALL_CHECKS as readonly string[]).includes(named ?? '') ? (named as CheckId) : 'launch';
  }
  const prefix = finding.ruleId.slice(0, finding.ruleId.indexOf('/'));
  switch (prefix) {
    case 'secret':
      return 'secrets';
    case 'env':
    case 'dns':
    case 'email':
    case 'web':
      return prefix;
    default:
      return 'launch';
  }
}

/** The checks that answer a readiness item (to re-run "this check" from the tree). */
export function checksForItem(itemId: string): CheckId[] {
  if (itemId === 'S1') return ['secrets'];
  if (/^S[2-4]$/.test(itemId)) return ['env'];
  if (/^D[156]$/.test(itemId)) return ['dns'];
  if (itemId.startsWith('M')) return ['email'];
  if (/^(D[234]|E\d|A[78]|P\d|R6)$/.test(itemId)) return ['web'];
  return [];
}

/**
 * A partial run (only DNS, say) replaces what those checks said and keeps the rest of the
 * previous report, so re-running one stage does not wipe the others.
 */
export function mergeReports(previous: Report | undefined, partial: Report, rerun: readonly CheckId[]): Report {
  if (!previous) return partial;
  const ran = new Set<CheckId>(['launch', ...rerun]);
  const kept = previous.findings.filter((finding) => !ran.has(checkOfFinding(finding)));
  const fresh = partial.findings.filter((finding) => ran.has(checkOfFinding(finding)));
  const checks = [
    ...previous.checks.filter((check) => !ran.has(check.id)),
    ...partial.checks.filter((check) => ran.has(check.id)),
  ];
  const strip = ({ items: _items, accepted: _accepted, ...finding }: ReportFinding): Finding => finding;
  return buildReport({
    tool: partial.tool,
    generatedAt: new Date(partial.generatedAt),
    checkedFrom: partial.checkedFrom,
    root: partial.root,
    launchFile: partial.launchFile,
    app: partial.app,
    offline: partial.offline,
    findings: [...kept, ...fresh].map(strip),
    checks,
    attestations: partial.attested,
    acceptedRisks: partial.acceptedRisks,
    facts: rerun.includes('dns') ? partial.facts : previous.facts,
    latency: rerun.includes('web') ? partial.latency : previous.latency,
    skipped: partial.skipped,
    notes: partial.notes,
  });
}

export interface NetworkSettings {
  resolver: ResolverConfig;
  timeoutMs?: number;
  connectTo: ConnectTo[];
  extraCaPem?: string;
  skip: CheckId[];
  proxy?: ProxySettings;
  /** Said once in the log: the user's proxy and what the live checks do about it. */
  proxyNote?: string;
}

/**
 * VS Code's proxy, passed to the engine on purpose: its HTTP client is its own undici (redirects
 * hop by hop, addresses from our resolver), which VS Code's patching of Node's http/https does
 * not reach. `http.proxy`, else HTTPS_PROXY/HTTP_PROXY of the extension host; `http.noProxy` as
 * NO_PROXY; `http.proxySupport: off` means none. DNS lookups never go through a proxy.
 */
export function proxySettings(http: Pick<vscode.WorkspaceConfiguration, 'get'>, env: NodeJS.ProcessEnv): { proxy?: ProxySettings; note?: string } {
  if (http.get<string>('proxySupport') === 'off') return {};
  const url = (http.get<string>('proxy') ?? '').trim();
  const noProxyList = http.get<string[]>('noProxy') ?? [];
  const proxy: ProxySettings | undefined = url ? { url, ...(noProxyList.length > 0 ? { noProxy: noProxyList.join(',') } : {}) } : proxyFromEnvironment(env);
  if (!proxy) return {};
  const lax = http.get<boolean>('proxyStrictSSL') === false && /^https:/i.test(proxy.url);
  const where = url ? 'http.proxy' : 'the environment';
  return {
    proxy,
    note: `HTTPS checks go through the proxy from ${where}${lax ? '; http.proxyStrictSSL is off, but the proxy\'s own certificate is still verified' : ''}. DNS lookups do not use a proxy.`,
  };
}

/** `launchReady.*` settings for one folder as engine options; throws with a message fit for the user. */
export function networkSettings(folder: vscode.WorkspaceFolder): NetworkSettings {
  const config = vscode.workspace.getConfiguration(SECTION, folder.uri);
  const timeout = config.get<number>('network.timeoutMs', 0);
  const timeoutMs = typeof timeout === 'number' && timeout > 0 ? timeout : undefined;
  const spec = config.get<string | string[]>('dns.resolver', 'system');
  let resolver: ResolverConfig;
  try {
    resolver = parseResolverSpec(Array.isArray(spec) ? spec.join(',') : String(spec ?? 'system'), timeoutMs ? { timeoutMs } : {});
  } catch (error) {
    throw new Error(`launchReady.dns.resolver: ${(error as Error).message}`, { cause: error });
  }
  const connectTo = config.get<string[]>('https.connectTo', []).filter((entry) => typeof entry === 'string').map((entry) => {
    try {
      return parseConnectTo(entry);
    } catch (error) {
      throw new Error(`launchReady.https.connectTo "${entry}": ${(error as Error).message}`, { cause: error });
    }
  });
  const caFile = config.get<string>('https.caFile', '');
  let extraCaPem: string | undefined;
  if (caFile) {
    const path = isAbsolute(caFile) ? caFile : join(folder.uri.fsPath, caFile);
    try {
      extraCaPem = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`launchReady.https.caFile: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
  }
  const skip = ALL_CHECKS.filter((check) => config.get<boolean>(`checks.${check}`, true) === false);
  const { proxy, note: proxyNote } = proxySettings(vscode.workspace.getConfiguration('http', folder.uri), process.env);
  return { resolver, timeoutMs, connectTo, extraCaPem, skip, proxy, proxyNote };
}

export class AuditService implements vscode.Disposable {
  private readonly reports = new Map<string, Report>();
  /** Folders whose launch.yaml changed after their report was made. */
  private readonly stale = new Set<string>();
  /** Folder → the abort of its audit in progress. */
  private readonly running = new Map<string, AbortController>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private proxyNoted: string | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Reads the saved reports: a file read per folder, no network. */
  loadSaved(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.loadFolder(folder, false);
    this.changed.fire();
  }

  /**
   * Reads one folder's saved report, e.g. after `launch-ready audit` in a terminal wrote a new one.
   * A report newer than the one shown replaces it and is not stale.
   */
  loadFolder(folder: vscode.WorkspaceFolder, notify = true): void {
    if (folder.uri.scheme !== 'file') return;
    const key = folder.uri.toString();
    let report: Report | undefined;
    try {
      report = loadReport(folder.uri.fsPath);
    } catch (error) {
      if (!(error instanceof ReportFormatError) && !(error instanceof Error)) throw error;
      this.log.warn(`${folder.name}: ${(error as Error).message}; the tree shows no audit results`);
      return;
    }
    if (!report || report.generatedAt === this.reports.get(key)?.generatedAt) return;
    this.reports.set(key, report);
    this.stale.delete(key);
    this.log.info(`${folder.name}: audit from ${report.generatedAt} loaded`);
    if (notify) this.changed.fire();
  }

  reportOf(folder: vscode.WorkspaceFolder): Report | undefined {
    return this.reports.get(folder.uri.toString());
  }

  /** Every folder's report, for a tree that covers all of a multi-root workspace. */
  all(): { folder: vscode.WorkspaceFolder; report: Report }[] {
    return (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
      const report = this.reports.get(folder.uri.toString());
      return report ? [{ folder, report }] : [];
    });
  }

  isStale(folder: vscode.WorkspaceFolder): boolean {
    return this.stale.has(folder.uri.toString());
  }

  markStale(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    if (!this.reports.has(key) || this.stale.has(key)) return;
    this.stale.add(key);
    this.changed.fire();
  }

  /** Runs the audit (or some of its checks) for one folder, with progress and cancellation. */
  async run(folder: vscode.WorkspaceFolder, scope: AuditScope, title: string): Promise<AuditOutcome> {
    const wanted: readonly CheckId[] = scope === 'all' ? ALL_CHECKS : scope;
    if (wanted.some((check) => NETWORK_CHECKS.includes(check)) && !vscode.workspace.isTrusted) {
      this.log.info(`${folder.name}: ${title} not run: the workspace is not trusted`);
      void explainUntrusted(title);
      return { status: 'untrusted' };
    }
    const key = folder.uri.toString();
    if (this.running.has(key)) {
      void vscode.window.showInformationMessage(`Launch Ready: an audit of ${folder.name} is already running.`);
      return { status: 'busy' };
    }
    let network: NetworkSettings;
    try {
      network = networkSettings(folder);
    } catch (error) {
      const message = (error as Error).message;
      this.log.warn(`${folder.name}: ${message}`);
      void vscode.window.showErrorMessage(`Launch Ready: ${message}`);
      return { status: 'error', message };
    }
    if (network.proxyNote && network.proxyNote !== this.proxyNoted) {
      this.proxyNoted = network.proxyNote;
      this.log.info(network.proxyNote);
    }
    const skip = ALL_CHECKS.filter((check) => !wanted.includes(check) || network.skip.includes(check));
    const abort = new AbortController();
    this.running.set(key, abort);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Launch Ready: ${title} (${folder.name})`, cancellable: true },
        async (progress, token) => {
          const subscription = token.onCancellationRequested(() => abort.abort());
          const started = Date.now();
          progress.report({ message: wanted.filter((check) => !skip.includes(check)).join(', ') || 'launch.yaml only' });
          try {
            const { report: partial } = await runAudit({
              root: folder.uri.fsPath,
              tool: TOOL,
              resolver: network.resolver,
              timeoutMs: network.timeoutMs,
              connectTo: network.connectTo,
              extraCaPem: network.extraCaPem,
              proxy: network.proxy,
              skip,
              // git reads the repository's config, which can name programs to run.
              useGit: vscode.workspace.isTrusted,
              signal: abort.signal,
            });
            if (abort.signal.aborted) return { status: 'cancelled' } as const;
            const report = scope === 'all' ? partial : mergeReports(this.reports.get(key), partial, wanted);
            const file = saveReport(folder.uri.fsPath, report);
            this.reports.set(key, report);
            this.stale.delete(key);
            this.changed.fire();
            const c = report.counts;
            this.log.info(`${folder.name}: ${title} done in ${Date.now() - started} ms from ${report.checkedFrom}: ${c.blocker} blocker, ${c.high} high, ${c.medium} medium, ${c.low} low`);
            return { status: 'done', report, file } as const;
          } catch (error) {
            if (abort.signal.aborted) {
              this.log.info(`${folder.name}: ${title} cancelled`);
              return { status: 'cancelled' } as const;
            }
            const message = error instanceof Error ? error.message : String(error);
            this.log.error(`${folder.name}: ${title} failed: ${message}`);
            void vscode.window.showErrorMessage(`Launch Ready: ${title} failed: ${message}`);
            return { status: 'error', message } as const;
          } finally {
            subscription.dispose();
          }
        },
      );
    } finally {
      this.running.delete(key);
    }
  }

  isRunning(folder: vscode.WorkspaceFolder): boolean {
    return this.running.has(folder.uri.toString());
  }

  /** Stops the folder's audit in progress (as the notification's Cancel button does). */
  cancel(folder: vscode.WorkspaceFolder): boolean {
    const abort = this.running.get(folder.uri.toString());
    abort?.abort();
    return abort !== undefined;
  }

  dispose(): void {
    for (const abort of this.running.values()) abort.abort();
    this.changed.dispose();
  }
}

export const MANAGE_TRUST = 'Manage Workspace Trust';

async function explainUntrusted(title: string): Promise<void> {
  const choice = await vscode.window.showWarningMessage(
    `Launch Ready: ${title} needs a trusted workspace. Live checks contact the hosts named in this workspace's launch.yaml, so they wait until you trust it; secret and env checks work meanwhile.`,
    MANAGE_TRUST,
  );
  if (choice === MANAGE_TRUST) await vscode.commands.executeCommand('workbench.trust.manage');
}

/** The folder a command acts on: the one given, the only one, or the user's pick. */
export async function pickAuditFolder(given?: vscode.WorkspaceFolder | vscode.Uri): Promise<vscode.WorkspaceFolder | undefined> {
  if (given instanceof vscode.Uri) return vscode.workspace.getWorkspaceFolder(given);
  if (given && 'uri' in given && 'index' in given) return given;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
  if (folders.length <= 1) return folders[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const activeFolder = active && vscode.workspace.getWorkspaceFolder(active);
  if (activeFolder) return activeFolder;
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to audit' });
}
