import { statSync } from 'node:fs';
import { resolve } from 'node:path';
// What the CLI writes and how it exits; shared by every command.

export const EXIT_OK = 0;
/** A finding at or above the --fail-on threshold remains. */
export const EXIT_FINDINGS = 1;
/** Bad arguments, unreadable config: the user must change the command. */
export const EXIT_USAGE = 2;
/** A bug or an environment failure the user cannot fix with other arguments. */
export const EXIT_INTERNAL = 3;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * By name, not instanceof: commands in dist/cli-commands.js carry their own copy of the class,
 * so an instanceof check in dist/cli.js would take their usage errors for crashes.
 */
export const isUsageError = (error: unknown): boolean => error instanceof Error && error.name === 'UsageError';

/** Writes a file the user named; a bad path is theirs to fix (exit 2), not a crash. */
export function writeUserFile(path: string, content: string, write: (path: string, content: string) => void): void {
  try {
    write(path, content);
  } catch (error) {
    throw new UsageError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Colour only for a terminal, and never when NO_COLOR is set or --no-color is given. */
  color: boolean;
}

/**
 * NO_COLOR (any non-empty value) and --no-color always win; FORCE_COLOR (not "0") turns colour on
 * when the output is not a terminal (CI logs that render ANSI, tests of the coloured output).
 */
export function wantsColor(noColorFlag: boolean, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (noColorFlag || (env.NO_COLOR ?? '') !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return isTTY && env.TERM !== 'dumb';
}

export function processOutput(noColorFlag: boolean): Output {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    color: wantsColor(noColorFlag, process.env, process.stdout.isTTY === true),
  };
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The one optional folder argument of a command (default: the current directory), as an absolute path. */
export function folderArgument(positionals: string[], tooMany: string): string {
  if (positionals.length > 1) throw new UsageError(tooMany);
  const root = resolve(positionals[0] ?? '.');
  if (!isDirectory(root)) throw new UsageError(`${root} is not a folder`);
  return root;
}
