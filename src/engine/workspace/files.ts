import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAscii, isUtf8 } from 'node:buffer';
import ignore, { type Ignore } from 'ignore';
import type { SkipNote } from '../model';

// Which files a workspace scan reads, and how a file's bytes become text. Every file that is not
// read fully as text is reported with the reason, so a scan never silently misses something.

/** Directories listed between two yields to the event loop. */
const YIELD_EVERY_DIRS = 32;

/** Never worth reading: VCS metadata and installed dependencies. */
const ALWAYS_SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules']);

export interface WalkOptions {
  /** gitignore-style patterns from the config, relative to the root. */
  exclude: string[];
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  signal?: AbortSignal;
  /** Called for each file as it is found (a scan can start preparing before the walk ends). */
  onFile?: (file: WalkedFile) => void;
}

export interface WalkedFile {
  absolute: string;
  /** Root-relative, forward slashes. */
  path: string;
}

export interface TreeWalkOptions {
  /** gitignore-style patterns from the config, relative to the root: such entries are never visited. */
  exclude: string[];
  /** Honour .gitignore files and .git/info/exclude (default true). */
  gitignore?: boolean;
  /**
   * How several ignore files combine. `'any'` (default): a path any of them ignores is ignored.
   * `'git'`: as git decides, the deepest file with a matching rule wins, so a nested `!pattern`
   * re-includes what a parent .gitignore (or .git/info/exclude) ignored.
   */
  precedence?: 'any' | 'git';
  signal?: AbortSignal;
}

/** A non-directory entry the walk reached; directories are descended into unless ignored. */
export interface TreeEntry extends WalkedFile {
  name: string;
  type: 'file' | 'symbolic link' | 'named pipe' | 'socket' | 'device' | 'unknown type';
  /** An ignore file ignores it (entries the `exclude` patterns match are never reported). */
  ignored: boolean;
}

interface IgnoreScope {
  /** Root-relative directory the rules were written in ('' for the root). */
  base: string;
  matcher: Ignore;
}

function readIgnoreFile(absolute: string): string | undefined {
  try {
    return readFileSync(absolute, 'utf8');
  } catch {
    return undefined;
  }
}

function isIgnored(scopes: IgnoreScope[], path: string, isDir: boolean, precedence: 'any' | 'git'): boolean {
  let ignored = false;
  for (const scope of scopes) {
    const relative = scope.base === '' ? path : path.startsWith(scope.base + '/') ? path.slice(scope.base.length + 1) : undefined;
    if (relative === undefined || relative === '') continue;
    const result = scope.matcher.test(isDir ? relative + '/' : relative);
    if (result.ignored) {
      if (precedence === 'any') return true;
      ignored = true;
    } else if (result.unignored && precedence === 'git') {
      ignored = false;
    }
  }
  return ignored;
}

/**
 * Walks `root` depth-first in name order and reports every non-directory entry, ignored or not,
 * to `onEntry`. Symbolic links are not followed (no loops, no escaping the workspace); unreadable
 * directories are reported in `skipped`; VCS metadata and installed dependencies are never entered.
 */
