import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { loadConfig, type ScanConfig } from '../config';
import type { Finding, SkipNote } from '../model';
import { severityRank } from '../model';
import { decodeFile, formatBytes, readFileText, walkFiles, type FileText, type WalkedFile } from '../workspace/files';
import { scanText } from './scan';

// A whole-workspace secret scan: walk, read, scan, collect; the result always says what was not
// read and why. A large workspace is read and scanned by worker threads (detection is CPU-bound,
// so one thread per core is what makes it fast); a small one, where starting workers would cost
// more than it saves, is scanned on the calling thread with reads overlapped. Results are sorted
// at the end, so both paths return the same thing in the same order.

export interface WorkspaceScanOptions {
  root: string;
  config?: ScanConfig;
  /** Limit the scan to these root-relative files or folders. */
  only?: string[];
  signal?: AbortSignal;
  /** Called as files are done (after each file; every 100 ms when workers scan), for progress. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads to scan with; 0 scans on the calling thread. Default: one per core (at most
   * MAX_WORKERS) when the workspace has at least PARALLEL_MIN_FILES files and there are 2+ cores.
   */
  workers?: number;
}

export interface SecretScanResult {
  findings: Finding[];
  skipped: SkipNote[];
  /** Files read with a caveat (e.g. invalid UTF-8). */
  notes: SkipNote[];
  filesScanned: number;
  bytesScanned: number;
  cancelled: boolean;
}

const READ_CONCURRENCY = 16;
const PARALLEL_MIN_FILES = 400;
const MAX_WORKERS = 8;
/** How often progress is reported while workers run. */
const PROGRESS_INTERVAL_MS = 100;
/** Built next to this module: `dist/scan-worker.js` beside the bundles, `out/…` in tests. */
const WORKER_SCRIPT = join(__dirname, 'scan-worker.js');

/** Slots of the Int32Array that workers and the main thread share. */
export const SHARED_NEXT = 0; // index of the next unclaimed file
export const SHARED_DONE = 1; // files finished
export const SHARED_STOP = 2; // set to 1 to stop claiming files (cancellation)

export function sortFindings(findings: Finding[]): Finding[] {
  const where = (f: Finding) => (f.location.kind === 'file' ? f.location.path : f.location.host);
  const line = (f: Finding) => (f.location.kind === 'file' ? f.location.range.startLine : 0);
  return findings.sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      where(a).localeCompare(where(b)) ||
      line(a) - line(b) ||
      a.ruleId.localeCompare(b.ruleId),
  );
}

/** What scanning some files produced; batches from workers are merged into one of these. */
export interface BatchResult {
  findings: Finding[];
  skipped: SkipNote[];
  notes: SkipNote[];
  filesScanned: number;
  bytesScanned: number;
}

const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;
/** One read buffer per thread, grown to the largest file seen: no allocation per file. */
let scratch = Buffer.allocUnsafe(1 << 20);

/**
 * readFileText with one open, one fstat and one read: on a worker thread blocking is free, and
 * the per-file cost is most of the time spent on a tree of small files. Same skip reasons.
 */
