import type { Severity } from '../model';
import { hasValidBase62Checksum } from './checksums';
import { isPlaceholder, isRepetitiveOrSequential, shannonEntropy } from './heuristics';

// Provider-specific secret formats, from each provider's documented token shapes.
//
// Every pattern is written to run in linear time: each quantifier ranges over a character class
// that cannot also match the literal that follows it, and nothing is nested. A test runs every
// pattern through a ReDoS analyser. Patterns only run on the window around a keyword hit, so the
// keyword list is what keeps the hot path cheap.

export interface PatternContext {
  path: string;
  /** The whole text, for rules that need to look around (pairing, JSON context). */
  text: string;
  /** Offset of the match in `text`. */
  offset: number;
  /** File is an env file for production (`.env.production`, `.env.prod`). */
  productionEnv: boolean;
}

export interface Verdict {
  severity?: Severity;
  message?: string;
}

export interface PatternRule {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  /** Lower-case literals; one of them occurring is what makes the rule run. */
  keywords: readonly string[];
  /** Global regex. The secret is the named group `secret`, or the whole match. */
  pattern: RegExp;
  /** Characters after the keyword hit to search when the secret can span lines; default: the line. */
  span?: number;
  /**
   * A literal every match contains. A window without it is not searched: `://` is on most lines
   * of a bundle or a lockfile, and a URL only holds a password when it also holds an `@`.
   */
  requires?: string;
  /** Characters of the token that are its documented, public prefix (shown in redacted evidence). */
  publicPrefix?: number;
  /** Return false to drop the match, or a verdict to adjust it. */
  validate?: (secret: string, context: PatternContext) => boolean | Verdict;
  /** Which rule wins when two findings cover the same text: higher is more specific. */
  priority: number;
}

const B = '(?<![A-Za-z0-9_])'; // token starts at a word boundary
const E = '(?![A-Za-z0-9_])'; // and ends at one
// For tokens whose alphabet includes `-` (and `.`): a match may not start inside a longer run of
// that alphabet, so each run is scanned from its start only, which keeps matching linear.
const B_DASH = '(?<![A-Za-z0-9_-])';
const B_DOT_DASH = '(?<![A-Za-z0-9_.-])';
const E_DASH = '(?![A-Za-z0-9_-])';
const re = (source: string) => new RegExp(source, 'g');

const notAnExample = (secret: string) => !/EXAMPLE|XXXXXXXX|xxxxxxxx|0{8}/.test(secret);

/** The random part of a token must look random: no `sk_live_aaaa…` or `…1234567890` stand-ins. */
const randomTail = (prefixLength: number) => (secret: string) => {
  const tail = secret.slice(prefixLength);
  return notAnExample(secret) && !isRepetitiveOrSequential(tail) && shannonEntropy(tail) >= 3 && !isPlaceholder(tail);
};

const ROTATE = 'Revoke the credential at the provider now (it is in your files, so assume it is exposed), issue a new one, and load it from the environment or a secret manager.';

const GITHUB_KINDS: Record<string, string> = {
  ghp: 'personal access token (classic)',
  gho: 'OAuth access token',
  ghu: 'GitHub App user-to-server token',
  ghs: 'GitHub App installation token',
  ghr: 'GitHub App refresh token',
};

function decodeBase64UrlJson(part: string): Record<string, unknown> | undefined {
  try {
    const json = Buffer.from(part, 'base64url').toString('utf8');
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT is only a JWT when its header and payload decode to JSON objects and the header names an algorithm. */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodeBase64UrlJson(parts[0]);
  const payload = decodeBase64UrlJson(parts[1]);
  if (!header || !payload || typeof header.alg !== 'string') return undefined;
  return { header, payload };
}

// Names reserved for documentation and tests (RFC 2606, RFC 6761): no server has these passwords.
const DOCUMENTATION_HOST = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$/i;
const LOCAL_HOST = /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?|[a-z0-9_-]+)$/i;

