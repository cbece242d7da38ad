import { loadConfig, type ScanConfig } from '../config';
import type { Finding, SkipNote } from '../model';
import { severityRank } from '../model';
import { readFileText, walkFiles, type WalkedFile } from '../workspace/files';
import { scanText } from './scan';

// A whole-workspace secret scan: walk, read, scan, collect. Reads overlap (bounded) so disk
// latency hides behind detection; the result always says what was not read and why.

export interface WorkspaceScanOptions {
  root: string;
  config?: ScanConfig;
  /** Limit the scan to these root-relative files or folders. */
  only?: string[];
  signal?: AbortSignal;
  /** Called after each file, for progress reporting. */
  onProgress?: (done: number, total: number) => void;
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

export async function scanWorkspaceSecrets(options: WorkspaceScanOptions): Promise<SecretScanResult> {
  const config = options.config ?? loadConfig(options.root);
  const skipped: SkipNote[] = [];
  const notes: SkipNote[] = [];
  let files: WalkedFile[] = await walkFiles(options.root, { exclude: config.exclude, signal: options.signal }, skipped);
  if (options.only && options.only.length > 0) {
    const prefixes = options.only.map((p) => p.replace(/\\/g, '/').replace(/^\.\/|\/$/g, ''));
    files = files.filter((f) => prefixes.some((p) => p === '' || p === '.' || f.path === p || f.path.startsWith(p + '/')));
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