export function readFileTextSync(absolute: string, maxFileSize: number): FileText {
  let fd: number | undefined;
  try {
    fd = openSync(absolute, constants.O_RDONLY | NO_FOLLOW);
    const size = fstatSync(fd).size;
    if (size > maxFileSize) {
      return { kind: 'skipped', reason: `larger than ${formatBytes(maxFileSize)} (${formatBytes(size)}); raise maxFileSize to scan it` };
    }
    if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
    let read = 0;
    while (read < size) {
      const n = readSync(fd, scratch, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    // decodeFile copies the bytes into a string, so the buffer can be reused for the next file.
    return decodeFile(scratch.subarray(0, read));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // O_NOFOLLOW on a link that replaced a file after the walk: the walk would have skipped it.
    if (code === 'ELOOP') return { kind: 'skipped', reason: 'symbolic link (not followed)' };
    return { kind: 'skipped', reason: `not readable (${code ?? 'error'})` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads and scans one file into `result`. */
export function scanFileInto(file: WalkedFile, config: ScanConfig, result: BatchResult): void {
  const content = readFileTextSync(file.absolute, config.maxFileSize);
  if (content.kind === 'skipped') {
    result.skipped.push({ path: file.path, reason: content.reason });
    return;
  }
  if (content.note) result.notes.push({ path: file.path, reason: content.note });
  for (const finding of scanText(content.text, { path: file.path, config })) result.findings.push(finding);
  result.bytesScanned += content.text.length;
  result.filesScanned++;
}

export const emptyResult = (): BatchResult => ({ findings: [], skipped: [], notes: [], filesScanned: 0, bytesScanned: 0 });

/**
 * What a worker does: claim the next file from the shared counter until none are left, so the
 * load balances file by file with no message per file. `owner[i]` records who claimed file i,
 * so the files of a worker that dies can be scanned again. Returns everything it found.
 */
export function scanClaimedFiles(files: readonly WalkedFile[], config: ScanConfig, shared: Int32Array, owner: Int32Array, slot: number): BatchResult {
  const result = emptyResult();
  while (Atomics.load(shared, SHARED_STOP) === 0) {
    const index = Atomics.add(shared, SHARED_NEXT, 1);
    if (index >= files.length) break;
    owner[index] = slot + 1;
    scanFileInto(files[index], config, result);
    Atomics.add(shared, SHARED_DONE, 1);
  }
  return result;
}

function mergeInto(total: BatchResult, part: BatchResult): void {
  for (const f of part.findings) total.findings.push(f);
  for (const s of part.skipped) total.skipped.push(s);
  for (const n of part.notes) total.notes.push(n);
  total.filesScanned += part.filesScanned;
  total.bytesScanned += part.bytesScanned;
}

/** Workers a scan would use, before knowing how many files there are. */
function plannedWorkers(requested: number | undefined): number {
  if (requested !== undefined) return Math.max(0, Math.min(requested, MAX_WORKERS));
  if (!existsSync(WORKER_SCRIPT)) return 0;
  const cores = availableParallelism();
  return cores >= 2 ? Math.min(cores, MAX_WORKERS) : 0;
}

interface StartedWorker {
  worker: Worker;
  slot: number;
  /** Its findings, or undefined when it failed. */
  outcome: Promise<BatchResult | undefined>;
}

/** Workers start booting (loading the engine) while the walk is still listing files. */
function startWorkers(count: number, config: ScanConfig): StartedWorker[] {
  return Array.from({ length: count }, (_, slot) => {
    const worker = new Worker(WORKER_SCRIPT, { workerData: { config, slot } });
    const outcome = new Promise<BatchResult | undefined>((resolve) => {
      worker.once('message', (result: BatchResult) => resolve(result));
      worker.once('error', () => resolve(undefined));
      worker.once('exit', () => resolve(undefined));
    });
    return { worker, slot, outcome };
  });
}

/**
 * Every worker gets the file list once and claims files through a shared counter; each returns
 * its findings in one message at the end. Memory stays at one file per worker plus the results.
 * A worker that fails is not fatal: files it never claimed go to the others, and the files it
 * did claim are scanned again here, so no file is lost.
 */
async function scanInWorkers(files: WalkedFile[], config: ScanConfig, workers: StartedWorker[], options: WorkspaceScanOptions): Promise<BatchResult> {
  const total = emptyResult();
  const shared = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const owner = new Int32Array(new SharedArrayBuffer(files.length * Int32Array.BYTES_PER_ELEMENT));
  const stop = () => Atomics.store(shared, SHARED_STOP, 1);
  options.signal?.addEventListener('abort', stop);
  const progress = options.onProgress
    ? setInterval(() => options.onProgress?.(Math.min(Atomics.load(shared, SHARED_DONE), files.length), files.length), PROGRESS_INTERVAL_MS)
    : undefined;
  try {
    for (const { worker } of workers) worker.postMessage({ files, shared, owner });
    const failed: number[] = [];
    const outcomes = await Promise.all(workers.map((w) => w.outcome));
    outcomes.forEach((result, i) => (result ? mergeInto(total, result) : failed.push(workers[i].slot + 1)));
    const rest = emptyResult();
    if (failed.length > 0) {
      for (let index = 0; index < files.length && !options.signal?.aborted; index++) {
        if (failed.includes(owner[index])) scanFileInto(files[index], config, rest);
      }
    }
    // Files nobody claimed, which only happens when every worker failed.
    for (let index = Atomics.add(shared, SHARED_NEXT, 1); index < files.length && !options.signal?.aborted; index = Atomics.add(shared, SHARED_NEXT, 1)) {
      scanFileInto(files[index], config, rest);
    }
    mergeInto(total, rest);
  } finally {
    if (progress) clearInterval(progress);
    options.signal?.removeEventListener('abort', stop);
  }
  if (!options.signal?.aborted) options.onProgress?.(files.length, files.length);
  return total;
}

export async function scanWorkspaceSecrets(options: WorkspaceScanOptions): Promise<SecretScanResult> {
  const config = options.config ?? loadConfig(options.root);
  const skipped: SkipNote[] = [];
  const notes: SkipNote[] = [];
  const planned = plannedWorkers(options.workers);
  // Parallel only pays off on a large workspace; once the walk has seen that many files the
  // workers are started, so their start-up overlaps the rest of the walk.
  const threshold = options.workers === undefined ? PARALLEL_MIN_FILES : 1;
  let started: StartedWorker[] | undefined;
  let seen = 0;
  const onFile = planned > 0 ? () => {
    if (++seen === threshold) started = startWorkers(planned, config);
  } : undefined;
  let files: WalkedFile[];
  try {
    files = await walkFiles(options.root, { exclude: config.exclude, signal: options.signal, onFile }, skipped);
  } catch (error) {
    for (const { worker } of started ?? []) void worker.terminate();
    throw error;
  }
  if (options.only && options.only.length > 0) {
    const prefixes = options.only.map((p) => p.replace(/\\/g, '/').replace(/^\.\/|\/$/g, ''));
    files = files.filter((f) => prefixes.some((p) => p === '' || p === '.' || f.path === p || f.path.startsWith(p + '/')));
  }
  const useful = files.length >= threshold && !options.signal?.aborted ? Math.min(planned, files.length) : 0;
  const spare = started?.splice(useful) ?? [];
  for (const { worker } of spare) void worker.terminate();
  if (useful > 0) {
    const result = await scanInWorkers(files, config, started ?? startWorkers(useful, config), options);
    skipped.push(...result.skipped);
    notes.push(...result.notes);
    skipped.sort((a, b) => a.path.localeCompare(b.path));
    notes.sort((a, b) => a.path.localeCompare(b.path));
    return {
      findings: sortFindings(result.findings),
      skipped,
      notes,
      filesScanned: result.filesScanned,
      bytesScanned: result.bytesScanned,
      cancelled: options.signal?.aborted ?? false,
    };
  }
  const findings: Finding[] = [];
  let bytesScanned = 0;
  let filesScanned = 0;
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length && !options.signal?.aborted) {
      const file = files[next++];
      const content = await readFileText(file.absolute, config.maxFileSize);
      if (content.kind === 'skipped') {
        skipped.push({ path: file.path, reason: content.reason });
      } else {
        if (content.note) notes.push({ path: file.path, reason: content.note });
        findings.push(...scanText(content.text, { path: file.path, config }));
        bytesScanned += content.text.length;
        filesScanned++;
      }
      options.onProgress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  notes.sort((a, b) => a.path.localeCompare(b.path));
  return {
    findings: sortFindings(findings),
    skipped,
    notes,
    filesScanned,
    bytesScanned,
    cancelled: options.signal?.aborted ?? false,
  };
}
