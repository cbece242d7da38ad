// What the CLI writes and how it exits; shared by every command.

export const EXIT_OK = 0;
/** A finding at or above the --fail-on threshold remains. */
export const EXIT_FINDINGS = 1;
/** Bad arguments, unreadable config: the user must change the command. */
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Colour only for a terminal, and never when NO_COLOR is set or --no-color is given. */
  color: boolean;
}

export function processOutput(noColorFlag: boolean): Output {
  const color = !noColorFlag && !process.env.NO_COLOR && process.stdout.isTTY === true && process.env.TERM !== 'dumb';
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    color,
  };
}
