import type { Severity } from '../model';
import { hasValidBase62Checksum } from './checksums';
import {
  characterClasses,
  isDataUri,
  isEncodedMedia,
  isHexDigest,
  isIntegrityString,
  isPlaceholder,
  isRepetitiveOrSequential,
  isUuid,
  looksLikeProse,
  shannonEntropy,
} from './heuristics';

// Generic detection: `KEY = "value"` where the key names a credential. Instead of one large
// regex (which is where catastrophic backtracking hides), the assignment is read with a small
// hand-written scanner starting at the keyword hit: linear, and easy to extend per syntax.

// Compound names (`api key`, `signing key`) are written `api_key`, `api-key`, `api.key` and
// `apiKey` depending on the language; the prefilter is literal, so each spelling is listed.
const KEY_COMPOUNDS = ['api', 'access', 'private', 'auth', 'signing', 'encryption', 'master', 'client', 'app', 'license'];
const COMPOUND_SPELLINGS = KEY_COMPOUNDS.flatMap((word) => ['_', '-', '.', ''].map((sep) => `${word}${sep}key`));

/** Lower-case words that make an identifier a credential name. */
export const CREDENTIAL_KEYWORDS: readonly string[] = [
  'password', 'passwd', 'passphrase', 'pwd', 'pass', 'secret', 'token', 'credential',
  ...new Set(COMPOUND_SPELLINGS),
];

/** The same names with separators removed, to check a whole key: `DB_PASSWORD`, `dbPassword`. */
const COMPACT_CREDENTIAL_WORDS = ['password', 'passwd', 'passphrase', 'pwd', 'secret', 'token', 'credential', ...KEY_COMPOUNDS.map((w) => `${w}key`)];
// `pass` alone is a word in many names that are not credentials.
const NOT_PASS_WORDS = new Set(['compass', 'bypass', 'surpass', 'trespass', 'overpass', 'underpass', 'encompass']);

/** Whether `key` names a credential, judged on its words rather than on any substring. */
export function namesCredential(key: string): boolean {
  const compact = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (COMPACT_CREDENTIAL_WORDS.some((word) => compact.includes(word))) return true;
  // …and only as the last word: `db_pass`, `--pass`, but not `pass_through`.
  const last = splitWords(key).pop() ?? '';
  return last === 'pw' || (last.endsWith('pass') && !NOT_PASS_WORDS.has(last));
}

/** A key whose name says which provider it belongs to, with that provider's value format. */
interface KeyedFormat {
  id: string;
  title: string;
  key: RegExp;
  value: RegExp;
  severity: Severity;
  remediation: string;
}

export const KEYED_FORMATS: readonly KeyedFormat[] = [
  {
    id: 'secret/aws-secret-access-key',
    title: 'AWS secret access key',
    key: /aws.{0,24}secret|secret.?access.?key/i,
    value: /^[A-Za-z0-9/+]{40}$/,
    severity: 'blocker',
    remediation: 'Deactivate the access key in IAM, create a new one, and use an IAM role or environment variables.',
  },
  {
    id: 'secret/twilio-auth-token',
    title: 'Twilio auth token',
    key: /twilio/i,
    value: /^[0-9a-f]{32}$/,
    severity: 'high',
    remediation: 'Rotate the auth token in the Twilio console (Account → API keys & tokens).',
  },
  {
    id: 'secret/datadog-api-key',
    title: 'Datadog API key',
    key: /datadog.{0,12}api|(?:^|[^a-z])dd_?api/i,
    value: /^[0-9a-f]{32}$/,
    severity: 'high',
    remediation: 'Revoke the key in Datadog (Organization settings → API keys).',
  },
  {
    id: 'secret/datadog-app-key',
    title: 'Datadog application key',
    key: /datadog.{0,12}app|(?:^|[^a-z])dd_?app/i,
    value: /^[0-9a-f]{40}$/,
    severity: 'high',
    remediation: 'Revoke the key in Datadog (Organization settings → Application keys).',
  },
  {
    id: 'secret/postmark-server-token',
    title: 'Postmark server token',
    key: /postmark/i,
    value: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    severity: 'high',
    remediation: 'Regenerate the token in Postmark (Server → API Tokens).',
  },
  {
    id: 'secret/heroku-api-key',
    title: 'Heroku API key',
    key: /heroku/i,
    value: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    severity: 'high',
    remediation: 'Regenerate the key in Heroku (Account settings → API Key).',
  },
  {
    id: 'secret/cloudflare-api-token',
    title: 'Cloudflare API token',
    key: /cloudflare|(?:^|[^a-z])cf_?api/i,
    value: /^[A-Za-z0-9_-]{40}$/,
    severity: 'high',
    remediation: 'Roll the token in the Cloudflare dashboard (My Profile → API Tokens).',
  },
  {
    id: 'secret/cloudflare-global-api-key',
    title: 'Cloudflare global API key',
    key: /cloudflare|(?:^|[^a-z])cf_?api/i,
    value: /^[0-9a-f]{37}$/,
    severity: 'blocker',
    remediation: 'Change the Global API Key in the Cloudflare dashboard and switch to scoped API tokens.',
  },
];