export async function walkTree(root: string, options: TreeWalkOptions, skipped: SkipNote[], onEntry: (entry: TreeEntry) => void): Promise<void> {
  const useGitignore = options.gitignore !== false;
  const precedence = options.precedence ?? 'any';
  // No patterns is the common case, and the matcher still costs a lookup and a cache entry per path.
  const excluded = options.exclude.length > 0 ? ignore().add(options.exclude) : undefined;
  const rootScopes: IgnoreScope[] = [];
  if (useGitignore) {
    const info = readIgnoreFile(join(root, '.git', 'info', 'exclude'));
    if (info) rootScopes.push({ base: '', matcher: ignore().add(info) });
  }
  let listed = 0;
  const visit = async (dir: string, relDir: string, scopes: IgnoreScope[]): Promise<void> => {
    if (options.signal?.aborted) return;
    // Directories are listed synchronously, yielding to the event loop every few of them: a
    // listing sent to libuv's thread pool costs far more than the listing itself (a tree of
    // 1,300 folders took 160 ms that way, 15 ms this way), and the editor stays responsive.
    if (++listed % YIELD_EVERY_DIRS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ path: relDir || '.', reason: `directory not readable (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    let localScopes = scopes;
    if (useGitignore && entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const rules = readIgnoreFile(join(dir, '.gitignore'));
      if (rules) localScopes = [...scopes, { base: relDir, matcher: ignore().add(rules) }];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = relDir ? `${relDir}/${entry.name}` : entry.name;
      const isDir = entry.isDirectory();
      if (excluded?.ignores(isDir ? path + '/' : path)) continue;
      const absolute = join(dir, entry.name);
      if (isDir) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || isIgnored(localScopes, path, true, precedence)) continue;
        await visit(absolute, path, localScopes);
      } else {
        onEntry({ absolute, path, name: entry.name, type: entryType(entry), ignored: isIgnored(localScopes, path, false, precedence) });
      }
    }
  };
  await visit(root, '', rootScopes);
}

/** The files a workspace scan reads: every regular file no ignore file or `exclude` pattern excludes. */
export async function walkFiles(root: string, options: WalkOptions, skipped: SkipNote[]): Promise<WalkedFile[]> {
  const files: WalkedFile[] = [];
  await walkTree(root, { exclude: options.exclude, ...(options.gitignore === undefined ? {} : { gitignore: options.gitignore }), ...(options.signal ? { signal: options.signal } : {}) }, skipped, (entry) => {
    if (entry.ignored) return;
    if (entry.type === 'file') {
      const file = { absolute: entry.absolute, path: entry.path };
      files.push(file);
      options.onFile?.(file);
    } else if (entry.type === 'symbolic link') {
      skipped.push({ path: entry.path, reason: 'symbolic link (not followed)' });
    } else {
      // Opening a FIFO would block the scan forever, and devices or sockets hold no source.
      skipped.push({ path: entry.path, reason: `not a regular file (${entry.type})` });
    }
  });
  return files;
}

function entryType(entry: { isFile(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isBlockDevice(): boolean; isCharacterDevice(): boolean }): TreeEntry['type'] {
  if (entry.isSymbolicLink()) return 'symbolic link';
  if (entry.isFile()) return 'file';
  if (entry.isFIFO()) return 'named pipe';
  if (entry.isSocket()) return 'socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'device';
  return 'unknown type';
}

export type FileText =
  | { kind: 'text'; text: string; note?: string }
  | { kind: 'skipped'; reason: string };

/** How many leading bytes decide "binary": what git itself looks at. */
const BINARY_SNIFF_BYTES = 8000;

/** Turns bytes into scannable text, or says why not. */
export function decodeFile(bytes: Buffer): FileText {
  const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
  if (sniff.includes(0)) return { kind: 'skipped', reason: 'binary file (NUL bytes)' };
  // Most source is ASCII, where Latin-1 decoding gives the same string as UTF-8 with a plain copy.
  if (isAscii(bytes)) return { kind: 'text', text: bytes.toString('latin1') };
  if (isUtf8(bytes)) {
    const text = bytes.toString('utf8');
    return { kind: 'text', text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  }
  // Secrets are ASCII: reading each byte as one character keeps them intact in a file that is
  // mostly text with some invalid sequences (Latin-1 files, truncated writes).
  return { kind: 'text', text: bytes.toString('latin1'), note: 'not valid UTF-8: scanned byte by byte' };
}

export async function readFileText(absolute: string, maxFileSize: number): Promise<FileText> {
  try {
    const info = await lstat(absolute);
    if (!info.isFile()) return { kind: 'skipped', reason: 'not a regular file' };
    if (info.size > maxFileSize) {
      return { kind: 'skipped', reason: `larger than ${formatBytes(maxFileSize)} (${formatBytes(info.size)}); raise maxFileSize to scan it` };
    }
    return decodeFile(await readFile(absolute));
  } catch (error) {
    return { kind: 'skipped', reason: `not readable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${bytes} B`;
}
