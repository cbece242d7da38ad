import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
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
export const SHARED_PUBLISHED = 3; // files sent to the workers so far
export const SHARED_WALKED = 4; // set to 1 once every file has been sent
const SHARED_SLOTS = 5;
/** Files per message while the walk is still running. */
const CHUNK_FILES = 64;

/** A slice of the file list as sent to every worker; `owner[k]` is 1 + the slot that claimed file k. */
export interface FileChunk {
  files: WalkedFile[];
  owner: Int32Array;
}

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
 * load balances file by file with no message per file. The list arrives in chunks on `port`
 * while the main thread is still walking; a worker that is ahead of the walk sleeps until the
 * next chunk is published. Returns everything it found.
 */
export function scanClaimedFiles(port: MessagePort, config: ScanConfig, shared: Int32Array, slot: number): BatchResult {
  const result = emptyResult();
  const files: WalkedFile[] = [];
  const owners: Int32Array[] = [];
  const offsets: number[] = [];
  const receive = () => {
    for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
      const chunk = message.message as FileChunk;
      chunk.files.forEach((file, k) => {
        files.push(file);
        owners.push(chunk.owner);
        offsets.push(k);
      });
    }
  };
  while (Atomics.load(shared, SHARED_STOP) === 0) {
    const index = Atomics.add(shared, SHARED_NEXT, 1);
    while (index >= files.length) {
      // `walked` first: the main thread publishes the last chunk before it sets the flag, so
      // once the flag is seen, `published` is the final count.
      const walked = Atomics.load(shared, SHARED_WALKED) === 1;
      const published = Atomics.load(shared, SHARED_PUBLISHED);
      receive();
      if (index < files.length || Atomics.load(shared, SHARED_STOP) === 1) break;
      if (walked && index >= published) return result;
      // Published but not yet readable here, or not published yet: wait for the next chunk.
      Atomics.wait(shared, SHARED_PUBLISHED, published, files.length < published ? 1 : 50);
    }
    if (index >= files.length) break;
    owners[index][offsets[index]] = slot + 1;
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

/**
 * A parallel scan that starts while the walk is still listing files: workers boot, then scan
 * each chunk of the list as it is published. Each returns its findings in one message at the
 * end; memory stays at one file per worker plus the results and the list. A worker that fails
 * is not fatal: files it never claimed go to the others, and the files it did claim are
 * scanned again on this thread, so no file is lost.
 */
class WorkerPool {
  private readonly shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  private readonly ports: MessagePort[] = [];
  private readonly outcomes: Promise<BatchResult | undefined>[] = [];
  private readonly chunks: FileChunk[] = [];
  private pending: WalkedFile[] = [];
  private published = 0;

  constructor(
    count: number,
    private readonly config: ScanConfig,
    private readonly signal: AbortSignal | undefined,
  ) {
    for (let slot = 0; slot < count; slot++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_SCRIPT, { workerData: { config, shared: this.shared, slot, port: port2 }, transferList: [port2] });
      this.ports.push(port1);
      this.outcomes.push(
        new Promise<BatchResult | undefined>((resolve) => {
          worker.once('message', (result: BatchResult) => resolve(result));
          worker.once('error', () => resolve(undefined));
          worker.once('exit', () => resolve(undefined));
        }),
      );
    }
    signal?.addEventListener('abort', this.stop);
  }

  private readonly stop = () => {
    Atomics.store(this.shared, SHARED_STOP, 1);
    Atomics.notify(this.shared, SHARED_PUBLISHED);
  };

  add(file: WalkedFile): void {
    this.pending.push(file);
    if (this.pending.length >= CHUNK_FILES) this.publish();
  }

  private publish(): void {
    if (this.pending.length === 0) return;
    const chunk: FileChunk = { files: this.pending, owner: new Int32Array(new SharedArrayBuffer(this.pending.length * Int32Array.BYTES_PER_ELEMENT)) };
    this.pending = [];
    this.chunks.push(chunk);
    for (const port of this.ports) port.postMessage(chunk);
    this.published += chunk.files.length;
    Atomics.store(this.shared, SHARED_PUBLISHED, this.published);
    Atomics.notify(this.shared, SHARED_PUBLISHED);
  }

  /** Stops the workers without results (the walk failed, or there is nothing to scan). */
  abandon(): void {
    this.stop();
    Atomics.store(this.shared, SHARED_WALKED, 1);
    for (const port of this.ports) port.close();
    this.signal?.removeEventListener('abort', this.stop);
  }

  /** The walk is over: publish the rest and collect every worker's findings. */
  async finish(onProgress: WorkspaceScanOptions['onProgress']): Promise<BatchResult> {
    this.publish();
    Atomics.store(this.shared, SHARED_WALKED, 1);
    Atomics.notify(this.shared, SHARED_PUBLISHED);
    const total = this.published;
    const progress = onProgress
      ? setInterval(() => onProgress(Math.min(Atomics.load(this.shared, SHARED_DONE), total), total), PROGRESS_INTERVAL_MS)
      : undefined;
    const result = emptyResult();
    try {
      const outcomes = await Promise.all(this.outcomes);
      const failed = outcomes.flatMap((outcome, slot) => (outcome ? [] : [slot + 1]));
      for (const outcome of outcomes) if (outcome) mergeInto(result, outcome);
      const rest = emptyResult();
      if (failed.length > 0) {
        for (const chunk of this.chunks) {
          chunk.files.forEach((file, k) => {
            if (failed.includes(chunk.owner[k]) && !this.signal?.aborted) scanFileInto(file, this.config, rest);
          });
        }
      }
      // Files nobody claimed, which only happens when every worker failed.
      const all = this.chunks.flatMap((chunk) => chunk.files);
      for (let index = Atomics.add(this.shared, SHARED_NEXT, 1); index < total && !this.signal?.aborted; index = Atomics.add(this.shared, SHARED_NEXT, 1)) {
        scanFileInto(all[index], this.config, rest);
      }
      mergeInto(result, rest);
    } finally {
      if (progress) clearInterval(progress);
      for (const port of this.ports) port.close();
      this.signal?.removeEventListener('abort', this.stop);
    }
    if (!this.signal?.aborted) onProgress?.(total, total);
    return result;
  }
}

