import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { scanClaimedFiles } from './workspace-scan';

// A worker thread of a parallel workspace scan. It starts while the walk is still running,
// receives the scan's settings and then the file list in chunks on its port, claims files
// through the shared counter, reads and scans them, and sends back their findings (already
// redacted) and skip notes in one message. Built as its own entry point (dist/scan-worker.js)
// so a worker loads the detection engine, not the whole CLI.

const { shared, slot, port } = workerData as { shared: Int32Array; slot: number; port: MessagePort };
const result = scanClaimedFiles(port, shared, slot);
port.close();
parentPort?.postMessage(result);
