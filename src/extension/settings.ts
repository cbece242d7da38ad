import * as vscode from 'vscode';
import { join } from 'node:path';
import { BaselineError, readBaseline, type Baseline } from '../engine/baseline';
import { ConfigError, DEFAULT_BASELINE, loadConfig, type RuleSetting, type ScanConfig } from '../engine/config';
import { isSeverity } from '../engine/model';
import { PathFilter } from './path-filter';

// One place that turns `launchReady.*` settings plus the folder's `.launch-ready.json` into the
// engine's ScanConfig, so typing, the workspace scan and the file watchers scan alike.

export const SECTION = 'launchReady';
const DEFAULT_EDITOR_MAX_FILE_SIZE = 2 * 1024 * 1024;

export interface FolderScanSettings {
  enabled: boolean;
  config: ScanConfig;
  /** `.gitignore`, `.git/info/exclude` and the configured excludes, as the CLI walker applies them. */
  filter: PathFilter;
  /** Absolute path of the folder's baseline file, whether or not it exists yet. */
  baselineFile: string;
  /** Accepted findings (`launch-ready baseline`), hidden as in the CLI. */
  baseline?: Baseline;
}

export class ScanSettings implements vscode.Disposable {
  private readonly cache = new Map<string, FolderScanSettings>();
  private readonly warned = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when anything that decides what is scanned or how severe it is has changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SECTION)) this.invalidate();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate()),
    );
  }

  /** Called by the file watcher when `.gitignore` or `.launch-ready.json` changed. */
  invalidate(): void {
    this.cache.clear();
    this.changed.fire();
  }

  for(folder: vscode.WorkspaceFolder): FolderScanSettings {
    const key = folder.uri.toString();
    const cached = this.cache.get(key);
    if (cached) return cached;
    const settings = vscode.workspace.getConfiguration(SECTION, folder.uri);
    const config = this.readConfigFile(folder);
    const ruleOverrides = settings.get<Record<string, unknown>>('rules', {});
    for (const [id, value] of Object.entries(ruleOverrides)) {
      if (typeof value === 'string' && (value === 'off' || isSeverity(value))) config.rules[id] = value as RuleSetting;
      else this.log.warn(`launchReady.rules: "${id}" must be off, blocker, high, medium or low; ignored`);
    }
    config.exclude = [...config.exclude, ...settings.get<string[]>('exclude', []).filter((p) => typeof p === 'string')];
    const maxFileSize = settings.get<number>('maxFileSize', DEFAULT_EDITOR_MAX_FILE_SIZE);
    config.maxFileSize = maxFileSize > 0 ? maxFileSize : DEFAULT_EDITOR_MAX_FILE_SIZE;
    const result: FolderScanSettings = {
      enabled: settings.get<boolean>('secrets.enable', true),
      config,
      filter: new PathFilter(folder.uri.fsPath, config.exclude),
      baselineFile: join(folder.uri.fsPath, config.baseline ?? DEFAULT_BASELINE),
    };
    result.baseline = this.readBaselineFile(folder, result.baselineFile, config.baseline !== undefined);
    this.cache.set(key, result);
    return result;
  }

  private readConfigFile(folder: vscode.WorkspaceFolder): ScanConfig {
    try {
      return loadConfig(folder.uri.fsPath);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const key = `${folder.uri.toString()}\0${error.message}`;
      this.log.warn(`${folder.name}: ${error.message}; using defaults`);
      if (!this.warned.has(key)) {
        this.warned.add(key);
        void vscode.window.showWarningMessage(`Launch Ready: ${error.message}. Using the defaults until it is fixed.`);
      }
      return loadConfigDefaults();
    }
  }

  private readBaselineFile(folder: vscode.WorkspaceFolder, file: string, configured: boolean): Baseline | undefined {
    try {
      return readBaseline(file);
    } catch (error) {
      if (!(error instanceof BaselineError)) throw error;
      // No baseline is the normal case; only a configured-but-missing or broken one is worth a word.
      if (configured || !/does not exist/.test(error.message)) this.log.warn(`${folder.name}: ${error.message}`);
      return undefined;
    }
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

function loadConfigDefaults(): ScanConfig {
  return { exclude: [], rules: {}, maxFileSize: DEFAULT_EDITOR_MAX_FILE_SIZE };
}