export interface GenericHit {
  ruleId: string;
  title: string;
  severity: Severity;
  remediation?: string;
  /** Offsets of the value in the text. */
  start: number;
  end: number;
  value: string;
  key: string;
}

const IDENT = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_.-]/.test(ch)) IDENT[c] = 1;
}
const isIdent = (code: number) => code < 128 && IDENT[code] === 1;

// The last word of the key says what the value is: `password_label` is a label, not a password.
const NON_SECRET_LAST_WORD = new Set([
  'label', 'placeholder', 'hint', 'message', 'msg', 'text', 'title', 'field', 'fields', 'input', 'error',
  'errors', 'prompt', 'description', 'desc', 'name', 'names', 'id', 'ids', 'type', 'types', 'url', 'uri',
  'endpoint', 'path', 'file', 'filename', 'dir', 'length', 'len', 'policy', 'regex', 'pattern', 'format',
  'header', 'param', 'env', 'var', 'expiry', 'expires', 'expiration', 'ttl', 'timeout', 'count', 'limit',
  'enabled', 'required', 'mode', 'provider', 'version', 'prefix', 'suffix', 'location', 'ref', 'source',
  'helper', 'service', 'manager', 'store', 'storage', 'strength', 'rules', 'rule', 'reset', 'changed',
  'confirmation', 'confirm', 'visible', 'visibility', 'toggle', 'icon', 'class', 'style', 'css', 'route',
  'page', 'form', 'button', 'link', 'key_name', 'lifetime', 'scope', 'scopes', 'audience', 'issuer', 'algorithm',
  'alg', 'size', 'bits', 'index', 'kind', 'schema', 'template', 'validator', 'validation', 'strategy',
  'hash', 'hashed', 'digest', 'checksum', 'sha', 'salt_rounds', 'rounds', 'cost', 'handler', 'callback',
  'cookie', 'md5', 'sha1', 'sha256', 'sha384', 'sha512', 'fingerprint', 'image', 'img', 'logo', 'avatar', 'color', 'colour',
]);

