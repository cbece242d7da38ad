import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { NotAGitRepositoryError } from '../engine/git/history';
import { installHook, uninstallHook, type HookInstallOutcome, type HookUninstallOutcome } from '../engine/git/hooks';
import { EXIT_OK, UsageError, type Output } from './io';

export const HOOK_HELP = `Usage: launch-ready hook install|uninstall [options]

Runs \`launch-ready scan --staged\` before every commit: a commit that adds a secret at or above
high is stopped (skip once with \`git commit --no-verify\`).

  install     Add the check to the repository's pre-commit hook (in core.hooksPath when set).
              An existing shell hook keeps its content (the check is added after its #! line);
              a hook in another language is kept and run after the check.
  uninstall   Remove only what install added (and put a chained hook back).

Both are idempotent: running either twice changes nothing the second time.

Options:
  --root DIR    A folder inside the repository (default: current directory)
  --no-color    No colours (also: NO_COLOR=1)
  -h, --help    This help

Exit codes: 0 done (or nothing to do), 2 not a git repository or bad arguments, 3 internal error.
`;

const INSTALLED: Record<HookInstallOutcome, string> = {
  created: 'created the pre-commit hook',
  added: 'added the check to the existing pre-commit hook',
  chained: 'installed the pre-commit hook; the existing one runs after it',
  updated: 'updated the check in the pre-commit hook',
  unchanged: 'the pre-commit hook already runs the check',
};

const UNINSTALLED: Record<HookUninstallOutcome, string> = {
  removed: 'removed the pre-commit hook',
  restored: 'removed the check and put the original pre-commit hook back',
  'block-removed': 'removed the check from the pre-commit hook (the rest is untouched)',
  'not-installed': 'the pre-commit hook does not run the check: nothing to remove',
};

export async function runHook(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      root: { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(HOOK_HELP);
    return EXIT_OK;
  }
  const [action, ...extra] = positionals;
  if (action !== 'install' && action !== 'uninstall') throw new UsageError(action === undefined ? 'say install or uninstall' : `unknown action "${action}" (install or uninstall)`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const root = resolve(values.root ?? '.');
  try {
    if (action === 'install') {
      const { outcome, location } = installHook(root, require.main?.filename);
      io.out(`${INSTALLED[outcome]}: ${location.file}\n`);
    } else {
      const { outcome, location } = uninstallHook(root);
      io.out(`${UNINSTALLED[outcome]}: ${location.file}\n`);
    }
  } catch (error) {
    if (error instanceof NotAGitRepositoryError) throw new UsageError(error.message);
    throw error;
  }
  return EXIT_OK;
}
