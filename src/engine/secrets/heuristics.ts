// Judgements about a candidate value that keep generic detection quiet on things that are not
// secrets. Every function here is linear in the length of the value.

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const PLACEHOLDER_WORDS = [
  'changeme', 'change_me', 'change-me', 'changethis', 'placeholder', 'example', 'sample', 'dummy',
  'redacted', 'replaceme', 'replace_me', 'your', 'yourkey', 'insert', 'todo', 'fixme', 'tbd',
  'notasecret', 'not_a_secret', 'fake', 'foobar', 'secret', 'password', 'passwd', 'token', 'apikey',
  'api_key', 'null', 'none', 'nil', 'undefined', 'true', 'false', 'empty', 'default', 'test',
  'testing', 'mypassword', 'mysecret', 'xxx', 'letmein', 'qwerty', 'admin', 'root', 'pass',
  'masked', 'hidden', 'enter', 'required', 'optional', 'string', 'value', 'nothing',
];
const PLACEHOLDER_SET = new Set(PLACEHOLDER_WORDS);

// Words that, inside a value, say "this is a stand-in": `your_api_key_here`, `sk_test_XXXX`.
// Several small patterns rather than one alternation: same meaning, and each one small enough
// for the ReDoS analyser to prove linear quickly.
const PLACEHOLDER_FRAGMENTS: readonly RegExp[] = [
  /(?:your|my)[_-]?(?:api|secret|access|auth|app|own|private|client|real|personal)|(?:^|[^a-z])your[_-]/i,
  /_here\b|here$/i,
  /change[_-]?me|replace[_-]?(?:me|with|this)|placeholder|example|dummy|redacted/i,
  /x{4,}|\*{3,}|\.{3}|…/i,
  /insert[_-]|fill[_-]?in|not[_-]?a[_-]?real|notreal|fake[_-]?(?:key|token|secret|password)/i,
];

