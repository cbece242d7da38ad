import { parentPort, workerData } from 'node:worker_threads';
import type { ScanConfig } from '../config';
import type { WalkedFile } from '../workspace/files';
import { scanClaimedFiles } from './workspace-scan';

// A worker thread of a parallel workspace scan. It starts while the walk is still running,
// then gets the file list once, claims files through the shared counter, reads and scans them,
// and sends back their findings (already redacted) and skip notes in one message. Built as its
// own entry point (dist/scan-worker.js) so a worker loads the detection engine, not the CLI.

const { config, slot } = workerData as { config: ScanConfig; slot: number };
parentPort?.once('message', (job: { files: WalkedFile[]; shared: Int32Array; owner: Int32Array }) => {
  parentPort?.postMessage(scanClaimedFiles(job.files, config, job.shared, job.owner, slot));
});