// `^4.10.2`, `>=1.2.0 <2`, `~2.3.0-beta.1`: dependency ranges in manifests.
const VERSION_RANGE = /^(?:[~^]|[<>]=?)?v?\d{1,6}\.\d{1,6}(?:\.\d{1,6})?(?:-[0-9A-Za-z.]{1,40})?$/;
// SOPS (`ENC[AES256_GCM,data:…]`), Maven master-password encryption (`{COQLCE6DU6GtcS5P=}`),
// Jasypt (`ENC(…)`), ejson/Rails-encrypted (`EJ[1:…]`).
const ENCRYPTED_VALUE = /^(?:ENC\[|ENC\(|EJ\[|\{[A-Za-z0-9+/]{12,}={0,2}(?:\}|$))/;
// Publishable keys by their documented prefix: Stripe `pk_live_…`, Mapbox public tokens `pk.eyJ…`.
const PUBLIC_VALUE = /^pk(?:_live_|_test_|\.eyJ)/;
// `password: *db_password`: a YAML alias, the value is defined elsewhere in the file.
const YAML_ALIAS = /^\*[A-Za-z_][A-Za-z0-9_.-]{0,80}$/;
const CHECKSUMMED_TOKEN = /^(?:gh[pousr]|npm)_[A-Za-z0-9]{36}$/;

// Public by design: publishable and search-only keys, which browsers are meant to hold.
const NON_SECRET_KEY = /search[_.-]?(?:only[_.-]?)?api[_.-]?key|(?:^|[^a-z])(?:public|publishable|pub)(?:[^a-z]|$)|tokeniz|secretar|passwordless|csrf|xsrf|nonce|forgot|^is_|^has_|^show|^hide|^use_/i;

/** Files where an unquoted value is data (`KEY=value`), not an expression. */
const CONFIG_FILE = /(?:^|\/)(?:\.env[^/]*|[^/]*\.(?:env|ya?ml|toml|ini|cfg|conf|cnf|config|properties|xml|sh|bash|zsh|tfvars|hcl)|Dockerfile[^/]*|[^/]*\.dockerfile|docker-compose[^/]*|Procfile|\.npmrc|\.pypirc|\.netrc)$/i;

const LOCKFILE = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|poetry\.lock|Pipfile\.lock|Gemfile\.lock|composer\.lock|go\.sum|mix\.lock|pubspec\.lock|packages\.lock\.json|flake\.lock)$/;

export function isLockfile(path: string): boolean {
  return LOCKFILE.test(path);
}

// Asked at every keyword hit, nearly always about the same file as the last time.
let lastConfigPath: string | undefined;
let lastIsConfig = false;
export function isConfigFile(path: string): boolean {
  if (path !== lastConfigPath) {
    lastConfigPath = path;
    lastIsConfig = CONFIG_FILE.test(path);
  }
  return lastIsConfig;
}

function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function isPasswordKey(lowerKey: string): boolean {
  return /pass|pwd/.test(lowerKey);
}

/** Where a value starts and ends; `undefined` when there is no literal value at `p`. */
function readValue(text: string, p: number, lineEnd: number, unquotedAllowed: boolean, stopAt = /[\s;,)}\]<"']/): [number, number] | undefined {
  // optional string prefix: b"…", r'…', f"…", @"…"
  if (/[bBrRuUf@]/.test(text[p] ?? '') && /["']/.test(text[p + 1] ?? '')) p++;
  const quote = text[p];
  if (quote === '"' || quote === "'" || quote === '`') {
    if (text.startsWith(quote.repeat(3), p)) return undefined;
    let q = p + 1;
    while (q < lineEnd && text[q] !== quote) q += text[q] === '\\' ? 2 : 1;
    if (q >= lineEnd) return undefined;
    return [p + 1, q];
  }
  if (!unquotedAllowed) return undefined;
  let q = p;
  while (q < lineEnd && !stopAt.test(text[q])) q++;
  return [p, q];
}

// Attributes that carry a setting's name, with the value in a sibling: `- name: X` / `value: …`
// (Kubernetes env), `{"name": X, "value": …}` (ECS), `<add key="X" value="…"/>` (.NET),
// `<property name="X" value="…"/>` (Spring).
const NAME_ATTRIBUTE = new Set(['name', 'key']);
const SIBLING_VALUE = /(?:^|[\s,{;"'])["']?value["']?[ \t]{0,4}[:=][ \t]{0,4}/i;
const NEXT_LINE_VALUE = /^[ \t]{0,40}value:[ \t]{0,4}/;

/** When the key is the value of a `name`/`key` attribute, the offset where its sibling value starts. */
function siblingValueStart(text: string, keyStart: number, keyEnd: number, lineStart: number, lineEnd: number): number | undefined {
  let b = keyStart - 1;
  if (text[b] === '"' || text[b] === "'") b--;
  while (b > lineStart && (text[b] === ' ' || text[b] === '\t')) b--;
  if (text[b] !== ':' && text[b] !== '=') return undefined;
  b--;
  while (b > lineStart && (text[b] === ' ' || text[b] === '\t')) b--;
  if (text[b] === '"' || text[b] === "'") b--;
  let w = b;
  while (w >= lineStart && /[A-Za-z]/.test(text[w])) w--;
  if (!NAME_ATTRIBUTE.has(text.slice(w + 1, b + 1).toLowerCase())) return undefined;
  const rest = text.slice(keyEnd, lineEnd);
  const same = SIBLING_VALUE.exec(rest);
  if (same) return keyEnd + same.index + same[0].length;
  // YAML: the value is on the next line.
  const lineBreak = text[lineEnd] === '\r' ? lineEnd + 1 : lineEnd;
  if (text[lineBreak] !== '\n') return undefined;
  const nextStart = lineBreak + 1;
  const nextEnd = text.indexOf('\n', nextStart);
  const next = text.slice(nextStart, nextEnd === -1 ? Math.min(text.length, nextStart + 1024) : Math.min(nextEnd, nextStart + 1024));
  const below = NEXT_LINE_VALUE.exec(next);
  return below ? nextStart + below[0].length : undefined;
}

const isDotOrDash = (code: number) => code === 46 || code === 45;

/**
 * Reads the assignment around a credential keyword at `hit` and returns the value when it looks
 * like a real secret. `lineStart`/`lineEnd` bound the work to one line (and, for name/value
 * pairs written over two lines, the line after it).
 */
export function readAssignment(
  text: string,
  hit: number,
  lineStart: number,
  lineEnd: number,
  path: string,
): GenericHit | undefined {
  let keyStart = hit;
  while (keyStart > lineStart && isIdent(text.charCodeAt(keyStart - 1))) keyStart--;
  let keyEnd = hit;
  while (keyEnd < lineEnd && isIdent(text.charCodeAt(keyEnd))) keyEnd++;
  // The key without leading or trailing `.`/`-` (runs every keyword hit: no regex, no extra copy).
  let trimmedStart = keyStart;
  let trimmedEnd = keyEnd;
  while (trimmedStart < trimmedEnd && isDotOrDash(text.charCodeAt(trimmedStart))) trimmedStart++;
  while (trimmedEnd > trimmedStart && isDotOrDash(text.charCodeAt(trimmedEnd - 1))) trimmedEnd--;
  const key = text.slice(trimmedStart, trimmedEnd);
  if (key.length === 0 || key.length > 80) return undefined;

  const before = text[keyStart - 1];
  // `${DB_PASSWORD:-…}`, `#{token}`, `%{secret}`: the name inside an interpolation is a reference.
  if (before === '{' && /[$#%]/.test(text[keyStart - 2] ?? '')) return undefined;

  const sibling = siblingValueStart(text, keyStart, keyEnd, lineStart, lineEnd) ?? terraformDefault(text, keyStart, keyEnd, lineStart, lineEnd);
  if (sibling !== undefined) {
    const siblingLineEnd = sibling > lineEnd ? lineEndFrom(text, sibling) : lineEnd;
    const range = readValue(text, sibling, siblingLineEnd, isConfigFile(path));
    return range ? judged(text, key, range, path) : undefined;
  }

  let p = keyEnd;
  const keyQuoted = before === '"' || before === "'" || before === '`';
  // What precedes the key's opening quote: `(` for `put("password", …)`, `?` for a ternary.
  const opener = keyQuoted ? previousNonSpace(text, keyStart - 2, lineStart) : undefined;
  if (opener === '?') return undefined; // `cond ? 'password' : 'other'`
  // closing quote / bracket of `"password":` or `config["password"] =`
  const afterKey = p;
  if (keyQuoted) for (let n = 0; n < 2 && p < lineEnd && /["'`\]]/.test(text[p]); n++) p++;
  const closedQuote = p > afterKey;
  while (p < lineEnd && (text[p] === ' ' || text[p] === '\t')) p++;

  // the operator
  const two = text.slice(p, p + 2);
  let xmlElement = false;
  const config = isConfigFile(path);
  let unquotedAllowed = config;
  let stopAt: RegExp | undefined;
  let quotedOnly = false;
  let setterCall = false;
  let embeddedInUrl = false;
  if (two === ':=' || two === '=>' || two === '?=' || two === '<-') p += 2;
  else if (two === '==' || two === '!=') return undefined;
  else if (text[p] === '=' || text[p] === ':') {
    if (text[p] === '=') {
      // `"Server=…;Password=…"`, `;PWD=…`: key=value pairs inside a connection string;
      // `?user=app&password=…`: a query string.
      // Only when written tight (`Password=…`): `"password = getpass()"` is code in a string.
      const tight = text[p - 1] !== ' ' && text[p + 1] !== ' ';
      if (tight && (before === ';' || (keyQuoted && !closedQuote))) {
        unquotedAllowed = true;
        stopAt = EMBEDDED_VALUE_END;
      }
      if (before === '?' || before === '&') {
        unquotedAllowed = true;
        stopAt = QUERY_VALUE_END;
        embeddedInUrl = true;
      }
    }
    p += 1;
    // `apiKey: string = "…"`, `API_KEY: &str = "…"`, `password: str = "…"`: skip the type.
    if (text[p - 1] === ':' && text[p] !== ':' && !config) p = afterTypeAnnotation(text, p, lineEnd);
  } else if (text[p] === ',' && keyQuoted && opener === '(') p += 1; // `put("password", "…")`, `define('DB_PASSWORD', '…')`
  else if (text[p] === '>' && before === '<' && /^[\s>]?$/.test(text[keyStart - 2] ?? '')) {
    xmlElement = true;
    unquotedAllowed = true;
    p += 1;
  } else if (text[p] === '(' && isSetter(text.slice(keyStart, keyEnd))) {
    // `setPassword("…")`, `.password("…")`, `withApiKey("…")`: a literal handed to a setter.
    quotedOnly = true;
    setterCall = true;
    p += 1;
  } else if (text.startsWith('--', keyStart) && p > keyEnd && /[A-Za-z0-9"']/.test(text[p] ?? '') && flagNamesCredential(key)) {
    // `--password 's3cret'`, `--token abc…`: a command-line flag and its argument.
    unquotedAllowed = true;
  } else if (p > keyEnd && p < lineEnd && !keyQuoted && SPACE_SEPARATED.test(path)) {
    // Gradle/Groovy `storePassword "…"`, Ruby DSLs `password '…'`, `.netrc` `password …`.
    unquotedAllowed = NETRC.test(path);
    quotedOnly = !unquotedAllowed;
  } else if (!config && !keyQuoted && /[A-Za-z]/.test(text[p] ?? '')) {
    // `var apiKey string = "…"` (Go), `val token: String = "…"` is handled above.
    const q = afterTypeAnnotation(text, p, lineEnd, GO_TYPE_CHAR);
    if (q === p) return undefined;
    p = q;
  } else return undefined;
  if (text[p] === '=' || (text[p] === ':' && text[p - 1] === ':')) return undefined; // `==`, `::`
  while (p < lineEnd && (text[p] === ' ' || text[p] === '\t')) p++;

  const range = readValue(text, p, lineEnd, unquotedAllowed && !quotedOnly, stopAt);
  if (!range) return undefined;
  // A query parameter this short is a public badge or share token (`badge.svg?token=…`).
  if (embeddedInUrl && range[1] - range[0] < 16 && !isPasswordKey(key.toLowerCase())) return undefined;
  if (setterCall && !/^[\s]*[),]/.test(text.slice(range[1] + 1, range[1] + 3))) return undefined;
  if (!xmlElement && !/["'`]/.test(text[range[0] - 1] ?? '') && text[range[1]] === '(') return undefined; // a call, not a value
  return judged(text, key, range, path);
}

// Files whose syntax separates a setting from its value by a space.
const SPACE_SEPARATED = /(?:\.gradle|\.groovy|\.rb|(?:^|\/)(?:Jenkinsfile|Fastfile|Appfile|Podfile|Vagrantfile|[._]netrc))$/;
const NETRC = /(?:^|\/)[._]netrc$/;
// Inside a string (`"Server=…;Password=…"`) or after `;`: a value ends where code would start.
const EMBEDDED_VALUE_END = /[\s;,)}\]<"'(&]/;
const QUERY_VALUE_END = /[\s;,)}\]<"'&#]/;
const TYPE_CHAR = /[A-Za-z0-9_&'<>[\]., ?|*]/;
// Go's `var name Type = …`: one word, so `password FROM users WHERE id = …` is not read as a type.
const GO_TYPE_CHAR = /[A-Za-z0-9_[\].*]/;

/** After `: Type =` (or `Type =`) at `p`, the offset after the `=`; `p` when there is no such type. */
function afterTypeAnnotation(text: string, p: number, lineEnd: number, typeChar = TYPE_CHAR): number {
  let q = p;
  while (q < lineEnd && (text[q] === ' ' || text[q] === '\t')) q++;
  if (!/[A-Za-z_&]/.test(text[q] ?? '')) return p;
  const limit = Math.min(lineEnd, q + 60);
  while (q < limit && typeChar.test(text[q])) q++;
  while (q < lineEnd && (text[q] === ' ' || text[q] === '\t')) q++;
  if (text[q] !== '=' || text[q + 1] === '=' || text[q + 1] === '>') return p;
  return q + 1;
}

const CREDENTIAL_LAST_WORD = new Set(['password', 'passwd', 'pass', 'pwd', 'passphrase', 'secret', 'token', 'key', 'apikey', 'credential', 'credentials']);
/** `--password`, `--api-key`, `--token`: the flag's last word is the credential, not `--secretlintrc`. */
function flagNamesCredential(flag: string): boolean {
  return CREDENTIAL_LAST_WORD.has(splitWords(flag).pop() ?? '') && namesCredential(flag);
}

/** `setPassword`, `withApiKey`, `ds.setPassword`, `builder().apiKey`: a method that takes the credential. */
function isSetter(rawKey: string): boolean {
  const segments = rawKey.split('.');
  const method = segments[segments.length - 1];
  if (/^(?:set|with)[A-Z_]/.test(method)) return true;
  if (segments.length < 2) return false;
  // The method is named after the credential (`.password(…)`, `.apiKey(…)`), not a verb (`.getPassword(…)`).
  const [first = '', second = ''] = splitWords(method);
  return namesCredential(first) || (KEY_COMPOUNDS.includes(first) && second === 'key');
}

/** `variable "db_password" {` … `default = "…"` within the next few lines (Terraform). */
function terraformDefault(text: string, keyStart: number, keyEnd: number, lineStart: number, lineEnd: number): number | undefined {
  if (text[keyStart - 1] !== '"' || !/^\s*variable\s+"$/.test(text.slice(lineStart, keyStart))) return undefined;
  if (!/^"\s*\{\s*$/.test(text.slice(keyEnd, lineEnd))) return undefined;
  const block = text.slice(lineEnd, Math.min(text.length, lineEnd + 400));
  const match = TERRAFORM_DEFAULT.exec(block);
  return match ? lineEnd + match.index + match[0].length : undefined;
}
const TERRAFORM_DEFAULT = /\n[ \t]{0,20}default[ \t]{0,10}=[ \t]{0,10}(?=")/;

function previousNonSpace(text: string, from: number, lineStart: number): string | undefined {
  let b = from;
  while (b >= lineStart && (text[b] === ' ' || text[b] === '\t')) b--;
  return b >= lineStart ? text[b] : undefined;
}

function lineEndFrom(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  const limit = Math.min(text.length, offset + 1024);
  const stop = end === -1 ? limit : Math.min(end, limit);
  return text[stop - 1] === '\r' ? stop - 1 : stop;
}

function judged(text: string, key: string, [start, end]: [number, number], path: string): GenericHit | undefined {
  const value = text.slice(start, end);
  const verdict = judgeValue(key, value, path);
  if (!verdict || isSealedSecretManifest(text)) return undefined;
  return { ...verdict, start, end, value, key };
}

/** Bitnami SealedSecret manifests hold only values encrypted for the cluster: safe to commit. */
function isSealedSecretManifest(text: string): boolean {
  // `kind` sits near the top of a manifest; looking only there keeps this constant-time.
  return text.lastIndexOf('kind: SealedSecret', 4096) !== -1;
}

/** Decides whether `value`, assigned to `key`, is a secret; returns how to report it. */
export function judgeValue(
  key: string,
  value: string,
  path: string,
): Omit<GenericHit, 'start' | 'end' | 'value' | 'key'> | undefined {
  if (value.length < 8 || value.length > 1000) return undefined;
  const words = splitWords(key);
  const last = words[words.length - 1] ?? '';
  if (NON_SECRET_LAST_WORD.has(last) || NON_SECRET_LAST_WORD.has(words.slice(-2).join('_'))) return undefined;
  for (const format of KEYED_FORMATS) {
    if (format.key.test(key) && format.value.test(value) && !isRepetitiveOrSequential(value) && !/EXAMPLE/.test(value)) {
      return { ruleId: format.id, title: format.title, severity: format.severity, remediation: format.remediation };
    }
  }
  const lowerKey = key.toLowerCase();
  if (!namesCredential(key) || NON_SECRET_KEY.test(lowerKey)) return undefined;
  // A token shape that carries a checksum is its provider rule's call: a wrong checksum is a fake.
  if (CHECKSUMMED_TOKEN.test(value) && !hasValidBase62Checksum(value, 4)) return undefined;

  if (isPlaceholder(value) || isRepetitiveOrSequential(value) || looksLikeProse(value)) return undefined;
  if (isUuid(value) || isIntegrityString(value) || isDataUri(value) || isEncodedMedia(value)) return undefined;
  if (isHexDigest(value) && isLockfile(path)) return undefined;
  if (/^[0-9.,:+-]+$/.test(value) || VERSION_RANGE.test(value)) return undefined; // numbers, versions, times
  if (ENCRYPTED_VALUE.test(value)) return undefined; // encrypted at rest: safe to commit by design
  if (PUBLIC_VALUE.test(value)) return undefined;
  if (YAML_ALIAS.test(value) && /\.ya?ml$/i.test(path)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/:[^/@]+@/.test(value)) return undefined; // plain URLs

  const entropy = shannonEntropy(value);
  const classes = characterClasses(value);
  if (isPasswordKey(lowerKey)) {
    if (classes < 2 || entropy < 2.75) return undefined;
  } else if (value.length < 16) {
    if (classes < 3 || entropy < 3.0) return undefined;
  } else if (classes < 2 || entropy < 3.2) return undefined;

  const strong = value.length >= 16 && entropy >= 3.5;
  return {
    ruleId: isPasswordKey(lowerKey) ? 'secret/hardcoded-password' : 'secret/generic-credential',
    title: isPasswordKey(lowerKey) ? 'Hardcoded password' : 'Hardcoded credential',
    severity: strong ? 'high' : 'medium',
  };
}

/** Every regular expression above that runs on file content or keys, for the ReDoS test. */
export const GENERIC_PATTERNS: readonly RegExp[] = [
  NON_SECRET_KEY, CONFIG_FILE, LOCKFILE, CHECKSUMMED_TOKEN, SIBLING_VALUE, NEXT_LINE_VALUE, EMBEDDED_VALUE_END, QUERY_VALUE_END, TYPE_CHAR, GO_TYPE_CHAR,
  TERRAFORM_DEFAULT, VERSION_RANGE, ENCRYPTED_VALUE, YAML_ALIAS, SPACE_SEPARATED, NETRC, PUBLIC_VALUE,
];
