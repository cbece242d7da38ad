// The parsed form of launch.yaml that every check reads. Hosts and URLs arrive normalised
// (lower case, punycode) next to what the user wrote, so checks query DNS with `name` and talk to
// people with `input`.

export const LAUNCH_STAGES = ['idea', 'prototype', 'demo', 'launch', 'first-customers'] as const;
export type LaunchStage = (typeof LAUNCH_STAGES)[number];

export const EDGE_PROVIDERS = ['cloudflare', 'fastly', 'cloudfront', 'vercel', 'netlify', 'none'] as const;
export type EdgeProvider = (typeof EDGE_PROVIDERS)[number];

export type DmarcPolicy = 'none' | 'quarantine' | 'reject';
export type RedirectStatus = 301 | 302 | 307 | 308;
export type AlertSeverity = 'critical' | 'warning' | 'info';

export const DEFAULT_API_P95_MS = 300;
export const DEFAULT_PAGE_P95_MS = 2000;
export const DEFAULT_REDIRECT_STATUS: RedirectStatus = 301;

export const OWNED_ACCOUNTS = [
  'registrar',
  'dns',
  'hosting',
  'edge',
  'email',
  'monitoring',
  'errorTracking',
  'analytics',
  'payments',
  'database',
] as const;
export type OwnedAccount = (typeof OWNED_ACCOUNTS)[number];

/** A DNS name: `name` is lower-case ASCII (punycode) without a trailing dot; `input` is as written. */
export interface HostName {
  name: string;
  input: string;
  /** The registrable domain (public-suffix aware), when the name has one. */
  registrableDomain?: string;
}

/** An absolute http(s) URL: `href` is normalised (punycode host), `host` is its ASCII host. */
export interface WebUrl {
  href: string;
  host: string;
  input: string;
}

export interface Redirect {
  /** A bare host redirects every path; a URL redirects that URL. */
  from: { host: HostName; url?: WebUrl };
  to: WebUrl;
  status: RedirectStatus;
  preservePath: boolean;
}

export interface Subdomain {
  /** The key as written (`app`, `@`, `api.acme.com`). */
  key: string;
  host: HostName;
  a: string[];
  aaaa: string[];
  cname?: HostName;
  public: boolean;
  proxied: boolean;
  purpose?: string;
}

export interface DmarcIntent {
  policy: DmarcPolicy;
  subdomainPolicy?: DmarcPolicy;
  /** Addresses without the `mailto:` prefix. */
  reportTo: string[];
}

export interface EmailSender {
  domain: HostName;
  provider: string;
  spfIncludes: HostName[];
  dkimSelectors: string[];
  returnPath?: HostName;
  /** This sender's own DMARC intent, or the email section's default. */
  dmarc?: DmarcIntent;
}

export interface EmailConfig {
  receivesMail?: boolean;
  inboxes: string[];
  senders: EmailSender[];
  dmarc?: DmarcIntent;
  nonSendingDomains: HostName[];
  bulkSender: boolean;
}

export interface EdgeConfig {
  provider?: EdgeProvider;
  tlsMode?: 'flexible' | 'full' | 'full-strict';
  hsts?: { maxAge?: number; includeSubDomains: boolean; preload: boolean };
}

export interface DeployConfig {
  platform?: string;
  pipeline?: string;
  healthUrl?: WebUrl;
  releaseCommand?: string;
  rollbackCommand?: string;
  rollbackMinutes?: number;
}

export interface EnvironmentConfig {
  name: string;
  files: string[];
  required: string[];
  url?: WebUrl;
  secretsStore?: string;
}

export interface AlertRoute {
  name: string;
  notify: string;
  severity: AlertSeverity;
  runbook?: string;
}

export interface MonitoringConfig {
  provider?: string;
  uptime: WebUrl[];
  statusPage?: WebUrl;
  alerts: AlertRoute[];
}

export interface AccountOwner {
  provider?: string;
  owner?: string;
  billing?: string;
  twoFactor?: string;
  recovery?: string;
  note?: string;
}

export type OwnersConfig = Partial<Record<OwnedAccount, AccountOwner>> & { other: Record<string, AccountOwner> };

export interface LatencyBudgets {
  apiP95Ms: number;
  pageP95Ms: number;
  endpoints: { url: WebUrl; p95Ms: number }[];
}

export interface Attestation {
  /** Readiness item id (R2, R7, H3 …). */
  item: string;
  by: string;
  /** YYYY-MM-DD. */
  date: string;
  evidence?: string;
  notApplicable?: string;
  note?: string;
}

export interface AcceptedRisk {
  risk: string;
  item?: string;
  rule?: string;
  acceptedBy: string;
  /** YYYY-MM-DD. */
  until: string;
  mitigation?: string;
  /** `until` is before the audit's day: the risk counts as open again. */
  expired: boolean;
}

export interface LaunchConfig {
  version: 1;
  app: {
    name: string;
    stage: LaunchStage;
    description?: string;
    repository?: string;
    launchDate?: string;
  };
  domain?: {
    primary: HostName;
    redirects: Redirect[];
    subdomains: Subdomain[];
    certificateAuthorities: HostName[];
    dnssec?: boolean;
  };
  edge: EdgeConfig;
  email?: EmailConfig;
  deploy: DeployConfig;
  environments: EnvironmentConfig[];
  monitoring: MonitoringConfig;
  owners: OwnersConfig;
  latency: LatencyBudgets;
  attestations: Attestation[];
  acceptedRisks: AcceptedRisk[];
}

/** Where a value sits in the YAML: keys and list indexes from the root, e.g. `['domain', 'redirects', 0, 'to']`. */
export type YamlPath = readonly (string | number)[];
