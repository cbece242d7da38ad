import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NotAGitRepositoryError } from './history';

// Installs `launch-ready scan --staged` as a git pre-commit hook without taking the hook over.
//
// - The hooks folder is the one git will run: `git rev-parse --git-path hooks` follows
//   core.hooksPath (a shared `.githooks/` folder) and linked worktrees.
// - Our part is a block between two marker lines, so install and uninstall find it again and both
//   are idempotent.
// - A shell hook already there keeps running: our block goes right after its `#!` line (it runs
//   first and stops the commit on findings; the rest of the script is untouched). A hook in
//   another language (Python, Node…) cannot hold shell lines, so it is moved aside to
//   `pre-commit.launch-ready-chained` and our hook runs it afterwards with the same arguments;
//   uninstall moves it back.

export const HOOK_BEGIN = '# >>> launch-ready pre-commit >>>';
export const HOOK_END = '# <<< launch-ready pre-commit <<<';
export const CHAINED_SUFFIX = '.launch-ready-chained';

const SHELL_SHEBANG = /^#!\s*(?:\/usr\/bin\/env\s+)?(?:\S*\/)?(?:sh|bash|dash|zsh|ksh|ash)(?:\s|$)/;

export interface HookLocation {
  dir: string;
  file: string;
}

export type HookInstallOutcome = 'created' | 'added' | 'chained' | 'updated' | 'unchanged';
export type HookUninstallOutcome = 'removed' | 'restored' | 'block-removed' | 'not-installed';

function git(root: string, args: string[]): { ok: boolean; stdout: string; missing: boolean } {
  const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  return { ok: result.status === 0, stdout: (result.stdout ?? '').trim(), missing: (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' };
}

/** Where git looks for the pre-commit hook of the repository containing `root`. */
export function hookLocation(root: string): HookLocation {
  const probe = git(root, ['rev-parse', '--is-inside-work-tree']);
  if (probe.missing) throw new NotAGitRepositoryError('hook needs git, and git was not found on PATH');
  if (!probe.ok || probe.stdout !== 'true') throw new NotAGitRepositoryError(`hook needs a git repository, and ${root} is not inside one`);
  // Relative results are relative to `root`; core.hooksPath may be absolute or relative to the top level.
  const dir = resolve(root, git(root, ['rev-parse', '--git-path', 'hooks']).stdout);
  return { dir, file: join(dir, 'pre-commit') };
}

/** Single-quotes a string for POSIX sh. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Our block. It prefers a `launch-ready` on PATH, then the project's own install, then the CLI
 * that ran `hook install` (`fallbackCli`), so the hook keeps working in a repository where the
 * CLI is a dev dependency, a global install or neither.
 */
export function hookBlock(fallbackCli: string | undefined): string {
  const fallback = fallbackCli ? `elif [ -f ${shellQuote(fallbackCli)} ]; then node ${shellQuote(fallbackCli)} "$@"\n  ` : '';
  return [
    HOOK_BEGIN,
    '# Added by `launch-ready hook install`; `launch-ready hook uninstall` removes it. Skip once with git commit --no-verify.',
    'launch_ready() {',
    '  if command -v launch-ready >/dev/null 2>&1; then launch-ready "$@"',
    '  elif [ -x node_modules/.bin/launch-ready ]; then node_modules/.bin/launch-ready "$@"',
    `  ${fallback}else echo "launch-ready pre-commit: launch-ready not found (npm install -D launch-ready); commit not checked" >&2; return 0`,
    '  fi',
    '}',
    'launch_ready scan --staged || exit $?',
    HOOK_END,
  ].join('\n');
}

function withoutBlock(text: string): { text: string; found: boolean } {
  const begin = text.indexOf(HOOK_BEGIN);
  if (begin === -1) return { text, found: false };
  const endMarker = text.indexOf(HOOK_END, begin);
  if (endMarker === -1) return { text, found: false };
  let end = endMarker + HOOK_END.length;
  if (text[end] === '\n') end++;
  return { text: text.slice(0, begin) + text.slice(end), found: true };
}

/** What install writes when there was no hook: removing our block from it leaves exactly this. */
const CREATED_PREFIX = '#!/bin/sh\n';

export function installHook(root: string, fallbackCli?: string): { outcome: HookInstallOutcome; location: HookLocation } {
  const location = hookLocation(root);
  const block = hookBlock(fallbackCli);
  mkdirSync(location.dir, { recursive: true });
  const existing = existsSync(location.file) ? readFileSync(location.file, 'utf8') : undefined;
  let outcome: HookInstallOutcome;
  let next: string;
  if (existing === undefined) {
    next = `${CREATED_PREFIX}${block}\n`;
    outcome = 'created';
  } else if (existing.includes(HOOK_BEGIN)) {
    // Already ours: refresh the block in place (a newer CLI path), which changes nothing the second time.
    const begin = existing.indexOf(HOOK_BEGIN);
    const end = existing.indexOf(HOOK_END, begin);
    next = end === -1 ? existing : existing.slice(0, begin) + block + existing.slice(end + HOOK_END.length);
    outcome = 'updated';
  } else if (existing.startsWith('#!') && !SHELL_SHEBANG.test(existing)) {
    const chained = location.file + CHAINED_SUFFIX;
    if (existsSync(chained)) throw new Error(`${chained} already exists; move it away before installing the hook`);
    renameSync(location.file, chained);
    next = `#!/bin/sh\n${block}\nexec "$(dirname "$0")/pre-commit${CHAINED_SUFFIX}" "$@"\n`;
    outcome = 'chained';
  } else {
    const newline = existing.indexOf('\n');
    const hasShebang = existing.startsWith('#!');
    next = hasShebang ? `${existing.slice(0, newline === -1 ? existing.length : newline)}\n${block}\n${newline === -1 ? '' : existing.slice(newline + 1)}` : `#!/bin/sh\n${block}\n${existing}`;
    outcome = 'added';
  }
  if (next !== existing) writeFileSync(location.file, next);
  else outcome = 'unchanged';
  chmodSync(location.file, 0o755);
  return { outcome, location };
}

export function uninstallHook(root: string): { outcome: HookUninstallOutcome; location: HookLocation } {
  const location = hookLocation(root);
  if (!existsSync(location.file)) return { outcome: 'not-installed', location };
  const existing = readFileSync(location.file, 'utf8');
  const { text, found } = withoutBlock(existing);
  if (!found) return { outcome: 'not-installed', location };
  const chained = location.file + CHAINED_SUFFIX;
  const execLine = `exec "$(dirname "$0")/pre-commit${CHAINED_SUFFIX}" "$@"`;
  if (existsSync(chained) && text.includes(execLine)) {
    rmSync(location.file);
    renameSync(chained, location.file);
    return { outcome: 'restored', location };
  }
  if (text === CREATED_PREFIX) {
    rmSync(location.file);
    return { outcome: 'removed', location };
  }
  writeFileSync(location.file, text);
  return { outcome: 'block-removed', location };
}
