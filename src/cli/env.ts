import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { ConfigError, loadConfig } from '../engine/config';
import { applySafeFixes } from '../engine/env/fixes';
import { ENV_RULES } from '../engine/env/rules';
import { checkEnvWorkspace, type EnvCheckResult } from '../engine/env/workspace';
import { toJson } from '../engine/report/json';
import { sarifRoot, toSarif } from '../engine/report/sarif';
import { toText } from '../engine/report/text';
import { SECRET_RULES } from '../engine/secrets/catalog';
import { EXIT_OK, folderArgument, type Output, UsageError } from './io';
import { exitCodeFor, parseFailOn, parseFormat } from './scan';
import { TOOL } from './tool';

export const ENV_HELP = `Usage: launch-ready env [dir] [options]

Checks the workspace's .env files: how dotenv really reads them (lint), whether git ignores them
or has them in history, parity with .env.example, production against staging/development, and
variables the code reads that no env file declares. Values are never printed.

Options:
  --format FORMAT       text (default), json or sarif
  --output FILE         Write the report to FILE instead of standard output
  --fail-on SEVERITY    Exit 1 when a finding at or above it remains: blocker, high (default), medium, low, none
  --fix                 Apply the safe fixes (whitespace, duplicates, layout); never changes a value
  --no-git              Decide "ignored" from .gitignore files instead of asking git; skip history
  --verbose             List every skipped file and why
  --no-color            No colours (also: NO_COLOR=1)
  -h, --help            This help

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or configuration error.
`;

const BOM = '\ufeff';

/** Rewrites each env file with its safe fixes; returns how many fixes landed in how many files. */
function applyFixes(result: EnvCheckResult): { fixes: number; files: number } {
  let fixes = 0;
  let files = 0;
  for (const file of result.files) {
    if (!file.fixable || file.text === undefined) continue;
    const fixed = applySafeFixes(file.text, file.findings);
    if (fixed.applied === 0 || fixed.text === file.text) continue;
    writeFileSync(file.absolute, (file.hadBom ? BOM : '') + fixed.text);
    fixes += fixed.applied;
    files++;
  }
  return { fixes, files };
}

export async function runEnv(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      output: { type: 'string' },
      'fail-on': { type: 'string' },
      fix: { type: 'boolean' },
      'no-git': { type: 'boolean' },
      verbose: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(ENV_HELP);
    return EXIT_OK;
  }
  const format = parseFormat(values.format);
  const failOn = parseFailOn(values['fail-on']);
  const root = folderArgument(positionals, 'takes one folder (the workspace root)');
  let config;
  try {
    config = loadConfig(root);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const started = Date.now();
  const check = () => checkEnvWorkspace({ root, config, useGit: !values['no-git'] });
  let result = await check();
  let fixed = { fixes: 0, files: 0 };
  if (values.fix) {
    fixed = applyFixes(result);
    if (fixed.fixes > 0) result = await check();
    io.err(`Applied ${fixed.fixes} safe fix${fixed.fixes === 1 ? '' : 'es'} in ${fixed.files} file${fixed.files === 1 ? '' : 's'}.\n`);
  }
  const report = {
    tool: TOOL,
    findings: result.findings,
    skipped: result.skipped,
    notes: result.notes,
    stats: {
      envFiles: result.files.length,
      filesScanned: result.files.length + result.codeFilesScanned,
      bytesScanned: result.bytesScanned,
      ignoreSource: result.ignoreSource,
      ...(values.fix ? { fixesApplied: fixed.fixes } : {}),
      durationMs: Date.now() - started,
    },
  };
  const text =
    format === 'json'
      ? toJson(report) + '\n'
      : format === 'sarif'
        ? toSarif({ ...report, rules: [...ENV_RULES, ...SECRET_RULES], ...sarifRoot(root) }) + '\n'
        : toText(report, { color: io.color && !values.output, verbose: values.verbose });
  if (values.output) writeFileSync(values.output, text);
  else io.out(text);
  return exitCodeFor(result.findings, failOn);
}
