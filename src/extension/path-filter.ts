import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

// Which files of a folder the editor leaves alone, answered the way the CLI's walker answers it
// (.gitignore files along the path, .git/info/exclude, configured excludes, dependency folders),
// so that a file skipped by `launch-ready scan` is not flagged while typing either. A git-ignored
// `.env` holding real values is where secrets belong, not a finding.

const NEVER_SCANNED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules']);

export class PathFilter {
  private readonly perDirectory = new Map<string, Ignore | null>();
  private readonly rootRules: Ignore[] = [];

  private readonly excludeRules: Ignore | undefined;

  constructor(private readonly root: string, exclude: readonly string[]) {
    if (exclude.length > 0) this.excludeRules = ignore().add([...exclude]);
    const info = readText(join(root, '.git', 'info', 'exclude'));
    if (info) this.rootRules.push(ignore().add(info));
  }

  /** Excluded by configuration or inside a dependency/VCS folder: never checked at all. */
  excludes(path: string): boolean {
    if (path.split('/').slice(0, -1).some((part) => NEVER_SCANNED_DIRS.has(part))) return true;
    return this.excludeRules?.ignores(path) ?? false;
  }

  /** `path` is folder-relative with forward slashes. */
  ignores(path: string): boolean {
    if (this.excludes(path)) return true;
    return this.gitIgnores(path);
  }

  /** Ignored by git's ignore files (not by configuration). */
  gitIgnores(path: string): boolean {
    const parts = path.split('/');
    if (this.rootRules.some((rules) => rules.ignores(path))) return true;
    for (let depth = 0; depth < parts.length; depth++) {
      const dir = parts.slice(0, depth).join('/');
      const rules = this.rulesIn(dir);
      if (rules && rules.ignores(parts.slice(depth).join('/'))) return true;
    }
    return false;
  }

  private rulesIn(dir: string): Ignore | null {
    let rules = this.perDirectory.get(dir);
    if (rules === undefined) {
      const text = readText(join(this.root, dir, '.gitignore'));
      rules = text ? ignore().add(text) : null;
      this.perDirectory.set(dir, rules);
    }
    return rules;
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
