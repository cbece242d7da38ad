import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import ignore from 'ignore';
import type { ScanConfig } from '../config';
import type { Finding, SkipNote } from '../model';
import { scanText } from '../secrets/scan';
import { sortFindings } from '../secrets/workspace-scan';
import { COMMIT_MARKER, PatchParser } from './patch-parser';

// Secrets anywhere in a repository's history: every line any commit ADDED, read from a streamed
// `git log -p` so neither the log nor a single commit is ever held in memory whole.
//
// Why these git options:
// - `--all`: a secret on any branch, tag or stash is as exposed as one on the current branch once
//   pushed, and a branch merged or deleted later keeps it in the object store.
// - `-p -U0`: only the changed lines, no context; added lines are what introduced a secret, and
//   lines that only survived from an earlier commit were already reported at that commit.
// - `--no-renames`: a renamed file shows as delete + add, so its content is scanned under the
//   new path too (the fingerprint includes the path) and the diff header names one path.
// - `--no-ext-diff --no-textconv --no-color`, explicit prefixes, `core.quotePath=off`: the user's
//   git config cannot change the patch's shape (external diff tools, text conversion filters,
//   `diff.noprefix`, colour, octal-escaped non-ASCII paths).
// - Merge commits show no patch (git's default): what a merge brings in is scanned in the commits
//   it merges, so the same lines are not read twice.
// - `--format=%x00commit %H %ct`: a NUL-led line never looks like patch text.

export interface HistoryScanOptions {
  root: string;
  config: ScanConfig;
  /** Limit to these root-relative paths (git pathspecs). */
  only?: string[];
  signal?: AbortSignal;
}

export interface HistoryScanResult {
  findings: Finding[];
  skipped: SkipNote[];
  notes: SkipNote[];
  commitsScanned: number;
  /** (commit, file) pairs whose added lines were scanned. */
  filesScanned: number;
  bytesScanned: number;
}

export class NotAGitRepositoryError extends Error {}

/**
 * A batch is scanned once it holds this much added text; a commit that adds a 100 MB file is read
 * in slices of about this size. Batches end on a hunk boundary where they can, so a multi-line
 * secret (a private key) is not cut in two unless one hunk alone is several batches long.
 */
const BATCH_CHARS = 1024 * 1024;
const HARD_BATCH_CHARS = 4 * BATCH_CHARS;

function git(root: string, args: string[]): { ok: boolean; stdout: string; stderr: string; missing: boolean } {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { ok: result.status === 0, stdout: result.stdout ?? '', stderr: result.stderr ?? '', missing };
}

/** Throws NotAGitRepositoryError with a sentence for people when `root` is not in a work tree. */
export function assertGitWorkTree(root: string, what = '--history'): void {
  const check = git(root, ['rev-parse', '--is-inside-work-tree']);
  if (check.missing) throw new NotAGitRepositoryError(`${what} needs git, and git was not found on PATH`);
  if (!check.ok || check.stdout.trim() !== 'true') {
    throw new NotAGitRepositoryError(`${what} needs a git repository, and ${root} is not inside one`);
  }
}

export function historyArgs(only: readonly string[]): string[] {
  return [
    '-c', 'core.quotePath=off',
    '-c', 'log.showSignature=false',
    // A folder named like pathspec magic (":(glob)…") is still just a folder.
    '--literal-pathspecs',
    'log', '--all', '-p', '-U0', '--no-color', '--no-renames', '--no-ext-diff', '--no-textconv',
    '--src-prefix=a/', '--dst-prefix=b/', '--no-notes',
    // Paths relative to `root`, and only what lies under it, when root is a subfolder of the repo.
    '--relative',
    `--format=${COMMIT_MARKER.replace('\u0000', '%x00')}%H %ct`,
    '--', ...(only.length > 0 ? only : ['.']),
  ];
}

interface Batch {
  commit: string;
  path: string;
  lines: string[];
  lineNumbers: number[];
  chars: number;
}

