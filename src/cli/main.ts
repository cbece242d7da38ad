import { EXIT_OK, EXIT_USAGE, processOutput, UsageError } from './io';
import { runScan } from './scan';
import { TOOL } from './tool';

const HELP = `launch-ready ${TOOL.version}: find what breaks a launch before customers do.

Usage: launch-ready <command> [options]

Commands:
  scan [paths…]     Find hardcoded secrets in the workspace (text, json or sarif)

Run \`launch-ready <command> --help\` for a command's options.
Global options: --version, --help, --no-color (or NO_COLOR=1).
`;

type Command = (argv: string[], io: ReturnType<typeof processOutput>) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  scan: runScan,
};

export async function main(argv: string[]): Promise<number> {
  const io = processOutput(argv.includes('--no-color'));
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(HELP);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    io.out(`${TOOL.version}\n`);
    return EXIT_OK;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`launch-ready: unknown command "${command}"\n\n${HELP}`);
    return EXIT_USAGE;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`launch-ready ${command}: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    io.err(`launch-ready ${command}: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_USAGE + 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`launch-ready: ${String(error)}\n`);
      process.exitCode = 3;
    },
  );
}
