import { spawn } from 'node:child_process';
import ignore from 'ignore';
import type { ScanConfig } from '../config';
import type { Finding, SkipNote } from '../model';
import { scanText } from '../secrets/scan';
import { sortFindings } from '../secrets/workspace-scan';
import { decodeFile, formatBytes } from '../workspace/files';
import { assertGitWorkTree } from './history';
import { unquoteGitPath } from './patch-parser';

// What a commit is about to add, for a pre-commit hook: the STAGED content (the index, not the
// working tree, so a secret removed from the file but still staged is caught, and unstaged edits
// are not), and only findings on lines the commit adds or changes. Each staged file is scanned
// whole, so context above a changed line (an assignment's key, a suppression comment) still
// counts; findings on lines the commit leaves alone are counted, not reported: an old secret,
// already in history and perhaps baselined, must not block every later commit that touches the
// file. `launch-ready scan` and `scan --history` are the tools for what is already there.
//
// Cost on a large repository: three git processes whatever the number of files. The index is
// compared with HEAD through git's cache tree, blob sizes come from one `cat-file --batch-check`
// and contents from one `cat-file --batch`; the working tree is never walked.

export interface StagedScanOptions {
  root: string;
  config: ScanConfig;
  /** Limit to these root-relative paths (git pathspecs). */
  only?: string[];
}

export interface StagedScanResult {
  findings: Finding[];
  skipped: SkipNote[];
  notes: SkipNote[];
  filesScanned: number;
  bytesScanned: number;
  /** Findings in staged files on lines the commit does not add or change. */
  unchangedLineFindings: number;
}

interface StagedFile {
  path: string;
  blob: string;
  mode: string;
}

/** Directories the workspace scan never reads; a staged copy of them is skipped the same way. */
const SKIPPED_SEGMENT = /(?:^|\/)(?:node_modules|\.git|\.hg|\.svn)\//;

function run(root: string, args: string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: root, stdio: [input ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < 4000) stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`git ${args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? ''} failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`));
    });
    if (input && child.stdin) child.stdin.end(input);
  });
}

/** A diff of the index against HEAD whose shape the user's git config cannot change. */
export function stagedDiffArgs(output: readonly string[], only: readonly string[]): string[] {
  return [
    '-c', 'core.quotePath=off',
    '--literal-pathspecs',
    'diff', '--cached', '--no-color', '--no-ext-diff', '--no-textconv',
    // A moved file shows as a rename, so only what changed in it counts as added.
    '-M', '--diff-filter=ACMR',
    // Paths relative to the root, and only what lies under it, when root is a subfolder.
    '--relative',
    ...output,
    ...(only.length > 0 ? ['--', ...only] : []),
  ];
}

/** `git diff --raw -z` records: `:old-mode new-mode old-sha new-sha status NUL path [NUL new-path] NUL`. */
export function parseRawDiff(raw: string): StagedFile[] {
  const fields = raw.split('\0');
  const files: StagedFile[] = [];
  for (let i = 0; i < fields.length; i++) {
    const header = fields[i];
    if (!header.startsWith(':')) continue;
    const [, mode, , blob, status] = header.slice(1).split(' ');
    const twoPaths = status.startsWith('R') || status.startsWith('C');
    const path = fields[twoPaths ? i + 2 : i + 1];
    i += twoPaths ? 2 : 1;
    if (path !== undefined) files.push({ path, blob, mode });
  }
  return files;
}

/**
 * The new-file line numbers each file's hunks add or change, from `git diff -U0`. With zero
 * context a hunk's `+start,count` range is exactly the added lines.
 */
export function parseChangedLines(patch: string): Map<string, Array<[number, number]>> {
  const changed = new Map<string, Array<[number, number]>>();
  let current: Array<[number, number]> | undefined;
  for (const line of patch.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      const path = unquoteGitPath(target.replace(/\t$/, ''));
      current = path.startsWith('b/') ? [] : undefined;
      if (current) changed.set(path.slice(2), current);
      continue;
    }
    if (!current || !line.startsWith('@@ ')) continue;
    const match = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!match) continue;
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    if (count > 0) current.push([start, start + count - 1]);
  }
  return changed;
}

