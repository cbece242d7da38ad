import { EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, isUsageError, processOutput, type Output } from './io';
import { TOOL } from './tool';

// Commands are loaded when run: the CLI's start-up is part of every scan's cost (a pre-commit
// hook pays it on each commit), and `scan` should not evaluate the HTTP client or YAML parser.
// The bundle keeps the secret commands in dist/cli.js and the rest in dist/cli-commands.js.
const lazy =
  <K extends string>(load: () => Promise<Record<K, CommandRunner>>, name: K): CommandRunner =>
  async (argv, io) =>
    (await load())[name](argv, io);

export type CommandRunner = (argv: string[], io: Output) => Promise<number>;

export interface Command {
  /** `name [args…]` as shown in the command list. */
  synopsis: string;
  summary: string;
  run: CommandRunner;
}

/** Every subcommand. A new command is one entry here; help and dispatch follow from it. */
export const COMMANDS: Record<string, Command> = {
  scan: {
    synopsis: 'scan [paths…] [--staged]',
    summary: 'Find hardcoded secrets in the workspace or its git history (text, json or sarif)',
    run: lazy(() => import('./scan.js'), 'runScan'),
  },
  baseline: {
    synopsis: 'baseline [paths…]',
    summary: 'Accept the current findings: later scans report only new ones',
    run: lazy(() => import('./baseline.js'), 'runBaseline'),
  },
  hook: { synopsis: 'hook install|uninstall', summary: 'Run `scan --staged` before every git commit (respects existing hooks and core.hooksPath)', run: lazy(() => import('./hook.js'), 'runHook') },
  env: { synopsis: 'env [dir]', summary: 'Check .env files: dotenv parsing, git exposure, example parity, production settings (--fix)', run: lazy(() => import('./commands.js'), 'runEnv') },
  init: { synopsis: 'init [dir] [--force]', summary: 'Write a commented starter launch.yaml from what the workspace already says', run: lazy(() => import('./commands.js'), 'runInit') },
  docs: { synopsis: 'docs [dir] [--out DIR]', summary: 'Write RUNBOOK.md and HANDOVER.md from launch.yaml and the last audit', run: lazy(() => import('./commands.js'), 'runDocs') },
  spf: { synopsis: 'spf <domain> --ip <addr>', summary: 'Evaluate SPF for one sending IP as a receiver would (RFC 7208 check_host)', run: lazy(() => import('./commands.js'), 'runSpf') },
  audit: { synopsis: 'audit [dir]', summary: 'Run every check (launch.yaml, secrets, env, DNS, email, HTTPS): readiness per stage, what to fix first', run: lazy(() => import('./commands.js'), 'runAuditCommand') },
};

export function mainHelp(): string {
  const entries = Object.values(COMMANDS);
  const width = Math.max(...entries.map((c) => c.synopsis.length)) + 2;
  return `launch-ready ${TOOL.version}: find what breaks a launch before customers do.

Usage: launch-ready <command> [options]

Commands:
${entries.map((c) => `  ${c.synopsis.padEnd(width)}${c.summary}`).join('\n')}

Run \`launch-ready <command> --help\` (or \`launch-ready help <command>\`) for a command's options.
Global options: --version, --help, --no-color (or NO_COLOR=1; FORCE_COLOR=1 forces colour).
Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or configuration error, 3 internal error.
`;
}

export async function main(argv: string[], io: Output = processOutput(argv.includes('--no-color'))): Promise<number> {
  const [first, ...rest] = argv;
  let command = first;
  let args = rest;
  if (command === 'help' && rest.length > 0) {
    command = rest[0];
    args = ['--help'];
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    // Bare `launch-ready` is a mistake worth a non-zero exit; asking for help is not.
    (command === undefined ? io.err : io.out)(mainHelp());
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === '--version' || command === '-v' || command === '-V') {
    io.out(`${TOOL.version}\n`);
    return EXIT_OK;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!entry) {
    io.err(`launch-ready: unknown command "${command}"\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
  try {
    return await entry.run(args, io);
  } catch (error) {
    if (isUsageError(error) || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`launch-ready ${command}: ${(error as Error).message}\nRun \`launch-ready ${command} --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    io.err(`launch-ready ${command}: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`launch-ready: ${String(error)}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}
