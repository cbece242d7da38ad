import { parseArgs } from 'node:util';
import { existsSync, writeFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { applyBaseline, BaselineError, readBaseline, type Baseline } from '../engine/baseline';
import { ConfigError, DEFAULT_BASELINE, loadConfig, type ScanConfig } from '../engine/config';
import { NotAGitRepositoryError, scanGitHistory } from '../engine/git/history';
import { scanStaged } from '../engine/git/staged';
import { isSeverity, severityRank, type Finding, type Severity, type SkipNote } from '../engine/model';
import { SECRET_RULES } from '../engine/secrets/catalog';
import { scanWorkspaceSecrets } from '../engine/secrets/workspace-scan';
import { toJson, type ReportInput } from '../engine/report/json';
import { sarifRoot, toSarif } from '../engine/report/sarif';
import { toText } from '../engine/report/text';
import { EXIT_FINDINGS, EXIT_OK, UsageError, writeUserFile, type Output, isDirectory } from './io';
import { TOOL } from './tool';

export const SCAN_HELP = `Usage: launch-ready scan [paths…] [options]

Scans the workspace (or the given files and folders) for hardcoded secrets. A single folder
argument is the workspace root; other paths are relative to the current directory.

Options:
  --root DIR            Workspace root: where .launch-ready.json is read (default: current directory)
  --format FORMAT       text (default), json or sarif
  --output FILE         Write the report to FILE instead of standard output
  --fail-on SEVERITY    Exit 1 when a finding at or above it remains: blocker, high (default), medium, low, none
  --staged              Scan what is about to be committed (the git index, not the working tree) and
                        report only findings on lines the commit adds or changes: the pre-commit check
                        (see \`launch-ready hook install\`)
  --history             Scan every line ever added in the git history (all branches and tags) instead of
                        the working tree; each finding names the oldest commit that added the secret
  --baseline FILE       Report only findings not accepted in FILE (default: the config's "baseline", else
                        ${DEFAULT_BASELINE} when it exists)
  --no-baseline         Ignore any baseline: report everything
  --verbose             List every skipped file and why
  --no-color            No colours (also: NO_COLOR=1)
  -h, --help            This help

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or configuration error,
3 internal error.
`;

export type Format = 'text' | 'json' | 'sarif';

export function parseFormat(value: string | undefined): Format {
  const format = value ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got "${format}")`);
  return format;
}

export function parseFailOn(value: string | undefined): Severity | 'none' {
  const failOn = value ?? 'high';
  if (failOn !== 'none' && !isSeverity(failOn)) throw new UsageError(`--fail-on must be blocker, high, medium, low or none (got "${failOn}")`);
  return failOn;
}

export function exitCodeFor(findings: readonly Finding[], failOn: Severity | 'none'): number {
  if (failOn === 'none') return EXIT_OK;
  return findings.some((f) => severityRank(f.severity) <= severityRank(failOn)) ? EXIT_FINDINGS : EXIT_OK;
}

export interface Target {
  root: string;
  /** Root-relative paths the scan is limited to; empty for the whole root. */
  only: string[];
}

/**
 * `scan DIR` scans DIR as the workspace root, like most linters. Otherwise the root is --root (or
 * the current directory) and each path, written relative to the current directory as a shell
 * completes it, must lie inside the root.
 */
export function resolveTarget(rootFlag: string | undefined, positionals: readonly string[], cwd = process.cwd(), history = false): Target {
  if (rootFlag === undefined && positionals.length === 1 && isDirectory(resolve(cwd, positionals[0]))) {
    return { root: resolve(cwd, positionals[0]), only: [] };
  }
  const root = resolve(cwd, rootFlag ?? '.');
  if (!isDirectory(root)) throw new UsageError(`workspace root ${root} is not a folder`);
  const only = positionals.map((p) => {
    const absolute = resolve(cwd, p);
    // History scans may name a file that was deleted long ago.
    if (!history && !existsSync(absolute)) throw new UsageError(`${p}: no such file or folder`);
    const inside = relative(root, absolute).split('\\').join('/');
    if (inside.startsWith('../') || inside === '..' || isAbsolute(inside)) throw new UsageError(`${p} is outside the workspace root ${root}`);
    return inside === '' ? '.' : inside;
  });
  return { root, only };
}

export function loadConfigOrFail(root: string): ScanConfig {
  try {
    return loadConfig(root);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/** Where the baseline lives: the flag (relative to the current directory), the config's (relative to the root), or the default. */
export function baselinePath(flag: string | undefined, config: ScanConfig, root: string): { file: string; explicit: boolean } {
  if (flag !== undefined) return { file: resolve(flag), explicit: true };
  if (config.baseline !== undefined) return { file: resolve(root, config.baseline), explicit: true };
  return { file: resolve(root, DEFAULT_BASELINE), explicit: false };
}

export interface CollectedFindings {
  findings: Finding[];
  skipped: SkipNote[];
  notes: SkipNote[];
  stats: Record<string, number | string | boolean>;
}

/** Runs the working-tree, staged or history scan; a missing repository or git is the user's to fix (exit 2). */
export async function collectFindings(target: Target, config: ScanConfig, history: boolean, staged = false): Promise<CollectedFindings> {
  const started = Date.now();
  if (staged) {
    try {
      const result = await scanStaged({ root: target.root, config, only: target.only });
      const notes = [...result.notes];
      if (result.unchangedLineFindings > 0) {
        notes.push({
          path: '.',
          reason: `${result.unchangedLineFindings} finding(s) in staged files are on lines this commit does not change and are not reported here (\`launch-ready scan\` shows them)`,
        });
      }
      return {
        findings: result.findings,
        skipped: result.skipped,
        notes,
        stats: { staged: true, filesScanned: result.filesScanned, bytesScanned: result.bytesScanned, unchangedLineFindings: result.unchangedLineFindings, durationMs: Date.now() - started },
      };
    } catch (error) {
      if (error instanceof NotAGitRepositoryError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (history) {
    try {
      const result = await scanGitHistory({ root: target.root, config, only: target.only });
      return {
        findings: result.findings,
        skipped: result.skipped,
        notes: result.notes,
        stats: { history: true, commitsScanned: result.commitsScanned, filesScanned: result.filesScanned, bytesScanned: result.bytesScanned, durationMs: Date.now() - started },
      };
    } catch (error) {
      if (error instanceof NotAGitRepositoryError) throw new UsageError(error.message);
      throw error;
    }
  }
  const result = await scanWorkspaceSecrets({ root: target.root, config, only: target.only });
  return {
    findings: result.findings,
    skipped: result.skipped,
    notes: result.notes,
    stats: { filesScanned: result.filesScanned, bytesScanned: result.bytesScanned, durationMs: Date.now() - started },
  };
}

function displayPath(file: string): string {
  const fromCwd = relative(process.cwd(), file);
  return fromCwd === '' || fromCwd.startsWith('..') || isAbsolute(fromCwd) ? file : fromCwd;
}

export async function runScan(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      root: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      history: { type: 'boolean' },
      staged: { type: 'boolean' },
      baseline: { type: 'string' },
      'no-baseline': { type: 'boolean' },
      verbose: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(SCAN_HELP);
    return EXIT_OK;
  }
  const format = parseFormat(values.format);
  const failOn = parseFailOn(values['fail-on']);
  if (values.staged && values.history) throw new UsageError('--staged and --history cannot be combined');
  if (values.baseline !== undefined && values['no-baseline']) throw new UsageError('--baseline and --no-baseline cannot be combined');
  // Staged paths may be deleted from the working tree (`git rm --cached` keeps nothing there, an
  // edit may be staged and then the file removed), so they are not required to exist either.
  const target = resolveTarget(values.root, positionals, process.cwd(), values.history === true || values.staged === true);
  const config = loadConfigOrFail(target.root);

  let baseline: { file: string; data: Baseline } | undefined;
  if (!values['no-baseline']) {
    const { file, explicit } = baselinePath(values.baseline, config, target.root);
    if (explicit || existsSync(file)) {
      try {
        baseline = { file, data: readBaseline(file) };
      } catch (error) {
        if (error instanceof BaselineError) throw new UsageError(error.message);
        throw error;
      }
    }
  }

  const collected = await collectFindings(target, config, values.history === true, values.staged === true);
  const { findings, baselined } = baseline ? applyBaseline(collected.findings, baseline.data) : { findings: collected.findings, baselined: 0 };
  const report: ReportInput = {
    tool: TOOL,
    findings,
    skipped: collected.skipped,
    notes: collected.notes,
    ...(baseline ? { baseline: { file: displayPath(baseline.file), accepted: baselined } } : {}),
    stats: collected.stats,
  };
  const text =
    format === 'json'
      ? toJson(report) + '\n'
      : format === 'sarif'
        ? toSarif({ ...report, rules: SECRET_RULES, ...sarifRoot(target.root) }) + '\n'
        : toText(report, { color: io.color && !values.output, verbose: values.verbose });
  if (values.output) writeUserFile(values.output, text, writeFileSync);
  else io.out(text);
  return exitCodeFor(findings, failOn);
}
