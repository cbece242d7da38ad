import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

// Found without spawning git: SARIF is written on every scan, also where git is not installed,
// and a filesystem walk costs a few stat calls.

/** Whether `dir` holds a `.git` folder, or the `.git` file a worktree or submodule leaves (`gitdir: …`). */
function hasGitEntry(dir: string): boolean {
  const entry = join(dir, '.git');
  try {
    const stat = lstatSync(entry);
    if (stat.isDirectory()) return true;
    // A stray file named .git is not a checkout; only git's pointer file is.
    return stat.isFile() && readFileSync(entry, 'utf8').slice(0, 7) === 'gitdir:';
  } catch {
    return false;
  }
}

/** The top of the git working tree that contains `start` (an absolute folder), or undefined outside any. */
export function findRepositoryRoot(start: string): string | undefined {
  let dir = start;
  for (;;) {
    if (hasGitEntry(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The repository that contains `root` and where `root` lies inside it, in forward slashes ('' at
 * its top). Outside any repository, `root` itself (its real path) with no prefix.
 */
export function repositoryLocation(root: string): { repositoryRoot: string; prefix: string } {
  // Through symbolic links, as git sees it: a link to a subfolder is still that subfolder.
  let real = root;
  try {
    real = realpathSync(root);
  } catch {
    // unreadable: look from the path as given
  }
  const repositoryRoot = findRepositoryRoot(real) ?? real;
  return { repositoryRoot, prefix: relative(repositoryRoot, real).split('\\').join('/') };
}
