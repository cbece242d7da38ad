import type { Finding, Fix, Range, TextEdit } from '../model';
import { expandAll } from './expand';
import { parseEnv, PositionIndex, toDotenvObject } from './parse';

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
export function readingOf(text: string): string {
  const pairs = Object.entries(toDotenvObject(parseEnv(text)));
  const expanded = [...expandAll(pairs)].map(([key, value]) => [key, value.value]);
  const byKey = (a: string[], b: string[]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return JSON.stringify([pairs.sort(byKey), expanded.sort(byKey)]);
}

export function readsTheSame(before: string, after: string): boolean {
  return readingOf(before) === readingOf(after);
}

function spansOverlap(a: Range, b: Range): boolean {
  const before = (x: Range, y: Range) => x.endLine < y.startLine || (x.endLine === y.startLine && x.endColumn <= y.startColumn);
  // Two insertions at the same point would be ambiguous too.
  const same = a.startLine === b.startLine && a.startColumn === b.startColumn;
  return same || !(before(a, b) || before(b, a));
}

/**
 * Marks each fix safe only if applying it alone leaves the reading unchanged. Fixes that claimed
 * safety but fail the check stay available as ordinary (unsafe) quick fixes.
 */
export function verifyFixes(text: string, findings: Finding[]): void {
  let reading: string | undefined;
  for (const finding of findings) {
    for (const fix of finding.fixes ?? []) {
      if (!fix.safe) continue;
      reading ??= readingOf(text);
      let after: string;
      try {
        after = applyEdits(text, fix.edits);
      } catch {
        fix.safe = false;
        continue;
      }
      if (readingOf(after) !== reading) fix.safe = false;
    }
  }
}

/**
 * Applies every safe fix that does not overlap an earlier one, then re-checks the whole result;
 * if the combination changed the reading (fixes that are safe alone but not together), it falls
 * back to applying them one by one, keeping each only if the reading is still the same.
 */
export function applySafeFixes(text: string, findings: readonly Finding[]): { text: string; applied: number } {
  const chosen: Fix[] = [];
  const taken: Range[] = [];
  for (const finding of findings) {
    const fix = finding.fixes?.find((f) => f.safe);
    if (!fix) continue;
    if (fix.edits.some((e) => taken.some((t) => spansOverlap(e.range, t)))) continue;
    chosen.push(fix);
    taken.push(...fix.edits.map((e) => e.range));
  }
  if (chosen.length === 0) return { text, applied: 0 };
  const reading = readingOf(text);
  const all = applyEdits(text, chosen.flatMap((f) => f.edits));
  if (readingOf(all) === reading) return { text: all, applied: chosen.length };
  // Slow path: one at a time; ranges refer to the original text, so edits are re-based by
  // applying the accepted set each time from the original.
  const accepted: Fix[] = [];
  for (const fix of chosen) {
    const candidate = applyEdits(text, [...accepted, fix].flatMap((f) => f.edits));
    if (readingOf(candidate) === reading) accepted.push(fix);
  }
  return { text: applyEdits(text, accepted.flatMap((f) => f.edits)), applied: accepted.length };
}
