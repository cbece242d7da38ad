// `${VAR}`, `${VAR:-default}`, `${VAR:+alt}`, `$VAR` expansion as dotenv-expand (v13) applies it
// to dotenv's result, so the linter knows what the application really reads. Two deliberate
// differences, both for safety when reading untrusted workspaces:
//  - nothing is executed: `$(…)` is text (dotenvx and some expanders run it as a command);
//  - the machine's own environment is not consulted (the file alone decides), only a key's own
//    entries count (not `constructor`, `toString`… inherited by a plain JS object), and runaway
//    expansion (a reference bomb) stops at MAX_EXPANDED_LENGTH / MAX_STEPS with `truncated` set.

export const MAX_EXPANDED_LENGTH = 1 << 20;
const MAX_STEPS = 10_000;
/** Characters searched across all steps of one value: bounds the work even when each step is big. */
const MAX_WORK = 1 << 24;

export interface ExpandedValue {
  value: string;
  /** Expansion stopped early because the value grew past the limit. */
  truncated: boolean;
  /** Names referenced (`$NAME`, `${NAME…}`) that no earlier key defines, in order of appearance. */
  undefinedReferences: string[];
}

interface Reference {
  start: number;
  end: number;
  expression: string;
}

/** The first `${…}` (no braces inside) or `$NAME` not directly preceded by a backslash. */
export function findReference(text: string, from = 0): Reference | undefined {
  for (let i = text.indexOf('$', from); i !== -1; i = text.indexOf('$', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 92) continue;
    const next = text.charCodeAt(i + 1);
    if (next === 123) {
      let j = i + 2;
      while (j < text.length && text.charCodeAt(j) !== 123 && text.charCodeAt(j) !== 125) j++;
      if (j < text.length && text.charCodeAt(j) === 125 && j > i + 2) return { start: i, end: j + 1, expression: text.slice(i + 2, j) };
      continue;
    }
    if (isNameStart(next)) {
      let j = i + 2;
      while (j < text.length && isNameChar(text.charCodeAt(j))) j++;
      return { start: i, end: j, expression: text.slice(i + 1, j) };
    }
  }
  return undefined;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** The leftmost of `:+`, `+`, `:-`, `-` in the expression (dotenv-expand's operator choice). */
function findOperator(expression: string): string | undefined {
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '+' || c === '-') return c;
    if (c === ':' && (expression[i + 1] === '+' || expression[i + 1] === '-')) return ':' + expression[i + 1];
  }
  return undefined;
}

/**
 * `String.prototype.replace` with a string pattern treats `$$`, `$&`, `` $` `` and `$'` in the
 * replacement specially; dotenv-expand passes values as replacements, so `pa$$word` loses a `$`.
 */
function replaceFirst(text: string, pattern: string, replacement: string): string {
  const at = text.indexOf(pattern);
  if (at === -1) return text;
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c !== '$' || i + 1 >= replacement.length) {
      out += c;
      continue;
    }
    const next = replacement[i + 1];
    if (next === '$') out += '$';
    else if (next === '&') out += pattern;
    else if (next === '`') out += text.slice(0, at);
    else if (next === "'") out += text.slice(at + pattern.length);
    else {
      out += c;
      continue;
    }
    i++;
  }
  return text.slice(0, at) + out + text.slice(at + pattern.length);
}

function expandOne(value: string, known: ReadonlyMap<string, string>, undefinedReferences: string[]): { value: string; truncated: boolean } {
  let result = value;
  const seen = new Set<string>();
  let work = 0;
  for (let step = 0; step < MAX_STEPS; step++) {
    work += result.length;
    if (work > MAX_WORK) return { value: result, truncated: true };
    const reference = findReference(result);
    if (!reference) return { value: result, truncated: false };
    seen.add(result);
    const template = result.slice(reference.start, reference.end);
    const operator = findOperator(reference.expression);
    // dotenv-expand splits on the operator, or on the string "null" when there is none (it
    // passes `null` to String.prototype.split); reproduced so `${nullable}` reads as it does there.
    const splitter = operator ?? 'null';
    const parts = reference.expression.split(splitter);
    const key = parts.shift() ?? '';
    const current = known.get(key);
    let replacement: string;
    if (operator === ':+' || operator === '+') {
      replacement = current ? parts.join(splitter) : '';
    } else {
      replacement = current ? (seen.has(current) ? parts.join(splitter) : current) : parts.join(splitter);
      if (!known.has(key) && key !== '' && !undefinedReferences.includes(key)) undefinedReferences.push(key);
    }
    result = replaceFirst(result, template, replacement);
    if (result.length > MAX_EXPANDED_LENGTH) return { value: result.slice(0, MAX_EXPANDED_LENGTH), truncated: true };
    if (result === known.get(key)) return { value: result, truncated: false };
  }
  return { value: result, truncated: true };
}

function resolveEscapedDollars(value: string): string {
  return value.includes('\\$') ? value.split('\\$').join('$') : value;
}

/**
 * Expands every value of dotenv's result in its key order, each seeing only the keys before it
 * (dotenv-expand's progressive expansion). `entries` is the dotenv object as [key, value] pairs.
 */
export function expandAll(entries: ReadonlyArray<readonly [string, string]>): Map<string, ExpandedValue> {
  const known = new Map<string, string>();
  const out = new Map<string, ExpandedValue>();
  for (const [key, raw] of entries) {
    const undefinedReferences: string[] = [];
    const { value, truncated } = expandOne(raw, known, undefinedReferences);
    const resolved = resolveEscapedDollars(value);
    out.set(key, { value: resolved, truncated, undefinedReferences });
    known.set(key, resolved);
  }
  return out;
}
