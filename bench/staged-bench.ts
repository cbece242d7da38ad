import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

// `npm run bench:staged`: what a pre-commit hook costs on a large repository. Builds a repository
// of FILES committed files once (in a temp folder, or BENCH_STAGED_DIR to keep it), stages a
// few edits, and times the real CLI `scan --staged` end to end (process start included), next to
// `git diff --cached --quiet` as the floor any pre-commit hook pays. Prints figures, asserts nothing.

const FILES = Number(process.env.BENCH_STAGED_FILES ?? 20_000);
const STAGED = 5;
const RUNS = 7;
const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');

function git(cwd: string, args: string[]): void {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`git ${args[0]}: ${result.stderr}`);
}

function source(i: number): string {
  const lines = [`// module ${i}`, `export const id${i} = ${i};`];
  for (let n = 0; n < 40; n++) lines.push(`export function f${i}_${n}(x: number): number { return x * ${n} + ${i}; }`);
  return lines.join('\n') + '\n';
}

function ensureRepo(dir: string): void {
  if (existsSync(join(dir, '.git'))) return;
  const started = performance.now();
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q']);
  for (let i = 0; i < FILES; i++) {
    const folder = join(dir, 'src', `pkg${i % 200}`);
    if (i < 200) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `m${i}.ts`), source(i));
  }
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'user.name=bench', '-c', 'user.email=bench@example.invalid', 'commit', '-q', '-m', 'tree']);
  process.stdout.write(`built a ${FILES}-file repository in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

function time(label: string, cwd: string, command: string, args: string[]): void {
  const samples: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
    samples.push(performance.now() - started);
    if (result.status !== 0 && result.status !== 1) throw new Error(`${label}: ${result.stderr}`);
  }
  samples.sort((a, b) => a - b);
  process.stdout.write(`${label.padEnd(44)} median ${samples[RUNS >> 1].toFixed(0).padStart(5)} ms   min ${samples[0].toFixed(0).padStart(5)} ms\n`);
}

const keep = process.env.BENCH_STAGED_DIR;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'launch-ready-staged-bench-'));
try {
  ensureRepo(dir);
  for (let i = 0; i < STAGED; i++) {
    const file = join(dir, 'src', `pkg${i}`, `m${i}.ts`);
    writeFileSync(file, source(i) + `export const edited${i} = "${'x'.repeat(12)}";\n`);
  }
  git(dir, ['add', 'src']);
  process.stdout.write(`pre-commit on ${FILES} tracked files with ${STAGED} staged edits (${RUNS} runs)\n`);
  time('git diff --cached --quiet (the floor)', dir, 'git', ['diff', '--cached', '--quiet']);
  time('node dist/cli.js --version (process start)', dir, process.execPath, [CLI, '--version']);
  time('launch-ready scan --staged', dir, process.execPath, [CLI, 'scan', '--staged']);
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