// References to where the value really lives: environment, templating, secret stores.
const REFERENCES: readonly RegExp[] = [
  /^\$\{|^\$[A-Za-z_(]|^\{\{|\}\}$|^%[sd(]|^%\{|^@\{|^#\{/,
  // Token-replacement markers filled in at build or deploy time: `@@DB_PASSWORD@@`, `__API_KEY__`, `%%TOKEN%%`.
  /^@@[^@]{1,80}@@$|^__[A-Z0-9_]{2,80}__$|^%%[A-Za-z0-9_]{1,80}%%$/,
  // Format placeholders: `{password!r}`, `{0}`, `…%s…`, `%(name)s`.
  /^\{[A-Za-z0-9_]|%[sd](?![A-Za-z0-9])|%\([A-Za-z_]{1,40}\)s/,
  // An interpolation anywhere (`Bearer ${token}`, `postgres://${user}:${pw}@…`) makes a template.
  /\$\{[A-Za-z_]/,
  /^<[^>]*>$|^\[[^\]]*\]$/,
  /process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv\(|ENV\[|ENV\.fetch|System\.getenv|Environment\.GetEnvironmentVariable/,
  /secrets\.|vault:|arn:aws:secretsmanager|^ref\+|^op:\/\/|^env:|^file:/,
];

export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (PLACEHOLDER_SET.has(lower)) return true;
  if (PLACEHOLDER_FRAGMENTS.some((pattern) => pattern.test(value))) return true;
  if (REFERENCES.some((pattern) => pattern.test(value))) return true;
  return false;
}

/** `aaaaaaaa`, `abababab`, `12345678`, `abcdefgh`: a stand-in, never a real credential. */
export function isRepetitiveOrSequential(value: string): boolean {
  if (value.length < 4) return true;
  const distinct = new Set(value).size;
  if (distinct <= 2) return true;
  if (distinct <= 3 && value.length >= 8) return true;
  let ascending = 0;
  let descending = 0;
  for (let i = 1; i < value.length; i++) {
    const step = value.charCodeAt(i) - value.charCodeAt(i - 1);
    if (step === 1) ascending++;
    else if (step === -1) descending++;
  }
  return ascending >= value.length * 0.7 || descending >= value.length * 0.7;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const HEX = /^[0-9a-fA-F]+$/;
/** Digests of common hash functions by length (MD5, SHA-1, SHA-256, SHA-512). */
export function isHexDigest(value: string): boolean {
  return HEX.test(value) && [32, 40, 64, 128].includes(value.length);
}

/** Subresource-integrity and lockfile hashes: `sha512-…`, `sha256:…`. */
const INTEGRITY = /^(?:sha1|sha256|sha384|sha512|md5)[-:]/i;
export function isIntegrityString(value: string): boolean {
  return INTEGRITY.test(value);
}

const DATA_URI = /^data:[a-z]+\/[a-z0-9.+-]+;base64,/i;
export function isDataUri(value: string): boolean {
  return DATA_URI.test(value);
}

// Base64 of a file starts with the base64 of its magic bytes: PNG, JPEG, GIF, WebP, SVG, PDF, ICO, WOFF2.
const ENCODED_MEDIA = /^(?:iVBORw0KGgo|\/9j\/|R0lGOD|UklGR|PHN2Z|PD94bWwg|JVBERi0|AAABAA|d09GMg)/;
/** Images, fonts and documents embedded as base64 without a `data:` prefix. */
export function isEncodedMedia(value: string): boolean {
  return ENCODED_MEDIA.test(value);
}

/** Counts character classes present (lower, upper, digit, symbol). */
export function characterClasses(value: string): number {
  let lower = 0, upper = 0, digit = 0, other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

const isLowerLetter = (ch: string) => ch !== ch.toUpperCase();
const isUpperLetter = (ch: string) => ch !== ch.toLowerCase();
const IDENTIFIER_WORDS = /^_{0,4}\p{L}+(?:[._-]\p{L}+)*$/u;
// Validation-rule and type lists: `required|string|min:12`, `string|null`.
const PIPE_LIST = /^[a-z_]+(?::[a-z0-9_,]+)?(?:\|[a-z_]+(?::[a-z0-9_,]+)?)+$/i;
const PATH_LIKE = /^[./~]|^@[a-z0-9-]{1,60}\/|\.(?:pem|key|json|ya?ml|txt|env|crt|p12|pfx|js|ts|py)$/i;

/** Words, identifiers and sentences: `PasswordResetForm`, `current-password`, `API-Schlüssel`. */
export function looksLikeProse(value: string): boolean {
  if (/\s/.test(value)) return true;
  // Text in scripts written without spaces (Chinese, Japanese …) or accented words: tokens are ASCII.
  let nonAscii = 0;
  for (let i = 0; i < value.length && nonAscii < 2; i++) if (value.charCodeAt(i) > 127) nonAscii++;
  if (nonAscii >= 2) return true;
  // Code spliced into a string: `'+e.toString()+'`.
  if (/["'`]/.test(value)) return true;
  // camelCase / PascalCase / snake or kebab identifiers made of letters only, in any script;
  // random letters switch case far more often than camelCase words do.
  if (IDENTIFIER_WORDS.test(value)) {
    let humps = 0;
    for (let i = 1; i < value.length; i++) if (isLowerLetter(value[i - 1]) && isUpperLetter(value[i])) humps++;
    if (humps <= Math.max(2, value.length / 5)) return true;
  }
  if (PIPE_LIST.test(value)) return true;
  // dotted paths and file names: `config.auth.password`, `./secrets/key.pem`
  if (PATH_LIKE.test(value)) return true;
  return false;
}

/** Minified or generated content: very long lines make generic (keyword) detection pure noise. */
export function looksMinified(text: string): boolean {
  if (text.length < 5000) return false;
  // Average length of the first 64 lines: cheap, and a bundle's first lines already give it away.
  let lines = 0;
  let end = -1;
  for (let i = text.indexOf('\n'); i !== -1 && lines < 64; i = text.indexOf('\n', i + 1)) {
    lines++;
    end = i;
  }
  if (lines < 64) return text.length / (lines + 1) > 500;
  return end / lines > 500;
}

/** Every regular expression above, for the ReDoS test. */
export const HEURISTIC_PATTERNS: readonly RegExp[] = [...PLACEHOLDER_FRAGMENTS, ...REFERENCES, UUID, HEX, INTEGRITY, DATA_URI, ENCODED_MEDIA, IDENTIFIER_WORDS, PIPE_LIST, PATH_LIKE];
