import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { loadConfig, type ScanConfig } from '../config';
import type { Finding, SkipNote } from '../model';
import { severityRank } from '../model';
import { decodeFile, formatBytes, readFileText, walkFiles, type FileText, type WalkedFile } from '../workspace/files';
import { scanText } from './scan';
import {
  emptyResult,
  plannedWorkers,
  SHARED_NEXT,
  SHARED_PUBLISHED,
  SHARED_STOP,
  SHARED_WALKED,
  SHARED_DONE,
  WorkerPool,
  type BatchResult,
  type FileChunk,
  type ScanSettings,
} from './worker-pool';

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

/**
 * What a worker does: take the scan's settings from the first message on `port`, then claim the
 * next file from the shared counter until none are left, so the load balances file by file with
 * no message per file. The list arrives in chunks while the main thread is still walking; a
 * worker that is ahead of the walk sleeps until the next chunk is published. Returns everything
 * it found.
 */
export function scanClaimedFiles(port: MessagePort, shared: Int32Array, slot: number): BatchResult {
  const result = emptyResult();
  const files: WalkedFile[] = [];
  const owners: Int32Array[] = [];
  const offsets: number[] = [];
  let config: ScanConfig | undefined;
  const receive = () => {
    for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
      const received = message.message as FileChunk | ScanSettings;
      if ('config' in received) {
        config = received.config;
        continue;
      }
      received.files.forEach((file, k) => {
        files.push(file);
        owners.push(received.owner);
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
    // Settings are posted before the first chunk, on the same port.
    scanFileInto(files[index], config as ScanConfig, result);
    Atomics.add(shared, SHARED_DONE, 1);
  }
  return result;
}

export async function scanWorkspaceSecrets(options: WorkspaceScanOptions): Promise<SecretScanResult> {
  const config = options.config ?? loadConfig(options.root);
  const skipped: SkipNote[] = [];
  const notes: SkipNote[] = [];
  const prefixes = options.only && options.only.length > 0 ? options.only.map((p) => p.replace(/\\/g, '/').replace(/^\.\/|\/$/g, '')) : undefined;
  const wanted = (f: WalkedFile) => !prefixes || prefixes.some((p) => p === '' || p === '.' || f.path === p || f.path.startsWith(p + '/'));
  const planned = plannedWorkers(options.workers);
  // Parallel only pays off on a large workspace: once the walk has found that many files the
  // workers get them, and they scan the list as it grows.
  const threshold = options.workers === undefined ? PARALLEL_MIN_FILES : 1;
  let pool: WorkerPool | undefined;
  let found: WalkedFile[] = [];
  const onFile = planned > 0
    ? (file: WalkedFile) => {
        if (!wanted(file)) return;
        if (pool) return pool.add(file);
        found.push(file);
        if (found.length >= threshold && !options.signal?.aborted) {
          pool = new WorkerPool(planned);
          pool.configure(config, options.signal);
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
    const result = await pool.finish(options.onProgress, (file, into) => scanFileInto(file, config, into));
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
