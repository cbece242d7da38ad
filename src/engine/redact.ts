import { createHash } from 'node:crypto';

// The single place where a secret value is turned into something printable. Every sink (CLI text,
// JSON, SARIF, diagnostics, logs, docs) prints only what this returns, never the value itself.

/** Every this many characters of a value earn one shown character, up to MAX_SHOWN. */
const CHARS_PER_SHOWN = 8;
const MAX_SHOWN = 4;

/**
 * `ghp_…(40 chars)`. Without a public prefix, one character per 8 of length is shown, at most 4
 * (a 13-character password shows 1, a 20-character one 2, 32 or more 4): a short secret gives
 * away little. A rule that knows its token's documented, non-secret prefix (`sk_live_`, `ghp_`)
 * passes its length, and that prefix is shown in full as long as it is at most half the value,
 * so the prefix alone never shows most of a short match.
 */
export function redact(value: string, publicPrefix = 0): string {
  const points = [...value];
  const length = points.length;
  const byLength = Math.min(MAX_SHOWN, Math.floor(length / CHARS_PER_SHOWN));
  const prefix = publicPrefix > 0 && publicPrefix * 2 <= length ? publicPrefix : 0;
  const shown = Math.max(byLength, prefix);
  return `${points.slice(0, shown).join('')}…(${length} chars)`;
}

/**
 * A stable id for "this secret, found by this rule, in this file". Line numbers are left out so a
 * finding keeps its fingerprint when code moves around it; the value is hashed first so the
 * fingerprint can be stored in a committed baseline.
 */
export function fingerprint(ruleId: string, path: string, value: string): string {
  const valueHash = createHash('sha256').update(value).digest('hex');
  return createHash('sha256').update(`${ruleId}\0${path}\0${valueHash}`).digest('hex').slice(0, 32);
}