export async function scanGitHistory(options: HistoryScanOptions): Promise<HistoryScanResult> {
  assertGitWorkTree(options.root);
  const excluded = options.config.exclude.length > 0 ? ignore().add(options.config.exclude) : undefined;
  const only = (options.only ?? []).map((p) => p.replace(/\\/g, '/').replace(/^\.\/|\/$/g, '')).filter((p) => p !== '' && p !== '.');

  // One finding per fingerprint (rule + path + value), attributed to the commit that first added
  // it: that commit is when the secret was exposed and what a rotation note should cite.
  const earliest = new Map<string, { finding: Finding; timestamp: number }>();
  const binaryPaths = new Set<string>();
  // git log prints each commit once, so a count is enough (a set of hashes grows with the repo).
  let commitsScanned = 0;
  let filesScanned = 0;
  let bytesScanned = 0;
  let commit = '';
  let timestamp = 0;
  let batch: Batch | undefined;
  let pathExcluded = false;

  const flush = () => {
    if (!batch || batch.lines.length === 0) return;
    const { lineNumbers } = batch;
    const text = batch.lines.join('\n');
    bytesScanned += text.length;
    const found = scanText(text, {
      path: batch.path,
      config: options.config,
      commit: batch.commit,
      lineMap: (line) => lineNumbers[line - 1] ?? line,
    });
    for (const finding of found) {
      const seen = earliest.get(finding.fingerprint);
      // git lists newer commits first, so an equal timestamp seen later is the older commit.
      if (!seen || timestamp <= seen.timestamp) earliest.set(finding.fingerprint, { finding, timestamp });
    }
    batch.lines = [];
    batch.lineNumbers = [];
    batch.chars = 0;
  };

  const parser = new PatchParser({
    commit(hash, time) {
      flush();
      batch = undefined;
      commit = hash;
      timestamp = time;
      commitsScanned++;
    },
    file(path) {
      flush();
      pathExcluded = excluded?.ignores(path) ?? false;
      batch = pathExcluded ? undefined : { commit, path, lines: [], lineNumbers: [], chars: 0 };
      if (batch) filesScanned++;
    },
    added(line, lineNumber) {
      if (!batch) return;
      const previous = batch.lineNumbers[batch.lineNumbers.length - 1];
      const hunkBoundary = previous !== undefined && lineNumber !== previous + 1;
      if (batch.chars >= HARD_BATCH_CHARS || (hunkBoundary && batch.chars >= BATCH_CHARS)) flush();
      batch.lines.push(line);
      batch.lineNumbers.push(lineNumber);
      batch.chars += line.length + 1;
    },
    binary(path) {
      if (!pathExcluded) binaryPaths.add(path);
    },
  });

  const child = spawn('git', historyArgs(only), { cwd: options.root, stdio: ['ignore', 'pipe', 'pipe'] });
  const abort = () => child.kill();
  options.signal?.addEventListener('abort', abort, { once: true });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 4000) stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  try {
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    for await (const line of lines) {
      if (options.signal?.aborted) break;
      parser.push(line);
    }
    flush();
  } finally {
    options.signal?.removeEventListener('abort', abort);
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (code !== 0 && !options.signal?.aborted) {
    // A repository with no commits yet has nothing to scan; anything else is a real failure.
    if (/does not have any commits|bad default revision/.test(stderr)) {
      return { findings: [], skipped: [], notes: [], commitsScanned: 0, filesScanned: 0, bytesScanned: 0 };
    }
    throw new Error(`git log failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
  }

  const skipped = [...binaryPaths].sort().map((path) => ({ path, reason: 'binary in history (not scanned)' }));
  const notes: SkipNote[] = [];
  // CI checkouts are often shallow (depth 1): the oldest fetched commit then shows the whole tree
  // as added and everything before it is missing, which the report must say.
  if (git(options.root, ['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true') {
    notes.push({ path: '.', reason: 'shallow clone: only the fetched commits were scanned (fetch the full history, e.g. fetch-depth: 0 in CI)' });
  }
  return {
    findings: sortFindings([...earliest.values()].map((e) => e.finding)),
    skipped,
    notes,
    commitsScanned,
    filesScanned,
    bytesScanned,
  };
}