export async function scanWorkspaceSecrets(options: WorkspaceScanOptions): Promise<SecretScanResult> {
  const config = options.config ?? loadConfig(options.root);
  const skipped: SkipNote[] = [];
  const notes: SkipNote[] = [];
  const prefixes = options.only && options.only.length > 0 ? options.only.map((p) => p.replace(/\\/g, '/').replace(/^\.\/|\/$/g, '')) : undefined;
  const wanted = (f: WalkedFile) => !prefixes || prefixes.some((p) => p === '' || p === '.' || f.path === p || f.path.startsWith(p + '/'));
  const planned = plannedWorkers(options.workers);
  // Parallel only pays off on a large workspace: once the walk has found that many files the
  // workers start, and they scan the list as it grows.
  const threshold = options.workers === undefined ? PARALLEL_MIN_FILES : 1;
  let pool: WorkerPool | undefined;
  let found: WalkedFile[] = [];
  const onFile = planned > 0
    ? (file: WalkedFile) => {
        if (!wanted(file)) return;
        if (pool) return pool.add(file);
        found.push(file);
        if (found.length >= threshold && !options.signal?.aborted) {
          pool = new WorkerPool(planned, config, options.signal);
          for (const early of found) pool.add(early);
          found = [];
        }
      }
    : undefined;
  let files: WalkedFile[];
  try {
    files = (await walkFiles(options.root, { exclude: config.exclude, signal: options.signal, onFile }, skipped)).filter(wanted);
  } catch (error) {
    pool?.abandon();
    throw error;
  }
  if (pool) {
    const result = await pool.finish(options.onProgress);
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