function touchesChangedLine(ranges: ReadonlyArray<[number, number]>, startLine: number, endLine: number): boolean {
  return ranges.some(([from, to]) => from <= endLine && to >= startLine);
}

/** Splits `git cat-file --batch` output into contents by object name. */
function parseBatch(output: Buffer): Map<string, Buffer> {
  const contents = new Map<string, Buffer>();
  let offset = 0;
  while (offset < output.length) {
    const newline = output.indexOf(10, offset);
    if (newline === -1) break;
    const [name, type, size] = output.toString('utf8', offset, newline).split(' ');
    offset = newline + 1;
    if (type === 'missing' || size === undefined) continue;
    const length = Number(size);
    contents.set(name, output.subarray(offset, offset + length));
    offset += length + 1; // the newline after each object
  }
  return contents;
}

export async function scanStaged(options: StagedScanOptions): Promise<StagedScanResult> {
  assertGitWorkTree(options.root, 'scan --staged');
  const only = (options.only ?? []).map((p) => p.replace(/\\/g, '/').replace(/^\.\/|\/$/g, '')).filter((p) => p !== '' && p !== '.');
  const excluded = options.config.exclude.length > 0 ? ignore().add(options.config.exclude) : undefined;

  const [raw, patch] = await Promise.all([
    run(options.root, stagedDiffArgs(['--raw', '-z', '--no-abbrev'], only)),
    run(options.root, stagedDiffArgs(['-U0', '--src-prefix=a/', '--dst-prefix=b/'], only)),
  ]);
  const changedLines = parseChangedLines(patch.toString('utf8'));
  const skipped: SkipNote[] = [];
  const notes: SkipNote[] = [];
  const wanted: StagedFile[] = [];
  for (const file of parseRawDiff(raw.toString('utf8'))) {
    if (SKIPPED_SEGMENT.test(file.path) || excluded?.ignores(file.path)) continue;
    if (file.mode === '160000') continue; // a submodule: its own repository, its own hook
    if (file.mode === '120000') {
      skipped.push({ path: file.path, reason: 'symbolic link (not followed)' });
      continue;
    }
    wanted.push(file);
  }

  const result: StagedScanResult = { findings: [], skipped, notes, filesScanned: 0, bytesScanned: 0, unchangedLineFindings: 0 };
  if (wanted.length === 0) return result;

  // Sizes first, so a staged 500 MB asset is never read into memory.
  const sizes = new Map<string, number>();
  const check = await run(options.root, ['cat-file', '--batch-check=%(objectname) %(objectsize)'], Buffer.from(wanted.map((f) => f.blob).join('\n') + '\n'));
  for (const line of check.toString('utf8').split('\n')) {
    const [name, size] = line.split(' ');
    if (name && size !== 'missing') sizes.set(name, Number(size));
  }
  const readable = wanted.filter((file) => {
    const size = sizes.get(file.blob) ?? 0;
    if (size <= options.config.maxFileSize) return true;
    skipped.push({ path: file.path, reason: `larger than ${formatBytes(options.config.maxFileSize)} (${formatBytes(size)}); raise maxFileSize to scan it` });
    return false;
  });
  const blobs = readable.length > 0 ? parseBatch(await run(options.root, ['cat-file', '--batch'], Buffer.from(readable.map((f) => f.blob).join('\n') + '\n'))) : new Map<string, Buffer>();

  for (const file of readable) {
    const bytes = blobs.get(file.blob);
    if (!bytes) {
      skipped.push({ path: file.path, reason: 'staged content not readable from the object store' });
      continue;
    }
    const content = decodeFile(bytes);
    if (content.kind === 'skipped') {
      skipped.push({ path: file.path, reason: content.reason });
      continue;
    }
    if (content.note) notes.push({ path: file.path, reason: content.note });
    result.filesScanned++;
    result.bytesScanned += content.text.length;
    const ranges = changedLines.get(file.path) ?? [];
    for (const finding of scanText(content.text, { path: file.path, config: options.config })) {
      const range = finding.location.kind === 'file' ? finding.location.range : undefined;
      if (range && touchesChangedLine(ranges, range.startLine, range.endLine)) result.findings.push(finding);
      else result.unchangedLineFindings++;
    }
  }
  result.findings = sortFindings(result.findings);
  return result;
}
