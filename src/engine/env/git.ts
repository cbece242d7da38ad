import { execFile } from 'node:child_process';

// git's own answers about env files: whether a path is ignored (`check-ignore`, which knows every
// .gitignore, info/exclude and core.excludesFile), tracked (`ls-files`), or was ever committed
// (`log`). Each call has a timeout; outside a repository or without git every answer is
// "unknown" and the caller falls back to reading .gitignore itself.

const TIMEOUT_MS = 15_000;
const MAX_BUFFER = 32 * 1024 * 1024;
const CHUNK = 200;

interface GitResult {
  code: number;
  stdout: string;
}

function git(cwd: string, args: string[], input?: string): Promise<GitResult | undefined> {
  return new Promise((resolve) => {
    const child = execFile('git', ['-c', 'core.quotePath=false', ...args], { cwd, timeout: TIMEOUT_MS, maxBuffer: MAX_BUFFER, windowsHide: true, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } }, (error, stdout) => {
      if (error && typeof (error as { code?: unknown }).code !== 'number') return resolve(undefined);
      resolve({ code: error ? Number((error as { code?: unknown }).code) : 0, stdout: String(stdout) });
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

function literal(path: string): string {
  return `:(literal)${path}`;
}

export interface GitFacts {
  /** Paths (root-relative) git ignores. */
  ignored: Set<string>;
  /** Paths (root-relative) git tracks. */
  tracked: Set<string>;
}

export class GitRepository {
  private constructor(
    private readonly root: string,
    /** The root's path inside the repository (`apps/web/`), '' at the top. */
    private readonly prefix: string,
  ) {}

  static async open(root: string): Promise<GitRepository | undefined> {
    const result = await git(root, ['rev-parse', '--is-inside-work-tree', '--show-prefix']);
    if (!result || result.code !== 0) return undefined;
    const [inside, prefix = ''] = result.stdout.split('\n');
    if (inside.trim() !== 'true') return undefined;
    return new GitRepository(root, prefix.trim());
  }

  /** Root-relative paths git would ignore (whether or not they are tracked). */
  async ignored(paths: readonly string[]): Promise<Set<string> | undefined> {
    const out = new Set<string>();
    for (let i = 0; i < paths.length; i += CHUNK) {
      const chunk = paths.slice(i, i + CHUNK);
      const result = await git(this.root, ['check-ignore', '--no-index', '--stdin', '-z'], chunk.join('\0') + '\0');
      if (!result || (result.code !== 0 && result.code !== 1)) return undefined;
      for (const path of result.stdout.split('\0')) if (path) out.add(path);
    }
    return out;
  }

  async tracked(paths: readonly string[]): Promise<Set<string> | undefined> {
    const out = new Set<string>();
    for (let i = 0; i < paths.length; i += CHUNK) {
      const chunk = paths.slice(i, i + CHUNK);
      const result = await git(this.root, ['ls-files', '-z', '--full-name', '--', ...chunk.map(literal)]);
      if (!result || result.code !== 0) return undefined;
      for (const full of result.stdout.split('\0')) if (full) out.add(this.relative(full));
    }
    return out;
  }

  /** Every commit (any branch) that added a `.env*` file, newest first, with the root-relative path. */
  async envFileAdditions(): Promise<{ commit: string; path: string }[] | undefined> {
    const result = await git(this.root, ['log', '--all', '--diff-filter=A', '--no-renames', '--format=%x01%H', '--name-only', '--', ':(glob)**/.env', ':(glob)**/.env.*']);
    if (!result || result.code !== 0) return undefined;
    const additions: { commit: string; path: string }[] = [];
    let commit = '';
    for (const line of result.stdout.split('\n')) {
      if (line.startsWith('\u0001')) commit = line.slice(1).trim();
      else if (line.trim() && commit && line.startsWith(this.prefix)) additions.push({ commit, path: this.relative(line.trim()) });
    }
    return additions;
  }

  private relative(full: string): string {
    return this.prefix && full.startsWith(this.prefix) ? full.slice(this.prefix.length) : full;
  }
}
