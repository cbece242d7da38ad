import { nibbles, type ParsedIp } from '../ip';

// SPF macros (RFC 7208 §7): parsed once for syntax checks with positions, expanded during check_host().

export type MacroPart =
  | { kind: 'literal'; text: string }
  | { kind: 'escape'; text: '%' | ' ' | '%20' }
  | { kind: 'macro'; letter: string; urlEscape: boolean; keep: number | undefined; reverse: boolean; delimiters: string; start: number; end: number };

export interface MacroSyntaxError {
  message: string;
  /** Offset within the parsed string. */
  start: number;
  end: number;
}

const LETTERS = 'slodiphcrtv';
/** Only meaningful when a message is being explained, so only allowed in exp= text. */
const EXPLANATION_ONLY = 'crt';
const DELIMITERS = '.-+,/_=';

export interface MacroParseOptions {
  /** exp= TXT text: spaces allowed and the c, r, t letters too. */
  explanation?: boolean;
}

export function parseMacroString(text: string, options: MacroParseOptions = {}): { parts: MacroPart[]; error?: MacroSyntaxError } {
  const parts: MacroPart[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push({ kind: 'literal', text: literal });
    literal = '';
  };
  for (let index = 0; index < text.length; ) {
    const char = text[index];
    const code = char.charCodeAt(0);
    if (char !== '%') {
      const visible = code >= 0x21 && code <= 0x7e;
      if (!visible && !(options.explanation && char === ' ')) {
        return { parts, error: { message: `character ${describeChar(char)} is not allowed here`, start: index, end: index + 1 } };
      }
      literal += char;
      index++;
      continue;
    }
    const next = text[index + 1];
    if (next === '%' || next === '_' || next === '-') {
      flush();
      parts.push({ kind: 'escape', text: next === '%' ? '%' : next === '_' ? ' ' : '%20' });
      index += 2;
      continue;
    }
    if (next !== '{') return { parts, error: { message: 'a "%" must start a macro ("%{…}") or be written "%%"', start: index, end: index + 2 } };
    const close = text.indexOf('}', index + 2);
    if (close < 0) return { parts, error: { message: 'macro is not closed with "}"', start: index, end: text.length } };
    const body = text.slice(index + 2, close);
    const parsed = parseMacroBody(body, options);
    if (typeof parsed === 'string') return { parts, error: { message: parsed, start: index, end: close + 1 } };
    flush();
    parts.push({ ...parsed, start: index, end: close + 1 });
    index = close + 1;
  }
  flush();
  return { parts };
}

function parseMacroBody(body: string, options: MacroParseOptions): Omit<Extract<MacroPart, { kind: 'macro' }>, 'start' | 'end'> | string {
  const letter = body[0];
  if (letter === undefined || !LETTERS.includes(letter.toLowerCase())) return `unknown macro letter "${letter ?? ''}"`;
  if (!options.explanation && EXPLANATION_ONLY.includes(letter.toLowerCase())) return `macro %{${letter}} is only allowed in exp= explanation text`;
  let position = 1;
  let digits = '';
  while (position < body.length && body[position] >= '0' && body[position] <= '9') digits += body[position++];
  let reverse = false;
  if (body[position] === 'r' || body[position] === 'R') {
    reverse = true;
    position++;
  }
  const delimiters = body.slice(position);
  for (const delimiter of delimiters) if (!DELIMITERS.includes(delimiter)) return `"${delimiter}" is not a macro delimiter (use one of ${DELIMITERS})`;
  let keep: number | undefined;
  if (digits) {
    keep = Number(digits);
    if (keep === 0) return 'a macro transformer digit must be non-zero';
  }
  return { kind: 'macro', letter: letter.toLowerCase(), urlEscape: letter !== letter.toLowerCase(), keep, reverse, delimiters };
}

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code >= 0x21 && code <= 0x7e ? `"${char}"` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

export interface MacroValues {
  sender: string;
  domain: string;
  ip: ParsedIp;
  helo: string;
  receiver: string;
  /** Resolved lazily: %{p} costs DNS lookups, so only when the text uses it. */
  validatedName: () => Promise<string>;
  now: () => number;
}

export async function expandMacros(parts: readonly MacroPart[], values: MacroValues): Promise<string> {
  let out = '';
  for (const part of parts) {
    if (part.kind !== 'macro') {
      out += part.text;
      continue;
    }
    let value = await macroValue(part.letter, values);
    const pieces = value.split(splitter(part.delimiters));
    if (part.reverse) pieces.reverse();
    const kept = part.keep !== undefined && part.keep < pieces.length ? pieces.slice(pieces.length - part.keep) : pieces;
    value = kept.join('.');
    if (part.urlEscape) value = urlEscape(value);
    out += value;
  }
  return out;
}

function splitter(delimiters: string): RegExp {
  const set = delimiters || '.';
  return new RegExp(`[${set.replace(/[-\\\]^/]/g, '\\$&')}]`);
}

async function macroValue(letter: string, values: MacroValues): Promise<string> {
  const at = values.sender.lastIndexOf('@');
  switch (letter) {
    case 's':
      return values.sender;
    case 'l':
      return at > 0 ? values.sender.slice(0, at) : 'postmaster';
    case 'o':
      return at >= 0 ? values.sender.slice(at + 1) : values.sender;
    case 'd':
      return values.domain;
    case 'i':
      if (values.ip.version === 4) return values.ip.text;
      return values.ip.upperCase ? nibbles(values.ip.bytes).join('.').toUpperCase() : nibbles(values.ip.bytes).join('.');
    case 'c':
      return values.ip.text;
    case 'p':
      return values.validatedName();
    case 'h':
      return values.helo;
    case 'r':
      return values.receiver;
    case 't':
      return String(Math.floor(values.now() / 1000));
    case 'v':
      return values.ip.version === 4 ? 'in-addr' : 'ip6';
    default:
      return '';
  }
}

/** Uppercase macro letters are URL-escaped: everything but RFC 3986 unreserved characters. */
function urlEscape(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
