// Reads `git log -p -U0` output one line at a time and reports what each commit ADDED, file by
// file, with each added line's number in the new file. Pure and incremental so the history scan
// can feed it a stream and never hold a whole log (or a whole commit) in memory.

/** The line that starts each commit's header, as `git log --format=` prints it (see history.ts). */
export const COMMIT_MARKER = '\u0000commit ';

export interface PatchEvents {
  /** A new commit starts; everything until the next call belongs to it. */
  commit(hash: string, timestamp: number): void;
  /** A file's section starts within the current commit. */
  file(path: string): void;
  /** A line the commit added to the current file, with its 1-based line number in the new file. */
  added(line: string, lineNumber: number): void;
  /** git printed "Binary files … differ": the current file's content is not in the patch. */
  binary(path: string): void;
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Undoes git's C-style quoting of unusual paths (`"a/tab\there"`, octal bytes for non-ASCII when
 * core.quotePath is on) so paths in findings match the paths people see.
 */
export function unquoteGitPath(quoted: string): string {
  if (!quoted.startsWith('"')) return quoted;
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 1; i < quoted.length; i++) {
    const ch = quoted[i];
    if (ch === '"') break;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = quoted[++i];
    if (next !== undefined && /[0-7]/.test(next)) {
      bytes.push(parseInt(quoted.slice(i, i + 3), 8) & 0xff);
      i += 2;
    } else if (next !== undefined) {
      bytes.push(simple[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The path in `diff --git a/P b/P`. With --no-renames both sides name the same file, so the
 * unquoted form splits exactly in half however many spaces P holds.
 */
export function pathFromDiffHeader(header: string): string | undefined {
  const rest = header.slice('diff --git '.length);
  if (rest.startsWith('"')) {
    const close = findClosingQuote(rest);
    return close === -1 ? undefined : stripSide(unquoteGitPath(rest.slice(0, close + 1)));
  }
  if (rest.length % 2 === 0) return undefined;
  const half = (rest.length - 1) / 2;
  return stripSide(rest.slice(0, half));
}

function findClosingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function stripSide(path: string): string {
  return path.startsWith('a/') || path.startsWith('b/') ? path.slice(2) : path;
}

export class PatchParser {
  private oldRemaining = 0;
  private newRemaining = 0;
  private nextLine = 0;
  private path: string | undefined;

  constructor(private readonly events: PatchEvents) {}

  /** Feeds one line of output, without its line ending. */
  push(line: string): void {
    // Inside a hunk the header's counts say exactly how many lines belong to it, so an added line
    // that itself reads "+++ b/x" or "diff --git" can never be mistaken for a header.
    if (this.oldRemaining > 0 || this.newRemaining > 0) {
      const kind = line.charCodeAt(0);
      if (kind === 43 /* + */ && this.newRemaining > 0) {
        this.newRemaining--;
        if (this.path !== undefined) this.events.added(line.slice(1), this.nextLine);
        this.nextLine++;
        return;
      }
      if (kind === 45 /* - */ && this.oldRemaining > 0) {
        this.oldRemaining--;
        return;
      }
      if (kind === 32 /* space: context, only if someone overrides -U0 */ && this.newRemaining > 0 && this.oldRemaining > 0) {
        this.newRemaining--;
        this.oldRemaining--;
        this.nextLine++;
        return;
      }
      if (kind === 92 /* \ No newline at end of file */) return;
      // Anything else means the counts and the text disagree: resynchronise on headers.
      this.oldRemaining = 0;
      this.newRemaining = 0;
    }
    if (line.startsWith(COMMIT_MARKER)) {
      const [hash, timestamp] = line.slice(COMMIT_MARKER.length).split(' ');
      this.path = undefined;
      this.events.commit(hash, Number(timestamp) || 0);
      return;
    }
    if (line.startsWith('diff --git ')) {
      this.path = pathFromDiffHeader(line);
      if (this.path !== undefined) this.events.file(this.path);
      return;
    }
    if (line.startsWith('+++ ')) {
      // Deleted files have no added lines; for the rest the +++ line agrees with the diff header.
      if (line === '+++ /dev/null') this.path = undefined;
      return;
    }
    if (line.startsWith('Binary files ') && this.path !== undefined) {
      this.events.binary(this.path);
      return;
    }
    if (line.startsWith('@@ ')) {
      const match = HUNK_HEADER.exec(line);
      if (!match) return;
      this.oldRemaining = match[1] === undefined ? 1 : Number(match[1]);
      this.nextLine = Number(match[2]);
      this.newRemaining = match[3] === undefined ? 1 : Number(match[3]);
    }
  }
}
