import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { ScanConfig } from '../config';
import type { Finding, SkipNote } from '../model';
import type { WalkedFile } from '../workspace/files';

// The worker threads of a parallel workspace scan. Workers learn the scan's settings from the
// first message on their port, and then receive the file list in chunks while the walk is
// still running.

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

/** The first message on a worker's port. */
export interface ScanSettings {
  config: ScanConfig;
}

/** What scanning some files produced; batches from workers are merged into one of these. */
export interface BatchResult {
  findings: Finding[];
  skipped: SkipNote[];
  notes: SkipNote[];
  filesScanned: number;
  bytesScanned: number;
}

export const emptyResult = (): BatchResult => ({ findings: [], skipped: [], notes: [], filesScanned: 0, bytesScanned: 0 });

export function mergeInto(total: BatchResult, part: BatchResult): void {
  for (const f of part.findings) total.findings.push(f);
  for (const s of part.skipped) total.skipped.push(s);
  for (const n of part.notes) total.notes.push(n);
  total.filesScanned += part.filesScanned;
  total.bytesScanned += part.bytesScanned;
}

/** Workers a scan would use, before knowing how many files there are. */
export function plannedWorkers(requested: number | undefined): number {
  if (requested !== undefined) return Math.max(0, Math.min(requested, MAX_WORKERS));
  if (!existsSync(WORKER_SCRIPT)) return 0;
  const cores = availableParallelism();
  return cores >= 2 ? Math.min(cores, MAX_WORKERS) : 0;
}

/**
 * Workers that scan each chunk of the list as it is published. Each returns its findings in one
 * message at the end; memory stays at one file per worker plus the results and the list. A
 * worker that fails is not fatal: files it never claimed go to the others, and the files it did
 * claim are scanned again on this thread, so no file is lost.
 */
export class WorkerPool {
  private readonly shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  private readonly ports: MessagePort[] = [];
  private readonly outcomes: Promise<BatchResult | undefined>[] = [];
  private readonly chunks: FileChunk[] = [];
  private pending: WalkedFile[] = [];
  private published = 0;
  private signal: AbortSignal | undefined;
  private configured = false;

  constructor(count: number) {
    for (let slot = 0; slot < count; slot++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(WORKER_SCRIPT, { workerData: { shared: this.shared, slot, port: port2 }, transferList: [port2] });
      this.ports.push(port1);
      this.outcomes.push(
        new Promise<BatchResult | undefined>((resolve) => {
          worker.once('message', (result: BatchResult) => resolve(result));
          worker.once('error', () => resolve(undefined));
          worker.once('exit', () => resolve(undefined));
        }),
      );
    }
  }

  /** Sends the scan's settings; files added before this wait for it. */
  configure(config: ScanConfig, signal: AbortSignal | undefined): void {
    const settings: ScanSettings = { config };
    for (const port of this.ports) port.postMessage(settings);
    this.configured = true;
    this.signal = signal;
    signal?.addEventListener('abort', this.stop);
    if (signal?.aborted) this.stop();
    if (this.pending.length >= CHUNK_FILES) this.publish();
  }

  private readonly stop = () => {
    Atomics.store(this.shared, SHARED_STOP, 1);
    Atomics.notify(this.shared, SHARED_PUBLISHED);
  };

  add(file: WalkedFile): void {
    this.pending.push(file);
    if (this.configured && this.pending.length >= CHUNK_FILES) this.publish();
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

  /** Stops the workers without results (the walk failed). */
  abandon(): void {
    this.stop();
    Atomics.store(this.shared, SHARED_WALKED, 1);
    Atomics.notify(this.shared, SHARED_PUBLISHED);
    for (const port of this.ports) port.close();
    this.signal?.removeEventListener('abort', this.stop);
  }

  /**
   * The walk is over: publish the rest and collect every worker's findings. `scanFile` scans
   * on this thread what failed workers claimed, or everything if every worker failed.
   */
  async finish(onProgress: ((done: number, total: number) => void) | undefined, scanFile: (file: WalkedFile, into: BatchResult) => void): Promise<BatchResult> {
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
            if (failed.includes(chunk.owner[k]) && !this.signal?.aborted) scanFile(file, rest);
          });
        }
      }
      // Files nobody claimed, which only happens when every worker failed.
      const all = this.chunks.flatMap((chunk) => chunk.files);
      for (let index = Atomics.add(this.shared, SHARED_NEXT, 1); index < total && !this.signal?.aborted; index = Atomics.add(this.shared, SHARED_NEXT, 1)) {
        scanFile(all[index], rest);
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
