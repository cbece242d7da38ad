import type { Range } from '../model';

/**
 * What ends a line. `'lf'`: only `\n` (what the secrets scan has always reported; a `\r` stays
 * part of its line). `'lf-crlf-cr'`: `\r\n`, `\n` and a lone `\r` each end one line, as editors
 * count them (the dotenv reader, whose ranges the editor shows and `--fix` edits).
 */
export type LineTerminators = 'lf' | 'lf-crlf-cr';

/** Offsets ↔ 1-based line and column (UTF-16 units, end exclusive). */
export class LineIndex {
  readonly starts: number[] = [0];
  constructor(
    readonly text: string,
    terminators: LineTerminators = 'lf',
  ) {
    if (terminators === 'lf') {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  get lineCount(): number {
    return this.starts.length;
  }
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  column(offset: number): number {
    return offset - this.starts[this.line(offset) - 1] + 1;
  }
  lineStart(line: number): number {
    return this.starts[line - 1];
  }
  /** Offset just before the line's terminator (a `\r` right before a `\n` counts as part of it). */
  lineEnd(line: number): number {
    if (line >= this.starts.length) return this.text.length;
    let end = this.starts[line];
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
  position(offset: number): { line: number; column: number } {
    const line = this.line(offset);
    return { line, column: offset - this.starts[line - 1] + 1 };
  }
  range(start: number, end: number): Range {
    const a = this.position(start);
    const b = this.position(end);
    return { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
  }
}
