import { createHash } from 'node:crypto';

// The single place where a secret value is turned into something printable. Every sink (CLI text,
// JSON, SARIF, diagnostics, logs, docs) prints only what this returns, never the value itself.

/**
 * `ghp_…(40 chars)`. Shows at most a quarter of the value and never more than `publicPrefix`
 * characters, where a rule knows its token's documented, non-secret prefix (`sk_live_`).
 */
export function redact(value: string, publicPrefix = 0): string {
  const length = [...value].length;
  const quarter = Math.floor(length / 4);
  const shown = Math.min(Math.max(publicPrefix, Math.min(4, quarter)), quarter);
  const prefix = [...value].slice(0, shown).join('');
  return `${prefix}…(${length} chars)`;
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
