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
const PLACEHOLDER_FRAGMENT = /(?:your|my)[_-]?(?:api|secret|access|auth|app|own|private|client|real|personal)|_here\b|here$|changeme|change[_-]me|replace[_-]?(?:me|with|this)|placeholder|example|dummy|redacted|x{4,}|\*{3,}|\.{3}|…|insert[_-]|fill[_-]?in|not[_-]?a[_-]?real|notreal|fake[_-]?(?:key|token|secret|password)/i;

// References to where the value really lives: environment, templating, secret stores.
const REFERENCE = /^\$\{|^\$[A-Za-z_(]|^\{\{|\}\}$|^%[sd(]|^%\{|^<[^>]*>$|^\[[^\]]*\]$|^@\{|^#\{|process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv\(|ENV\[|ENV\.fetch|System\.getenv|Environment\.GetEnvironmentVariable|secrets\.|vault:|arn:aws:secretsmanager|^ref\+|^op:\/\/|^env:|^file:/;

export function isPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  if (PLACEHOLDER_SET.has(lower)) return true;
  if (PLACEHOLDER_FRAGMENT.test(value)) return true;
  if (REFERENCE.test(value)) return true;
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
export function isIntegrityString(value: string): boolean {
  return /^(?:sha1|sha256|sha384|sha512|md5)[-:]/i.test(value);
}

export function isDataUri(value: string): boolean {
  return /^data:[a-z]+\/[a-z0-9.+-]+;base64,/i.test(value);
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

/** Words, identifiers and sentences: `PasswordResetForm`, `current-password`, `Enter your password`. */
export function looksLikeProse(value: string): boolean {
  if (/\s/.test(value)) return true;
  // camelCase / PascalCase / snake or kebab identifiers made of letters only
  if (/^[A-Za-z]+(?:[._-][A-Za-z]+)*$/.test(value) && characterClasses(value) <= 2) return true;
  // dotted paths and file names: `config.auth.password`, `./secrets/key.pem`
  if (/^[./~]|\.(?:pem|key|json|ya?ml|txt|env|crt|p12|pfx|js|ts|py)$/i.test(value)) return true;
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
