// How the scripts that generate a committed file (README rule reference, embedded WebAssembly)
// write it, or with `--check` only say whether it is current (a test runs the check).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

/** Writes `next` to `file` unless it is already there; with --check, exits 1 when it is not. */
export function writeOrCheck(file, next, { what = basename(file), command }) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: as stale as can be
  }
  if (process.argv.includes('--check')) {
    if (next !== current) {
      process.stderr.write(`${what} is stale: run ${command}\n`);
      process.exitCode = 1;
    }
  } else if (next !== current) {
    writeFileSync(file, next);
    process.stdout.write(`${what}: regenerated\n`);
  } else {
    process.stdout.write(`${what}: already up to date\n`);
  }
}
