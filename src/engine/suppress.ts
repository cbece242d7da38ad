// Inline suppressions: `launch-ready-ignore` silences the line it is on,
// `launch-ready-ignore-next-line` the line after; either may name rule ids to silence only those:
//   const key = "…"; // launch-ready-ignore secret/jwt, secret/generic-credential

const MARKER = 'launch-ready-ignore';

/** Line number (1-based) → rule ids silenced there; an empty set silences every rule. */
export type Suppressions = Map<number, Set<string>>;

export function findSuppressions(text: string, lineOf: (offset: number) => number): Suppressions {
  const result: Suppressions = new Map();
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) {
    const nextLine = text.startsWith('-next-line', at + MARKER.length);
    const from = at + MARKER.length + (nextLine ? '-next-line'.length : 0);
    const lineEnd = text.indexOf('\n', from);
    const rest = text.slice(from, lineEnd === -1 ? Math.min(text.length, from + 500) : Math.min(lineEnd, from + 500));
    const ids = new Set(rest.match(/[a-z]+\/[a-z0-9-]+/g) ?? []);
    const line = lineOf(at) + (nextLine ? 1 : 0);
    const existing = result.get(line);
    if (existing && existing.size === 0) continue;
    result.set(line, ids.size === 0 || (existing && existing.size === 0) ? new Set() : new Set([...(existing ?? []), ...ids]));
  }
  return result;
}

export function isSuppressed(suppressions: Suppressions, line: number, ruleId: string): boolean {
  const ids = suppressions.get(line);
  return ids !== undefined && (ids.size === 0 || ids.has(ruleId));
}
