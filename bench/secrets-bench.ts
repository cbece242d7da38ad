import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { scanText } from '../src/engine/secrets/scan';
import { GENERATOR_VERSION, generateTree, sourceFileOfLines, type PlantedSecret, type TreeManifest } from './tree-generator';

// `npm run bench`: our CLI against secretlint's recommended preset over the same generated tree,
// both as child processes, plus the editor's per-document cost. It prints figures; it asserts
// nothing, because timings depend on the machine.

const SEED = 20_251_125;
const REPO = resolve(__dirname, '..', '..');
const BENCH_DIR = join(REPO, 'bench', '.tree');
const TREE = join(BENCH_DIR, 'repo');
const MANIFEST = join(BENCH_DIR, 'manifest.json');
const OUR_RUNS = 5;
const EDITOR_LINES = 10_000;
const EDITOR_RUNS = 25;

function ensureTree(): TreeManifest {
  if (existsSync(MANIFEST)) {
    const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as TreeManifest;
    if (manifest.version === GENERATOR_VERSION && manifest.seed === SEED && existsSync(TREE)) return manifest;
  }
  const started = performance.now();
  process.stdout.write(`generating the benchmark tree in ${relative(REPO, TREE)} (generator v${GENERATOR_VERSION}, seed ${SEED})… `);
  mkdirSync(BENCH_DIR, { recursive: true });
  rmSync(MANIFEST, { force: true });
  const manifest = generateTree(TREE, SEED);
  writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2));
  process.stdout.write(`${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return manifest;
}

interface ChildRun {
  seconds: number;
  /** Peak resident set size in MB, when /usr/bin/time is there to measure it. */
  peakRssMb?: number;
  /** User + system CPU seconds over all threads (robust to other load on the machine). */
  cpuSeconds?: number;
  status: number | null;
  stderr: string;
}

const TIME = '/usr/bin/time';

function runChild(command: string[]): ChildRun {
  const rssFile = join(BENCH_DIR, 'rss.txt');
  rmSync(rssFile, { force: true });
  const measured = existsSync(TIME) ? [TIME, '-f', '%M %U %S', '-o', rssFile, ...command] : command;
  const started = performance.now();
  const child = spawnSync(measured[0], measured.slice(1), { cwd: REPO, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const [rssKb, user, system] = existsSync(rssFile) ? (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number) : [];
  return {
    seconds,
    peakRssMb: Number.isFinite(rssKb) ? rssKb / 1024 : undefined,
    cpuSeconds: Number.isFinite(user) && Number.isFinite(system) ? user + system : undefined,
    status: child.status,
    stderr: child.stderr ?? '',
  };
}

const key = (path: string, line: number) => `${path}:${line}`;

/** Planted secrets with a finding on their line (an AWS pair counts when either line is found). */
function plantedFound(planted: PlantedSecret[], found: Set<string>): PlantedSecret[] {
  return planted.filter((p) => found.has(key(p.path, p.line)) || (p.kind === 'aws-key-pair' && found.has(key(p.path, p.line + 1))));
}

function runOurs(manifest: TreeManifest): { run: ChildRun; best: ChildRun; findings: number; found: PlantedSecret[]; bytesScanned: number } {
  const output = join(BENCH_DIR, 'ours.json');
  const runs: ChildRun[] = [];
  for (let i = 0; i < OUR_RUNS; i++) {
    const run = runChild([process.execPath, 'dist/cli.js', 'scan', TREE, '--format', 'json', '--fail-on', 'none', '--output', output]);
    if (run.status !== 0) throw new Error(`our CLI exited with ${run.status}: ${run.stderr}`);
    runs.push(run);
  }
  runs.sort((a, b) => a.seconds - b.seconds);
  const report = JSON.parse(readFileSync(output, 'utf8')) as {
    summary: { bytesScanned: number };
    findings: { location: { path: string; range: { startLine: number } } }[];
  };
  const lines = new Set(report.findings.map((f) => key(f.location.path, f.location.range.startLine)));
  return { run: runs[Math.floor(runs.length / 2)], best: runs[0], findings: report.findings.length, found: plantedFound(manifest.planted, lines), bytesScanned: report.summary.bytesScanned };
}

function runSecretlint(manifest: TreeManifest): { run: ChildRun; findings: number; found: PlantedSecret[] } {
  const config = join(BENCH_DIR, 'secretlintrc.json');
  writeFileSync(config, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2));
  const output = join(BENCH_DIR, 'secretlint.json');
  rmSync(output, { force: true });
  const cli = join(REPO, 'node_modules', 'secretlint', 'bin', 'secretlint.js');
  // With --output secretlint exits 0 even when it finds something; 1 would mean a failed run.
  const run = runChild([process.execPath, cli, `${TREE}/**/*`, '--secretlintrc', config, '--format', 'json', '--output', output, '--no-color']);
  if (run.status !== 0 || !existsSync(output)) throw new Error(`secretlint exited with ${run.status}: ${run.stderr.slice(0, 2000)}`);
  const results = JSON.parse(readFileSync(output, 'utf8')) as { filePath: string; messages: { loc: { start: { line: number } } }[] }[];
  const lines = new Set<string>();
  let findings = 0;
  for (const result of results) {
    const path = relative(TREE, result.filePath).split('\\').join('/');
    for (const message of result.messages) {
      findings++;
      lines.add(key(path, message.loc.start.line));
    }
  }
  return { run, findings, found: plantedFound(manifest.planted, lines) };
}

/** Median wall and CPU milliseconds of one scanText call on a 10k-line file. */
function editorCost(): { wallMs: number; cpuMs: number } {
  const text = sourceFileOfLines(SEED, EDITOR_LINES);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < EDITOR_RUNS + 5; i++) {
    // A keystroke changes the text; a fresh string keeps any per-string caching honest.
    const edited = text + `// ${i}\n`;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    scanText(edited, { path: 'apps/web/src/large-module.ts' });
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpuStart);
    if (i >= 5) {
      wall.push(elapsed);
      cpu.push((used.user + used.system) / 1000);
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

function main(): void {
  const manifest = ensureTree();
  const mb = manifest.bytes / 1e6;
  const covered = manifest.planted.filter((p) => p.secretlintCovers);
  console.log(`tree: ${manifest.files} files, ${mb.toFixed(1)} MB, ${manifest.planted.length} planted fake secrets (${covered.length} of kinds secretlint's recommended preset covers)`);

  const ours = runOurs(manifest);
  const theirs = runSecretlint(manifest);
  const ourRate = mb / ours.run.seconds;
  const theirRate = mb / theirs.run.seconds;
  const editor = editorCost();

  const missed = (found: PlantedSecret[], among: PlantedSecret[]) =>
    among.filter((p) => !found.includes(p)).map((p) => `${p.kind} in ${p.path}:${p.line}`);
  const ourMissed = missed(ours.found, manifest.planted);
  const theirMissed = missed(theirs.found, covered);
  console.log('');
  console.log(`launch-ready  ${ours.run.seconds.toFixed(2).padStart(7)} s  ${ourRate.toFixed(1).padStart(7)} MB/s  (median of ${OUR_RUNS} runs, best ${(mb / ours.best.seconds).toFixed(1)} MB/s; ${ours.findings} findings; planted found ${ours.found.length}/${manifest.planted.length})`);
  console.log(`secretlint    ${theirs.run.seconds.toFixed(2).padStart(7)} s  ${theirRate.toFixed(1).padStart(7)} MB/s  (1 run; ${theirs.findings} findings; planted found ${theirs.found.length}/${covered.length} of the kinds it covers)`);
  console.log(`ratio (ours/secretlint): ${(ourRate / theirRate).toFixed(1)}x`);
  const cpu = (run: ChildRun) => (run.cpuSeconds === undefined ? '?' : `${run.cpuSeconds.toFixed(2)} s`);
  console.log(`CPU time (user+sys, all threads): launch-ready ${cpu(ours.run)}, secretlint ${cpu(theirs.run)}; load average now ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
  if (ours.run.cpuSeconds && theirs.run.cpuSeconds) {
    // Work per CPU-second does not depend on what else the machine is doing, unlike wall time.
    const ourCpuRate = mb / ours.run.cpuSeconds;
    const theirCpuRate = mb / theirs.run.cpuSeconds;
    console.log(`MB per CPU-second: launch-ready ${ourCpuRate.toFixed(1)}, secretlint ${theirCpuRate.toFixed(1)} (ratio ${(ourCpuRate / theirCpuRate).toFixed(1)}x)`);
  }
  console.log(`peak RSS: launch-ready ${ours.run.peakRssMb?.toFixed(0) ?? '?'} MB, secretlint ${theirs.run.peakRssMb?.toFixed(0) ?? '?'} MB`);
  console.log(`scanText on a ${EDITOR_LINES.toLocaleString('en')}-line file: ${editor.wallMs.toFixed(2)} ms (CPU ${editor.cpuMs.toFixed(2)} ms; medians of ${EDITOR_RUNS})`);
  if (ours.bytesScanned < manifest.bytes * 0.99) console.log(`warning: launch-ready scanned ${ours.bytesScanned} of ${manifest.bytes} bytes`);
  if (ourMissed.length > 0) console.log(`launch-ready missed: ${ourMissed.join(', ')}`);
  if (theirMissed.length > 0) console.log(`secretlint missed: ${theirMissed.join(', ')}`);
}

main();