export const PATTERN_RULES: readonly PatternRule[] = [
  {
    id: 'secret/aws-access-key-id',
    title: 'AWS access key ID',
    severity: 'high',
    description: 'An AWS access key ID. On its own it identifies a key; next to its secret access key it is a working credential.',
    remediation: `Deactivate the key in IAM, create a new one, and use an IAM role or environment variables. ${ROTATE}`,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: re(`(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}(?![A-Z0-9])`),
    publicPrefix: 4,
    validate: (secret) => notAnExample(secret) && !isRepetitiveOrSequential(secret.slice(4)),
    priority: 3,
  },
  {
    id: 'secret/github-token',
    title: 'GitHub token',
    severity: 'high',
    description: 'A GitHub token (its built-in CRC-32 checksum verified, so this is a real token shape, not a look-alike).',
    remediation: `Revoke it under GitHub Settings → Developer settings (or the app's settings). ${ROTATE}`,
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: re(`${B}gh[pousr]_[A-Za-z0-9]{36}${E}`),
    publicPrefix: 4,
    validate: (secret) =>
      hasValidBase62Checksum(secret, 4) ? { message: `GitHub ${GITHUB_KINDS[secret.slice(0, 3)]}` } : false,
    priority: 3,
  },
  {
    id: 'secret/github-fine-grained-token',
    title: 'GitHub fine-grained personal access token',
    severity: 'high',
    description: 'A GitHub fine-grained personal access token.',
    remediation: `Revoke it under GitHub Settings → Developer settings → Fine-grained tokens. ${ROTATE}`,
    keywords: ['github_pat_'],
    pattern: re(`${B}github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}${E}`),
    publicPrefix: 11,
    validate: randomTail(11),
    priority: 3,
  },
  {
    id: 'secret/gitlab-token',
    title: 'GitLab token',
    severity: 'high',
    description: 'A GitLab personal, project, group, deploy, runner, pipeline-trigger, OAuth or feed token.',
    remediation: `Revoke it in GitLab (User settings → Access tokens, or the project/group settings). ${ROTATE}`,
    keywords: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'gloas-', 'glcbt-', 'glimt-', 'glft-', 'glsoat-', 'glagent-', 'gr1348941'],
    pattern: re(`${B}(?:gl(?:pat|dt|rt|ptt|oas|cbt|imt|ft|soat|agent)-|GR1348941)[A-Za-z0-9_.-]{20,300}`),
    publicPrefix: 6,
    validate: (secret) => randomTail(secret.indexOf('-') + 1 || 9)(secret.replace(/[.-]+$/, '')),
    priority: 3,
  },
  {
    id: 'secret/slack-token',
    title: 'Slack token',
    severity: 'high',
    description: 'A Slack bot, user, app-level, configuration or refresh token.',
    remediation: `Revoke it at api.slack.com/apps (OAuth & Permissions) and reinstall the app. ${ROTATE}`,
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxe-', 'xoxe.', 'xapp-'],
    pattern: re(`${B}(?:xox[abprse]|xoxe\\.xox[bp]|xapp)-[0-9A-Za-z-]{10,250}`),
    publicPrefix: 5,
    validate: (secret) => {
      const parts = secret.split('-');
      const last = parts[parts.length - 1];
      return parts.length >= 3 && last.length >= 10 && randomTail(5)(secret);
    },
    priority: 3,
  },
  {
    id: 'secret/slack-webhook',
    title: 'Slack incoming webhook URL',
    severity: 'high',
    description: 'A Slack incoming-webhook or workflow URL: anyone holding it can post into your workspace.',
    remediation: 'Remove the webhook in the Slack app settings and create a new one; keep its URL in an environment variable.',
    keywords: ['hooks.slack.com'],
    pattern: re(`https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/+-]{20,200}`),
    publicPrefix: 23,
    validate: (secret) => randomTail(34)(secret),
    priority: 3,
  },
  {
    id: 'secret/stripe-secret-key',
    title: 'Stripe secret or restricted key',
    severity: 'blocker',
    description: 'A Stripe secret or restricted API key. Live keys move real money; test keys are lower risk in code but must never reach production.',
    remediation: `Roll the key in the Stripe dashboard (Developers → API keys). ${ROTATE}`,
    keywords: ['sk_live_', 'sk_test_', 'rk_live_', 'rk_test_'],
    pattern: re(`${B}[sr]k_(?:live|test)_[A-Za-z0-9]{20,247}${E}`),
    publicPrefix: 8,
    validate: (secret, context) => {
      if (!randomTail(8)(secret)) return false;
      if (secret.includes('_test_')) {
        return context.productionEnv
          ? { severity: 'blocker', message: 'Stripe test-mode key in a production env file' }
          : { severity: 'low', message: 'Stripe test-mode key' };
      }
      return { message: 'Stripe live-mode key' };
    },
    priority: 3,
  },
  {
    id: 'secret/stripe-webhook-secret',
    title: 'Stripe webhook signing secret',
    severity: 'high',
    description: 'A Stripe webhook signing secret: with it anyone can forge Stripe events to your endpoint.',
    remediation: 'Roll the signing secret on the webhook endpoint in the Stripe dashboard and load it from the environment.',
    keywords: ['whsec_'],
    pattern: re(`${B}whsec_[A-Za-z0-9+/=]{24,100}`),
    publicPrefix: 6,
    validate: randomTail(6),
    priority: 3,
  },
  {
    id: 'secret/twilio-api-key',
    title: 'Twilio API key',
    severity: 'high',
    description: 'A Twilio API key SID (SK…) in Twilio context.',
    remediation: `Delete the key in the Twilio console (API keys & tokens). ${ROTATE}`,
    keywords: ['twilio'],
    pattern: re(`${B}SK[0-9a-fA-F]{32}${E}`),
    publicPrefix: 2,
    validate: randomTail(2),
    priority: 3,
  },
  {
    id: 'secret/sendgrid-api-key',
    title: 'SendGrid API key',
    severity: 'high',
    description: 'A SendGrid API key: it can send mail as your domain.',
    remediation: `Delete the key in SendGrid (Settings → API Keys). ${ROTATE}`,
    keywords: ['sg.'],
    pattern: re(`${B}SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}${E}`),
    publicPrefix: 3,
    validate: randomTail(3),
    priority: 3,
  },
  {
    id: 'secret/mailgun-api-key',
    title: 'Mailgun API key',
    severity: 'high',
    description: 'A Mailgun API key: it can send mail as your domain.',
    remediation: `Delete the key in Mailgun (API Security). ${ROTATE}`,
    keywords: ['key-', 'mailgun'],
    pattern: re(`${B}(?:key-[0-9a-f]{32}|[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})${E}`),
    publicPrefix: 4,
    validate: (secret, context) => {
      if (!secret.startsWith('key-')) {
        const line = lineAround(context.text, context.offset);
        if (!/mailgun/i.test(line)) return false;
      }
      return randomTail(secret.startsWith('key-') ? 4 : 0)(secret);
    },
    priority: 3,
  },
  {
    id: 'secret/postmark-server-token',
    title: 'Postmark server token',
    severity: 'high',
    description: 'A Postmark server or account token (a UUID in Postmark context).',
    remediation: `Regenerate the token in Postmark (Server → API Tokens). ${ROTATE}`,
    keywords: ['postmark'],
    pattern: re(`${B}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}${E}`),
    validate: (secret, context) => notAnExample(secret) && !/^0{8}-/.test(secret) && uuidNamedAsCredential(context),
    priority: 2,
  },
  {
    id: 'secret/google-api-key',
    title: 'Google API key',
    severity: 'high',
    description: 'A Google API key. Firebase web keys are public by design but must be restricted; any other Google key is a credential.',
    remediation: 'Restrict or regenerate the key in Google Cloud Console (APIs & Services → Credentials); keep server keys in the environment.',
    keywords: ['aiza'],
    pattern: re(`${B}AIza[0-9A-Za-z_-]{35}${E}`),
    publicPrefix: 4,
    validate: (secret, context) => {
      if (!randomTail(4)(secret)) return false;
      const around = context.text.slice(Math.max(0, context.offset - 600), context.offset + 600);
      if (/firebase|authDomain|messagingSenderId/i.test(around)) {
        return { severity: 'low', message: 'Firebase web API key (public by design; make sure it is restricted)' };
      }
      return true;
    },
    priority: 3,
  },
  {
    id: 'secret/gcp-service-account',
    title: 'Google Cloud service-account key',
    severity: 'blocker',
    description: 'A Google Cloud service-account JSON key with its private key: full access as that service account.',
    remediation: 'Delete the key in Google Cloud Console (IAM → Service accounts → Keys), create a new one only if you must, and prefer workload identity.',
    keywords: ['"service_account"'],
    pattern: re(`"private_key"\\s{0,20}:\\s{0,20}"(?<secret>-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----[A-Za-z0-9+/=\\\\\\s]{64,8000}-----END [A-Z ]{0,20}PRIVATE KEY-----(?:\\\\n)?)"`),
    span: 12000,
    publicPrefix: 0,
    priority: 4,
  },
  {
    id: 'secret/firebase-cloud-messaging-key',
    title: 'Firebase Cloud Messaging server key',
    severity: 'high',
    description: 'A legacy Firebase Cloud Messaging server key: it can send push notifications to all your users.',
    remediation: 'Delete the server key in the Firebase console (Cloud Messaging) and migrate to the HTTP v1 API with a service account.',
    keywords: [':apa91b'],
    pattern: re(`${B}AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}${E}`),
    publicPrefix: 4,
    validate: randomTail(18),
    priority: 3,
  },
  {
    id: 'secret/openai-api-key',
    title: 'OpenAI API key',
    severity: 'high',
    description: 'An OpenAI API key (project, service-account, admin or legacy user key).',
    remediation: `Delete the key at platform.openai.com (API keys). ${ROTATE}`,
    keywords: ['t3blbkfj'],
    pattern: re(`${B}sk-[A-Za-z0-9_-]{20,250}`),
    publicPrefix: 3,
    validate: (secret) => secret.includes('T3BlbkFJ') && randomTail(3)(secret),
    priority: 3,
  },
  {
    id: 'secret/anthropic-api-key',
    title: 'Anthropic API key',
    severity: 'high',
    description: 'An Anthropic API or admin key.',
    remediation: `Delete the key in the Anthropic Console (API keys). ${ROTATE}`,
    keywords: ['sk-ant-'],
    pattern: re(`${B}sk-ant-[a-z]{2,8}[0-9]{2}-[A-Za-z0-9_-]{80,200}`),
    publicPrefix: 7,
    validate: randomTail(14),
    priority: 4,
  },
  {
    id: 'secret/npm-token',
    title: 'npm access token',
    severity: 'high',
    description: 'An npm access token (checksum verified): it can publish packages as you.',
    remediation: `Revoke it on npmjs.com (Access Tokens) or with \`npm token revoke\`. ${ROTATE}`,
    keywords: ['npm_'],
    pattern: re(`${B}npm_[A-Za-z0-9]{36}${E}`),
    publicPrefix: 4,
    validate: (secret) => hasValidBase62Checksum(secret, 4),
    priority: 3,
  },
  {
    id: 'secret/pypi-token',
    title: 'PyPI API token',
    severity: 'high',
    description: 'A PyPI upload token: it can publish packages as you.',
    remediation: `Remove the token in your PyPI account settings (API tokens). ${ROTATE}`,
    keywords: ['pypi-ageichlwas5vcmc'],
    pattern: re(`${B}pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}`),
    publicPrefix: 5,
    validate: randomTail(20),
    priority: 3,
  },
  {
    id: 'secret/cloudflare-origin-ca-key',
    title: 'Cloudflare Origin CA key',
    severity: 'high',
    description: 'A Cloudflare Origin CA key: it can issue origin certificates for your zones.',
    remediation: 'Revoke the key in the Cloudflare dashboard (My Profile → API Tokens → Origin CA Key).',
    keywords: ['v1.0-'],
    pattern: re(`${B}v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}${E}`),
    publicPrefix: 5,
    validate: randomTail(5),
    priority: 3,
  },
  {
    id: 'secret/cloudflare-api-token',
    title: 'Cloudflare API token',
    severity: 'high',
    description: 'A Cloudflare API token or Global API Key: a scannable one (`cfut_`, `cfat_`, `cfk_`) anywhere, or a legacy 40-character token assigned to a Cloudflare setting.',
    remediation: 'Roll the token in the Cloudflare dashboard (My Profile → API Tokens, or Manage Account → API Tokens) and load it from the environment.',
    keywords: ['cfut_', 'cfat_', 'cfk_'],
    // Documented as the prefix, 40 characters and a checksum; the checksum algorithm is not
    // public, so it is not verified and the length is left open a little.
    pattern: re(`${B}(?:cfut|cfat|cfk)_[A-Za-z0-9]{40,60}${E}`),
    publicPrefix: 5,
    validate: (secret) => randomTail(secret.indexOf('_') + 1)(secret),
    priority: 3,
  },
  {
    id: 'secret/supabase-secret-key',
    title: 'Supabase secret key',
    severity: 'blocker',
    description: 'A Supabase secret API key (`sb_secret_`): it bypasses Row Level Security.',
    remediation: 'Delete the key in the Supabase dashboard (Project Settings → API Keys) and keep secret keys on the server only.',
    keywords: ['sb_secret_'],
    pattern: re(`${B}sb_secret_[A-Za-z0-9_-]{20,120}`),
    publicPrefix: 10,
    validate: randomTail(10),
    priority: 3,
  },
  {
    id: 'secret/shopify-token',
    title: 'Shopify access token',
    severity: 'high',
    description: 'A Shopify Admin API, custom app, private app or shared-secret token.',
    remediation: 'Rotate it in the Shopify admin (Apps → Develop apps → API credentials).',
    keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'],
    pattern: re(`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}${E}`),
    publicPrefix: 6,
    validate: randomTail(6),
    priority: 3,
  },
  {
    id: 'secret/sentry-auth-token',
    title: 'Sentry auth token',
    severity: 'high',
    description: 'A Sentry organization or user auth token: it can read events and change projects.',
    remediation: 'Revoke the token in Sentry (Settings → Auth Tokens) and load it from CI secrets.',
    keywords: ['sntrys_', 'sntryu_'],
    pattern: re(`${B}(?:sntrys_[A-Za-z0-9+/=_]{60,500}|sntryu_[a-f0-9]{64}${E})`),
    publicPrefix: 7,
    validate: randomTail(7),
    priority: 3,
  },
  {
    id: 'secret/sentry-dsn',
    title: 'Sentry DSN',
    severity: 'low',
    description: 'A Sentry DSN. Its public key is meant for clients, but it lets anyone send events to your project; a DSN with a secret part is a credential.',
    remediation: 'Keep DSNs in configuration (an environment variable) so each environment reports to the right project; rotate DSNs with a secret part.',
    keywords: ['sentry.io', 'ingest.'],
    pattern: re(`https://(?<secret>[0-9a-f]{32}(?::[0-9a-f]{32})?)@[A-Za-z0-9.-]{1,200}/[0-9]{1,12}`),
    validate: (secret) =>
      !notAnExample(secret) || isRepetitiveOrSequential(secret)
        ? false
        : secret.includes(':')
          ? { severity: 'high', message: 'Sentry DSN with its secret key' }
          : true,
    priority: 2,
  },
  {
    id: 'secret/azure-storage-connection-string',
    title: 'Azure Storage connection string',
    severity: 'blocker',
    description: 'An Azure Storage account key in a connection string: full access to the storage account.',
    remediation: 'Rotate the access key in the Azure portal (Storage account → Access keys) and use managed identity or Key Vault.',
    keywords: ['accountkey='],
    pattern: re(`AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)`),
    validate: randomTail(0),
    priority: 3,
  },
  {
    id: 'secret/heroku-api-key',
    title: 'Heroku API key',
    severity: 'high',
    description: 'A Heroku API key or OAuth token: it can deploy and read config vars of your apps.',
    remediation: 'Regenerate the key in Heroku (Account settings → API Key) or revoke the authorization with `heroku authorizations:revoke`.',
    keywords: ['hrku-', 'heroku'],
    pattern: re(`${B_DASH}(?:HRKU-[A-Za-z0-9_-]{60}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})${E_DASH}`),
    publicPrefix: 5,
    validate: (secret, context) =>
      secret.startsWith('HRKU-')
        ? randomTail(5)(secret)
        : /heroku/i.test(lineAround(context.text, context.offset)) && notAnExample(secret) && uuidNamedAsCredential(context),
    priority: 2,
  },
  {
    id: 'secret/digitalocean-token',
    title: 'DigitalOcean token',
    severity: 'high',
    description: 'A DigitalOcean personal access, OAuth or refresh token: it can manage your droplets, databases and DNS.',
    remediation: 'Delete the token in the DigitalOcean control panel (API → Tokens).',
    keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'],
    pattern: re(`${B}do[opr]_v1_[a-f0-9]{64}${E}`),
    publicPrefix: 7,
    validate: randomTail(7),
    priority: 3,
  },
  {
    id: 'secret/discord-bot-token',
    title: 'Discord bot token',
    severity: 'high',
    description: 'A Discord bot token (in Discord context): it controls your bot.',
    remediation: 'Reset the token in the Discord developer portal (Bot → Reset Token).',
    keywords: ['discord'],
    pattern: re(`${B_DOT_DASH}[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,40}${E_DASH}`),
    validate: randomTail(0),
    priority: 3,
  },
  {
    id: 'secret/discord-webhook',
    title: 'Discord webhook URL',
    severity: 'medium',
    description: 'A Discord webhook URL: anyone holding it can post to your channel.',
    remediation: 'Delete the webhook in the channel settings and create a new one; keep the URL in an environment variable.',
    keywords: ['discord'],
    pattern: re(`https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/(?<secret>[A-Za-z0-9_-]{60,70})`),
    validate: randomTail(0),
    priority: 4,
  },
  {
    id: 'secret/telegram-bot-token',
    title: 'Telegram bot token',
    severity: 'high',
    description: 'A Telegram bot token: it controls your bot and reads its messages.',
    remediation: 'Revoke it with @BotFather (/revoke) and load the new token from the environment.',
    keywords: [':aa'],
    // Bot API URLs put the token right after `/bot`: `https://api.telegram.org/bot<token>/sendMessage`.
    pattern: re(`(?<![0-9A-Za-z_])(?:bot)?(?<secret>[0-9]{8,10}:AA[A-Za-z0-9_-]{33})${E_DASH}`),
    validate: (secret) => randomTail(secret.indexOf(':') + 1)(secret),
    priority: 3,
  },
  {
    id: 'secret/private-key',
    title: 'Private key',
    severity: 'blocker',
    description: 'A PEM, OpenSSH or PGP private key block.',
    remediation: 'Treat the key as compromised: replace it (new key pair, new certificate), remove it from the repository and its history, and load keys from a secret store.',
    keywords: ['private key'],
    // The body may hold single dashes (`DEK-Info: AES-128-CBC`) but never a run of five, so it
    // ends at the first `-----` and cannot swallow the next key's header.
    pattern: re(`-----BEGIN (?<kind>[A-Z]{2,10} )?(?:[A-Z]{2,10} )?PRIVATE KEY(?: BLOCK)?-----(?<body>(?:[A-Za-z0-9+/=:,\\s\\\\]|-(?!----)){64,16000})-----END `),
    span: 16500,
    publicPrefix: 0,
    validate: (secret) => {
      const body = secret.replace(/-----(?:BEGIN|END)[^-]*-----|\\[nr]|\s|[A-Za-z-]+:[^\n\\]*/g, '');
      if (body.length < 64 || /^(?:\.|x|X|\*)+$/.test(body) || isRepetitiveOrSequential(body.slice(0, 64))) return false;
      if (/ENCRYPTED/.test(secret)) return { severity: 'medium', message: 'Encrypted private key (passphrase-protected, still should not be committed)' };
      return true;
    },
    priority: 2,
  },
  {
    id: 'secret/jwt',
    title: 'JSON Web Token',
    severity: 'medium',
    description: 'A signed JSON Web Token. Long-lived tokens and service tokens are credentials; a Supabase `service_role` key bypasses Row Level Security.',
    remediation: 'Remove the token, revoke or rotate the signing key if it is long-lived, and load tokens from the environment.',
    keywords: ['eyj'],
    pattern: re(`${B_DOT_DASH}eyJ[A-Za-z0-9_-]{8,2000}\\.eyJ[A-Za-z0-9_-]{8,8000}\\.[A-Za-z0-9_-]{16,2000}`),
    publicPrefix: 3,
    validate: (secret) => {
      const jwt = decodeJwt(secret);
      if (!jwt) return false;
      if (String(jwt.header.alg).toLowerCase() === 'none') return false;
      if (jwt.payload.role === 'service_role') {
        return { severity: 'blocker', message: 'Supabase service_role JWT (bypasses Row Level Security)' };
      }
      if (jwt.payload.role === 'anon' && typeof jwt.payload.iss === 'string' && /supabase/.test(jwt.payload.iss)) {
        return { severity: 'low', message: 'Supabase anon key (public by design; protect data with Row Level Security)' };
      }
      return true;
    },
    priority: 2,
  },
  {
    id: 'secret/url-password',
    title: 'Password in a URL or connection string',
    severity: 'high',
    description: 'A connection string or URL with an embedded password (database, cache, queue, SMTP or HTTP basic auth).',
    remediation: 'Change the password on the server, then build the URL from an environment variable (e.g. `DATABASE_URL`) instead of writing it in the file.',
    keywords: ['://'],
    requires: '@',
    pattern: re(
      // `+driver` as SQLAlchemy writes it: `postgresql+psycopg2://`, `mysql+pymysql://`.
      `(?<![A-Za-z0-9+.-])(?:postgres(?:ql)?|mysql|mariadb|mongodb|rediss?|amqps?|smtps?|https?|ftps?|mssql|sqlserver|jdbc:[a-z]{2,12})(?:\\+[a-z0-9]{1,20})?://[^\\s:@/'"\`<>]{0,256}:(?<secret>[^\\s@/'"\`<>]{1,256})@(?<host>[A-Za-z0-9._\\[\\]:-]{1,253})`,
    ),
    validate: (secret, context) => {
      // Three characters or fewer (`pw`, `pw2`) is a stand-in, not a server's password.
      if (isPlaceholder(secret) || secret.length < 4 || /^[*x.•]+$/i.test(secret)) return false;
      if (/^(?:pass|pwd|pw|secret|user|username|postgres|mysql|root|guest|admin|redis)$/i.test(secret)) return false;
      const match = context.text.slice(context.offset, context.offset + 800);
      const host = /@([A-Za-z0-9._[\]:-]{1,253})/.exec(match)?.[1]?.replace(/:\d+$/, '') ?? '';
      if (LOCAL_HOST.test(host) && shannonEntropy(secret) < 3.5) return false;
      if (DOCUMENTATION_HOST.test(host)) return false;
      return true;
    },
    priority: 2,
  },
];

