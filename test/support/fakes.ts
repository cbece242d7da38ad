import { withBase62Checksum } from '../../src/engine/secrets/checksums';

// Fake secrets are assembled at run time from a seeded generator, so no token-shaped literal
// lives in the repository for our own scanner or anyone's push protection to trip over. Token
// prefixes are joined from pieces for the same reason: a grep for a prefix finds nothing here.

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const HEX = '0123456789abcdef';
const BASE64URL = ALNUM + '-_';
const BASE64 = ALNUM + '+/';
const BASE32 = UPPER + '234567';
const PASSWORD_SYMBOLS = '!#%^&*_+=?@~';

/** Joins pieces so that no token prefix appears whole in the source. */
export const cat = (...parts: string[]): string => parts.join('');

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

export class Fakes {
  private readonly random: () => number;
  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }
  int(below: number): number {
    return Math.floor(this.random() * below);
  }
  choose<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  pick(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
  alnum(length: number): string {
    return this.pick(ALNUM, length);
  }
  hex(length: number): string {
    return this.pick(HEX, length);
  }
  digits(length: number): string {
    return this.pick('123456789', 1) + this.pick(DIGITS, length - 1);
  }
  b64url(length: number): string {
    return this.pick(BASE64URL, length);
  }
  b64(length: number): string {
    return this.pick(BASE64, length);
  }
  upperAlnum(length: number): string {
    return this.pick(UPPER + DIGITS, length);
  }
  uuid(): string {
    return [this.hex(8), this.hex(4), '4' + this.hex(3), this.pick('89ab', 1) + this.hex(3), this.hex(12)].join('-');
  }

  // --- AWS
  awsKeyId(): string {
    return 'AK' + 'IA' + this.pick(BASE32, 16);
  }
  awsSessionKeyId(): string {
    return 'AS' + 'IA' + this.pick(BASE32, 16);
  }
  awsSecret(): string {
    return this.pick(ALNUM + '/+', 40);
  }

  // --- source hosting
  githubToken(kind: 'p' | 'o' | 'u' | 's' | 'r' = 'p'): string {
    return withBase62Checksum(`gh${kind}_`, this.alnum(30));
  }
  /** A GitHub-shaped token whose checksum does not match: what a hand-typed fake looks like. */
  githubTokenBadChecksum(kind: 'p' | 'o' | 'u' | 's' | 'r' = 'p'): string {
    const good = this.githubToken(kind);
    const last = good[good.length - 1];
    return good.slice(0, -1) + (last === 'A' ? 'B' : 'A');
  }
  githubFineGrained(): string {
    return cat('github', '_pat_', this.alnum(22), '_', this.alnum(59));
  }
  gitlabToken(kind: 'pat' | 'dt' | 'rt' | 'ptt' = 'pat'): string {
    return cat('gl', kind, '-', this.b64url(20));
  }
  /** Routable GitLab tokens (GitLab 17.x+): base64url payload, a version, and a base36 checksum. */
  gitlabRoutableToken(): string {
    return cat('gl', 'pat-', this.b64url(27 + this.int(20)), '.01.', this.pick(DIGITS + LOWER, 9));
  }
  npmToken(): string {
    return withBase62Checksum(cat('n', 'p', 'm', '_'), this.alnum(30));
  }
  npmTokenBadChecksum(): string {
    const good = this.npmToken();
    return good.slice(0, -2) + (good.endsWith('AA') ? 'BB' : 'AA');
  }
  pypiToken(): string {
    return cat('pypi', '-AgEIcHlwaS5vcmc', this.b64url(140 + this.int(40)));
  }

  // --- chat
  slackToken(kind: 'b' | 'p' | 'app' = 'b'): string {
    if (kind === 'app') return cat('xa', 'pp-1-A', this.upperAlnum(10), '-', this.digits(13), '-', this.hex(64));
    if (kind === 'p') return cat('xo', 'xp-', this.digits(11), '-', this.digits(12), '-', this.digits(13), '-', this.hex(32));
    return cat('xo', 'xb-', this.digits(12), '-', this.digits(13), '-', this.alnum(24));
  }
  slackWebhook(): string {
    return cat('https://hooks.', 'slack.com/services/T', this.upperAlnum(8), '/B', this.upperAlnum(10), '/', this.alnum(24));
  }
  discordBotToken(): string {
    return cat(this.choose(['M', 'N', 'O']), this.b64url(25), '.', this.b64url(6), '.', this.b64url(38));
  }
  discordWebhook(): string {
    return cat('https://discord', '.com/api/webhooks/', this.digits(18), '/', this.b64url(68));
  }
  telegramBotToken(): string {
    return cat(this.digits(10), ':A', 'A', this.b64url(33));
  }

  // --- payments and commerce
  stripeKey(mode: 'live' | 'test' = 'live', kind: 'sk' | 'rk' = 'sk', long = false): string {
    return [kind, mode, this.alnum(long ? 99 : 24)].join('_');
  }
  stripeWebhookSecret(): string {
    return cat('wh', 'sec_', this.alnum(32));
  }
  shopifyToken(kind: 'at' | 'ca' | 'pa' | 'ss' = 'at'): string {
    return cat('shp', kind, '_', this.hex(32));
  }

  // --- messaging and mail
  twilioApiKey(): string {
    return cat('S', 'K', this.hex(32));
  }
  twilioAccountSid(): string {
    return cat('A', 'C', this.hex(32));
  }
  sendgridKey(): string {
    return cat('S', 'G.', this.b64url(22), '.', this.b64url(43));
  }
  mailgunKey(modern = false): string {
    return modern ? `${this.hex(32)}-${this.hex(8)}-${this.hex(8)}` : cat('key', '-', this.hex(32));
  }

  // --- cloud and platforms
  googleApiKey(): string {
    return cat('AI', 'za', this.b64url(35));
  }
  fcmServerKey(): string {
    return cat('AAAA', this.b64url(7), ':APA', '91b', this.b64url(134));
  }
  openAiKey(style: 'proj' | 'legacy' | 'svcacct' = 'proj'): string {
    const marker = cat('T3Blbk', 'FJ');
    if (style === 'legacy') return cat('sk', '-', this.alnum(20), marker, this.alnum(20));
    return cat('sk', '-', style, '-', this.b64url(74), marker, this.b64url(74));
  }
  anthropicKey(kind: 'api03' | 'admin01' = 'api03'): string {
    return cat('sk', '-ant-', kind, '-', this.b64url(93), 'AA');
  }
  cloudflareApiToken(): string {
    return this.b64url(40);
  }
  cloudflareGlobalKey(): string {
    return this.hex(37);
  }
  cloudflareOriginCaKey(): string {
    return cat('v1', '.0-', this.hex(24), '-', this.hex(146));
  }
  /** Scannable Cloudflare credentials (2025+): `cfut_`/`cfat_`/`cfk_`, 40 characters and a checksum. */
  cloudflareScannableToken(kind: 'cfut' | 'cfat' | 'cfk' = 'cfut'): string {
    return cat(kind, '_', this.alnum(40), this.alnum(8));
  }
  supabaseSecretKey(): string {
    return cat('sb', '_secret_', this.b64url(22), '_', this.alnum(8));
  }
  datadogApiKey(): string {
    return this.hex(32);
  }
  datadogAppKey(): string {
    return this.hex(40);
  }
  sentryDsn(withSecret = false): string {
    const secret = withSecret ? `:${this.hex(32)}` : '';
    return `https://${this.hex(32)}${secret}@o${this.digits(6)}.ingest.sentry.io/${this.digits(7)}`;
  }
  sentryOrgToken(): string {
    const claims = base64url(JSON.stringify({ iat: 1700000000 + this.int(9e6), url: 'https://sentry.io', region_url: 'https://us.sentry.io', org: 'acme' }));
    return cat('sntr', 'ys_', claims, '_', this.b64(43));
  }
  sentryUserToken(): string {
    return cat('sntr', 'yu_', this.hex(64));
  }
  azureStorageConnectionString(): string {
    return `DefaultEndpointsProtocol=https;AccountName=acme${this.hex(6)};AccountKey=${this.b64(86)}==;EndpointSuffix=core.windows.net`;
  }
  herokuApiKey(): string {
    return this.uuid();
  }
  herokuPlatformKey(): string {
    return cat('HR', 'KU-', this.b64url(60));
  }
  digitalOceanToken(kind: 'p' | 'o' | 'r' = 'p'): string {
    return cat('do', kind, '_v1_', this.hex(64));
  }
  postmarkToken(): string {
    return this.uuid();
  }

  // --- structured secrets
  jwt(payload: Record<string, unknown>, alg = 'HS256'): string {
    const header = base64url(JSON.stringify({ alg, typ: 'JWT' }));
    return `${header}.${base64url(JSON.stringify(payload))}.${this.b64url(43)}`;
  }
  supabaseServiceRoleJwt(): string {
    return this.jwt({ iss: 'supabase', ref: this.pick(LOWER, 20), role: 'service_role', iat: 1700000000, exp: 2015000000 });
  }
  supabaseAnonJwt(): string {
    return this.jwt({ iss: 'supabase', ref: this.pick(LOWER, 20), role: 'anon', iat: 1700000000, exp: 2015000000 });
  }
  /** Lines of a PEM block; `label` is e.g. `RSA PRIVATE KEY`, `PRIVATE KEY`, `OPENSSH PRIVATE KEY`. */
  pemLines(label: string, bodyLines = 12, headers: string[] = []): string[] {
    const body: string[] = [];
    for (let i = 0; i < bodyLines; i++) body.push(this.b64(64));
    body.push(this.b64(this.int(40) + 20) + '==');
    const dashes = '-----';
    return [`${dashes}BEGIN ${label}${dashes}`, ...headers, ...(headers.length ? [''] : []), ...body, `${dashes}END ${label}${dashes}`];
  }
  privateKeyLabel(kind: 'rsa' | 'ec' | 'pkcs8' | 'openssh' | 'dsa' | 'encrypted'): string {
    const suffix = cat('PRIVATE', ' KEY');
    switch (kind) {
      case 'rsa': return `RSA ${suffix}`;
      case 'ec': return `EC ${suffix}`;
      case 'dsa': return `DSA ${suffix}`;
      case 'openssh': return `OPENSSH ${suffix}`;
      case 'encrypted': return `ENCRYPTED ${suffix}`;
      default: return suffix;
    }
  }
  pgpPrivateKeyLines(): string[] {
    const label = cat('PGP PRIVATE', ' KEY BLOCK');
    const body: string[] = [];
    for (let i = 0; i < 14; i++) body.push(this.b64(64));
    return [`-----BEGIN ${label}-----`, 'Comment: deploy key for releases', '', ...body, '=' + this.b64(4), `-----END ${label}-----`];
  }

  // --- passwords
  /** A random password: the kind a password manager generates. */
  strongPassword(length = 14 + this.int(10)): string {
    let out = this.pick(UPPER, 1) + this.pick(LOWER, 1) + this.pick(DIGITS, 1) + this.pick(PASSWORD_SYMBOLS, 1);
    out += this.pick(ALNUM + PASSWORD_SYMBOLS, length - 4);
    return out;
  }
  /** A password a person chose: a word, a number and a symbol. */
  humanPassword(): string {
    const word = this.choose(['Summer', 'Falcon', 'Orchid', 'Tundra', 'Harbor', 'Copper', 'Meadow', 'Raven', 'Glacier', 'Pepper']);
    return `${word}${this.choose(['!', '#', '@', '$', '%'])}${this.digits(4)}${this.pick(LOWER, 2)}`;
  }
  /** A random alphanumeric value of the kind APIs hand out without a prefix. */
  apiKey(length = 32): string {
    return this.alnum(length);
  }
}
