import type { Finding, Fix, Range, TextEdit } from '../model';
import { expandAll } from './expand';
import { parseEnv, PositionIndex, toDotenvObject, type ParsedEnv } from './parse';

// Fixes are data (ranges and replacement text) so the editor's quick fixes and `launch-ready env
// --fix` apply the very same edits. A fix counts as safe only if the file reads the same after it:
// every fix is re-parsed and compared (keys, order, values, and values after dotenv-expand), and
// a "safe" fix that would change anything is demoted rather than trusted.

function offsetOf(index: PositionIndex, line: number, column: number): number {
  if (line > index.lineCount) return index.text.length;
  return Math.min(index.lineStart(line) + column - 1, index.text.length);
}

/** Applies non-overlapping edits (ranges refer to `text`). Throws on overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new PositionIndex(text);
  const spans = edits
    .map((edit) => ({ start: offsetOf(index, edit.range.startLine, edit.range.startColumn), end: offsetOf(index, edit.range.endLine, edit.range.endColumn), newText: edit.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let copied = 0;
  for (const span of spans) {
    if (span.start < copied || span.end < span.start) throw new Error('overlapping edits');
    out += text.slice(copied, span.start) + span.newText;
    copied = span.end;
  }
  return out + text.slice(copied);
}

/**
 * What an application reads from the text: dotenv's pairs, and the values after dotenv-expand.
 * Key order is not compared directly (process.env has none that matters), but it shapes the
 * expanded values, which are compared.
 */
export function readingOf(text: string, parsed: ParsedEnv = parseEnv(text)): string {
  const pairs = Object.entries(toDotenvObject(parsed));
  const expanded = [...expandAll(pairs)].map(([key, value]) => [key, value.value]);
  const byKey = (a: string[], b: string[]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return JSON.stringify([pairs.sort(byKey), expanded.sort(byKey)]);
}

export function readsTheSame(before: string, after: string): boolean {
  return readingOf(before) === readingOf(after);
}

/** Ranges as comparable numbers (columns stay far below 2^26 in any file we read). */
function pointKey(line: number, column: number): number {
  return line * 2 ** 26 + column;
}

/**
 * Edited spans so far, sorted by start, for overlap checks in O(log n). Two insertions at the
 * same point count as overlapping (their order would be ambiguous).
 */
class TakenSpans {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  overlaps(range: Range): boolean {
    const start = pointKey(range.startLine, range.startColumn);
    const end = pointKey(range.endLine, range.endColumn);
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    const before = lo - 1;
    if (before >= 0 && (this.ends[before] > start || this.starts[before] === start)) return true;
    if (lo < this.starts.length && (this.starts[lo] < end || this.starts[lo] === start)) return true;
    return false;
  }
  add(range: Range): void {
    const start = pointKey(range.startLine, range.startColumn);
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    this.starts.splice(lo, 0, start);
    this.ends.splice(lo, 0, pointKey(range.endLine, range.endColumn));
  }
}

/** Characters re-parsed while verifying one file's fixes one by one; beyond it they are checked together. */
const VERIFY_BUDGET = 2_000_000;

/** A set of fixes whose edits do not overlap, taking each finding's first safe fix in order. */
function nonOverlapping(fixes: readonly Fix[]): { chosen: Fix[]; left: Fix[] } {
  const chosen: Fix[] = [];
  const left: Fix[] = [];
  const taken = new TakenSpans();
  for (const fix of fixes) {
    // A fix's own edits may touch each other; only overlap with other fixes matters.
    if (fix.edits.some((e) => taken.overlaps(e.range))) {
      left.push(fix);
      continue;
    }
    chosen.push(fix);
    for (const edit of fix.edits) taken.add(edit.range);
  }
  return { chosen, left };
}

function applies(text: string, fixes: readonly Fix[]): string | undefined {
  try {
    return applyEdits(text, fixes.flatMap((f) => f.edits));
  } catch {
    return undefined;
  }
}

/**
 * Marks each fix safe only if applying it leaves the reading unchanged. Fixes that claimed
 * safety but fail the check stay available as ordinary (unsafe) quick fixes. Each fix is checked
 * alone when that is affordable; in a large file with many fixes they are checked together (all
 * stay safe only if the combination reads the same), and any that overlap are demoted.
 */
export function verifyFixes(text: string, findings: Finding[], parsed?: ParsedEnv): void {
  const claimed = findings.flatMap((f) => (f.fixes ?? []).filter((fix) => fix.safe));
  if (claimed.length === 0) return;
  const reading = readingOf(text, parsed);
  if (claimed.length * Math.max(text.length, 1) <= VERIFY_BUDGET) {
    for (const fix of claimed) {
      const after = applies(text, [fix]);
      if (after === undefined || readingOf(after) !== reading) fix.safe = false;
    }
    return;
  }
  const { chosen, left } = nonOverlapping(claimed);
  for (const fix of left) fix.safe = false;
  const after = applies(text, chosen);
  if (after === undefined || readingOf(after) !== reading) for (const fix of chosen) fix.safe = false;
}

/**
 * Applies every safe fix that does not overlap an earlier one, then re-checks the whole result;
 * if the combination changed the reading (fixes that are safe alone but not together), it falls
 * back to applying them one by one, keeping each only if the reading is still the same.
 */
export function applySafeFixes(text: string, findings: readonly Finding[]): { text: string; applied: number } {
  const { chosen } = nonOverlapping(findings.map((f) => f.fixes?.find((fix) => fix.safe)).filter((f): f is Fix => f !== undefined));
  if (chosen.length === 0) return { text, applied: 0 };
  const reading = readingOf(text);
  const all = applyEdits(text, chosen.flatMap((f) => f.edits));
  if (readingOf(all) === reading) return { text: all, applied: chosen.length };
  // Slow path: one at a time; ranges refer to the original text, so edits are re-based by
  // applying the accepted set each time from the original.
  const accepted: Fix[] = [];
  if (chosen.length * Math.max(text.length, 1) > VERIFY_BUDGET) return { text, applied: 0 };
  for (const fix of chosen) {
    const candidate = applyEdits(text, [...accepted, fix].flatMap((f) => f.edits));
    if (readingOf(candidate) === reading) accepted.push(fix);
  }
  return { text: applyEdits(text, accepted.flatMap((f) => f.edits)), applied: accepted.length };
}