/**
 * A UUID is only a key when its name says so: `HEROKU_API_KEY=<uuid>` is a credential,
 * `HEROKU_APP_ID=<uuid>` and `POSTMARK_MESSAGE_ID=<uuid>` are identifiers.
 */
const NAME_BEFORE_VALUE = /([A-Za-z0-9_.-]{1,80})["'\]]{0,2}[ \t]{0,8}(?:[:=]|=>|,)?[ \t]{0,8}["']?$/;
function uuidNamedAsCredential(context: PatternContext): boolean {
  // Only the 120 characters before the value are read, so this stays cheap whatever the line.
  const before = context.text.slice(Math.max(0, context.offset - 120), context.offset);
  const name = NAME_BEFORE_VALUE.exec(before.slice(before.lastIndexOf('\n') + 1))?.[1] ?? '';
  return /key|token|secret|auth|pass|cred/i.test(name) && !/(?:^|[^a-z])(?:ids?|uuid|guid)$/i.test(name);
}

/** The line containing `offset`, at most 2000 characters either side. */
export function lineAround(text: string, offset: number): string {
  const from = Math.max(0, offset - 2000);
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const endAt = text.indexOf('\n', offset);
  const end = endAt === -1 ? text.length : endAt;
  return text.slice(Math.max(start, from), Math.min(end, offset + 2000));
}
