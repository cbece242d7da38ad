import type { Severity } from '../model';
import {
  characterClasses,
  isDataUri,
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

/** Lower-case words that make an identifier a credential name. */
export const CREDENTIAL_KEYWORDS = [
  'password', 'passwd', 'passphrase', 'pwd', 'secret', 'token', 'apikey', 'api_key', 'api-key',
  'accesskey', 'access_key', 'privatekey', 'private_key', 'credential', 'auth_key', 'authkey',
  'signing_key', 'encryption_key', 'master_key', 'client_key', 'app_key', 'license_key',
] as const;

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
]);

const NON_SECRET_KEY = /(?:^|[^a-z])(?:public|publishable|pub)(?:[^a-z]|$)|tokeniz|secretar|passwordless|csrf|xsrf|nonce|forgot|^is_|^has_|^show|^hide|^use_/i;

/** Files where an unquoted value is data (`KEY=value`), not an expression. */
const CONFIG_FILE = /(?:^|\/)(?:\.env[^/]*|[^/]*\.(?:env|ya?ml|toml|ini|cfg|conf|properties|xml|sh|bash|zsh|tfvars|hcl)|Dockerfile[^/]*|[^/]*\.dockerfile|docker-compose[^/]*|Procfile|\.npmrc|\.pypirc|\.netrc)$/i;

const LOCKFILE = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb?|Cargo\.lock|poetry\.lock|Pipfile\.lock|Gemfile\.lock|composer\.lock|go\.sum|mix\.lock|pubspec\.lock|packages\.lock\.json|flake\.lock)$/;

export function isLockfile(path: string): boolean {
  return LOCKFILE.test(path);
}

export function isConfigFile(path: string): boolean {
  return CONFIG_FILE.test(path);
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

/**
 * Reads the assignment around a credential keyword at `hit` and returns the value when it looks
 * like a real secret. `lineStart`/`lineEnd` bound the work to one line.
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
  const key = text.slice(keyStart, keyEnd).replace(/^[.-]+|[.-]+$/g, '');
  if (key.length === 0 || key.length > 80) return undefined;

  let p = keyEnd;
  const before = text[keyStart - 1];
  const keyQuoted = before === '"' || before === "'" || before === '`';
  // closing quote / bracket of `"password":` or `config["password"] =`
  for (let n = 0; n < 2 && p < lineEnd && /["'`\]]/.test(text[p]); n++) p++;
  while (p < lineEnd && (text[p] === ' ' || text[p] === '\t')) p++;

  // the operator
  const two = text.slice(p, p + 2);
  let xmlElement = false;
  if (two === ':=' || two === '=>' || two === '?=' || two === '<-') p += 2;
  else if (two === '==' || two === '!=') return undefined;
  else if (text[p] === '=' || text[p] === ':') p += 1;
  else if (text[p] === ',' && keyQuoted) p += 1;
  else if (text[p] === '>' && before === '<') {
    xmlElement = true;
    p += 1;
  } else return undefined;
  if (text[p] === '=' || (text[p] === ':' && text[p - 1] === ':')) return undefined; // `==`, `::`
  while (p < lineEnd && (text[p] === ' ' || text[p] === '\t')) p++;

  // optional string prefix: b"…", r'…', f"…", @"…"
  if (/[bBrRuUf@]/.test(text[p] ?? '') && /["']/.test(text[p + 1] ?? '')) p++;

  let valueStart: number;
  let valueEnd: number;
  const quote = text[p];
  if (quote === '"' || quote === "'" || quote === '`') {
    if (text.startsWith(quote.repeat(3), p)) return undefined;
    valueStart = p + 1;
    let q = valueStart;
    while (q < lineEnd && text[q] !== quote) q += text[q] === '\\' ? 2 : 1;
    if (q >= lineEnd) return undefined;
    valueEnd = q;
  } else {
    if (!xmlElement && !isConfigFile(path)) return undefined;
    valueStart = p;
    let q = p;
    while (q < lineEnd && !/[\s;,)}\]<"']/.test(text[q])) q++;
    valueEnd = q;
    if (!xmlElement && text[valueEnd] === '(') return undefined; // a call, not a value
  }
  const value = text.slice(valueStart, valueEnd);
  const verdict = judgeValue(key, value, path);
  if (!verdict) return undefined;
  return { ...verdict, start: valueStart, end: valueEnd, value, key };
}

/** Decides whether `value`, assigned to `key`, is a secret; returns how to report it. */
export function judgeValue(
  key: string,
  value: string,
  path: string,
): Omit<GenericHit, 'start' | 'end' | 'value' | 'key'> | undefined {
  if (value.length < 8 || value.length > 1000) return undefined;
  for (const format of KEYED_FORMATS) {
    if (format.key.test(key) && format.value.test(value) && !isRepetitiveOrSequential(value) && !/EXAMPLE/.test(value)) {
      return { ruleId: format.id, title: format.title, severity: format.severity, remediation: format.remediation };
    }
  }
  const lowerKey = key.toLowerCase();
  if (NON_SECRET_KEY.test(lowerKey)) return undefined;
  const words = splitWords(key);
  const last = words[words.length - 1] ?? '';
  if (NON_SECRET_LAST_WORD.has(last) || NON_SECRET_LAST_WORD.has(words.slice(-2).join('_'))) return undefined;

  if (isPlaceholder(value) || isRepetitiveOrSequential(value) || looksLikeProse(value)) return undefined;
  if (isUuid(value) || isIntegrityString(value) || isDataUri(value)) return undefined;
  if (isHexDigest(value) && isLockfile(path)) return undefined;
  if (/^[0-9.,:+-]+$/.test(value)) return undefined; // numbers, versions, times
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
