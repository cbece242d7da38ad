import { secretRule } from '../secrets/catalog';

// Which provider a secret belongs to, for the "leaked secret" playbook: from the rule that found
// it, or from the environment variable's name. The rotation steps themselves are the secret
// catalogue's remediation text, so the runbook and the scanner never give different advice.

const PROVIDERS: readonly [prefix: string, provider: string][] = [
  ['aws', 'AWS'],
  ['github', 'GitHub'],
  ['gitlab', 'GitLab'],
  ['slack', 'Slack'],
  ['stripe', 'Stripe'],
  ['twilio', 'Twilio'],
  ['sendgrid', 'SendGrid'],
  ['mailgun', 'Mailgun'],
  ['postmark', 'Postmark'],
  ['google', 'Google Cloud'],
  ['gcp', 'Google Cloud'],
  ['firebase', 'Google Cloud'],
  ['openai', 'OpenAI'],
  ['anthropic', 'Anthropic'],
  ['npm', 'npm'],
  ['pypi', 'PyPI'],
  ['cloudflare', 'Cloudflare'],
  ['supabase', 'Supabase'],
  ['shopify', 'Shopify'],
  ['sentry', 'Sentry'],
  ['azure', 'Azure'],
  ['heroku', 'Heroku'],
  ['digitalocean', 'DigitalOcean'],
  ['datadog', 'Datadog'],
  ['discord', 'Discord'],
  ['telegram', 'Telegram'],
];

/** Secrets that belong to no third party: rotated in the app's own systems. */
export const OWN_SYSTEMS = 'Your own systems';

export function providerOfRule(ruleId: string): string {
  const name = ruleId.replace(/^secret\//, '');
  return PROVIDERS.find(([prefix]) => name === prefix || name.startsWith(`${prefix}-`))?.[1] ?? OWN_SYSTEMS;
}

/** Variable names → the secret rule whose remediation explains how to rotate that kind of key. */
const NAME_RULES: readonly [pattern: RegExp, ruleId: string][] = [
  [/^STRIPE_.*WEBHOOK/, 'secret/stripe-webhook-secret'],
  [/^STRIPE_/, 'secret/stripe-secret-key'],
  [/^AWS_SECRET|^AWS_ACCESS_KEY/, 'secret/aws-secret-access-key'],
  [/^(?:GITHUB|GH)_/, 'secret/github-token'],
  [/^GITLAB_/, 'secret/gitlab-token'],
  [/^SLACK_.*WEBHOOK/, 'secret/slack-webhook'],
  [/^SLACK_/, 'secret/slack-token'],
  [/^TWILIO_/, 'secret/twilio-auth-token'],
  [/^SENDGRID_/, 'secret/sendgrid-api-key'],
  [/^MAILGUN_/, 'secret/mailgun-api-key'],
  [/^POSTMARK_/, 'secret/postmark-server-token'],
  [/^(?:GOOGLE|GCP|GCLOUD)_/, 'secret/google-api-key'],
  [/^FIREBASE_/, 'secret/firebase-cloud-messaging-key'],
  [/^OPENAI_/, 'secret/openai-api-key'],
  [/^ANTHROPIC_/, 'secret/anthropic-api-key'],
  [/^NPM_/, 'secret/npm-token'],
  [/^PYPI_/, 'secret/pypi-token'],
  [/^(?:CLOUDFLARE|CF)_/, 'secret/cloudflare-api-token'],
  [/^SUPABASE_/, 'secret/supabase-secret-key'],
  [/^SHOPIFY_/, 'secret/shopify-token'],
  [/^SENTRY_AUTH/, 'secret/sentry-auth-token'],
  [/^SENTRY_/, 'secret/sentry-dsn'],
  [/^AZURE_/, 'secret/azure-storage-connection-string'],
  [/^HEROKU_/, 'secret/heroku-api-key'],
  [/^(?:DIGITALOCEAN|DO)_/, 'secret/digitalocean-token'],
  [/^(?:DATADOG|DD)_APP/, 'secret/datadog-app-key'],
  [/^(?:DATADOG|DD)_/, 'secret/datadog-api-key'],
  [/^DISCORD_.*WEBHOOK/, 'secret/discord-webhook'],
  [/^DISCORD_/, 'secret/discord-bot-token'],
  [/^TELEGRAM_/, 'secret/telegram-bot-token'],
  [/(?:DATABASE|DB|POSTGRES|MYSQL|MONGO|REDIS)_?URL$|_DSN$/, 'secret/url-password'],
  [/PRIVATE_KEY/, 'secret/private-key'],
  [/PASSWORD|PASSWD/, 'secret/hardcoded-password'],
];

/** The rule that describes a variable's kind of key; the generic credential rule when nothing more specific fits. */
export function ruleForVariable(name: string): string {
  const upper = name.toUpperCase();
  return NAME_RULES.find(([pattern]) => pattern.test(upper))?.[1] ?? 'secret/generic-credential';
}

export interface RotationKind {
  ruleId: string;
  provider: string;
  title: string;
  /** The catalogue's remediation for the rule: where to revoke and reissue. */
  steps: string;
}

export function rotationFor(ruleId: string): RotationKind {
  const rule = secretRule(ruleId) ?? secretRule('secret/generic-credential');
  return {
    ruleId,
    provider: providerOfRule(ruleId),
    title: rule?.title ?? ruleId,
    steps: rule?.remediation ?? 'Revoke the credential where it was issued, issue a new one and load it from the environment.',
  };
}
