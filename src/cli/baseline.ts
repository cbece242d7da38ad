import { parseArgs } from 'node:util';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { BaselineError, formatBaseline, readBaseline, updateBaseline, type BaselineEntry } from '../engine/baseline';
import { DEFAULT_BASELINE } from '../engine/config';
import { EXIT_OK, UsageError, writeUserFile, type Output } from './io';
import { baselinePath, collectFindings, loadConfigOrFail, resolveTarget } from './scan';

export const BASELINE_HELP = `Usage: launch-ready baseline [paths…] [options]

Scans like \`launch-ready scan\` and records every current finding as accepted, so later scans
report only new ones. The file stores each finding's fingerprint, rule id and path, never the
value; commit it. Re-running it is safe: the file is sorted and only changes when findings do.
With paths, only entries under those paths are replaced; the rest of the file is kept.

Options:
  --root DIR            Workspace root (default: the current directory)
  --baseline FILE       The file to write (default: the config's "baseline", else ${DEFAULT_BASELINE} in the root)
  --history             Accept findings from the git history too (as \`scan --history\` reports them)
  --no-color            Accepted for symmetry; this command prints one line
  -h, --help            This help

Exit codes: 0 written, 2 usage or configuration error.
`;

export async function runBaseline(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      root: { type: 'string' },
      baseline: { type: 'string' },
      history: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(BASELINE_HELP);
    return EXIT_OK;
  }
  const target = resolveTarget(values.root, positionals, process.cwd(), values.history === true);
  const config = loadConfigOrFail(target.root);
  const { file } = baselinePath(values.baseline, config, target.root);
  let previous: BaselineEntry[] = [];
  if (existsSync(file)) {
    try {
      previous = readBaseline(file).entries;
    } catch (error) {
      // A file that is not a baseline is never overwritten: it may be something else entirely.
      if (error instanceof BaselineError) throw new UsageError(`${error.message}; not overwriting it`);
      throw error;
    }
  }
  const collected = await collectFindings(target, config, values.history === true);
  const update = updateBaseline(previous, collected.findings, target.only);
  const content = formatBaseline(update.entries);
  const unchanged = existsSync(file) && readFileSync(file, 'utf8') === content;
  if (!unchanged) writeUserFile(file, content, writeFileSync);
  const shown = relative(process.cwd(), file) || file;
  const total = JSON.parse(content).findings.length as number;
  io.out(
    `${unchanged ? 'Baseline unchanged' : 'Wrote baseline'} ${shown}: ${total} accepted finding${total === 1 ? '' : 's'}` +
      ` (${update.added} added, ${update.removed} removed).\n`,
  );
  return EXIT_OK;
}
