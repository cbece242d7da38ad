import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../engine/config';
import { isSeverity, severityRank, type Finding, type Severity } from '../engine/model';
import { SECRET_RULES } from '../engine/secrets/catalog';
import { scanWorkspaceSecrets } from '../engine/secrets/workspace-scan';
import { toJson } from '../engine/report/json';
import { toSarif } from '../engine/report/sarif';
import { toText } from '../engine/report/text';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type Output } from './io';
import { TOOL } from './tool';

export const SCAN_HELP = `Usage: launch-ready scan [paths…] [options]

Scans the workspace (or the given files and folders) for hardcoded secrets.

Options:
  --root DIR            Workspace root (default: the current directory)
  --format FORMAT       text (default), json or sarif
  --output FILE         Write the report to FILE instead of standard output
  --fail-on SEVERITY    Exit 1 when a finding at or above it remains: blocker, high (default), medium, low, none
  --verbose             List every skipped file and why
  --no-color            No colours (also: NO_COLOR=1)
  -h, --help            This help

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or configuration error.
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

export async function runScan(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      root: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string' },
      'fail-on': { type: 'string' },
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
  const root = resolve(values.root ?? (positionals.length === 1 && !values.root ? positionals[0] : '.'));
  const only = values.root || positionals.length > 1 ? positionals : [];
  let config;
  try {
    config = loadConfig(root);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const started = Date.now();
  const result = await scanWorkspaceSecrets({ root, config, only });
  const report = {
    tool: TOOL,
    findings: result.findings,
    skipped: result.skipped,
    notes: result.notes,
    stats: { filesScanned: result.filesScanned, bytesScanned: result.bytesScanned, durationMs: Date.now() - started },
  };
  const text =
    format === 'json'
      ? toJson(report) + '\n'
      : format === 'sarif'
        ? toSarif({ ...report, rules: SECRET_RULES }) + '\n'
        : toText(report, { color: io.color && !values.output, verbose: values.verbose });
  if (values.output) writeFileSync(values.output, text);
  else io.out(text);
  return exitCodeFor(result.findings, failOn);
}
