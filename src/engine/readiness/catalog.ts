import { STAGES, type Stage } from '../model';

// The launch-readiness catalogue as data: what the sidebar tree, the audit and the generated
// documents cover. Ids and wording follow the shared READINESS.md catalogue; checks refer to
// items by id, so ids never change meaning once published.

/** R: read from repository files; L: checked live over DNS/HTTP(S); H: attested by a person. */
export type CheckMode = 'R' | 'L' | 'H';

export interface ReadinessItem {
  id: string;
  stage: Stage;
  title: string;
  /** Every way the item is answered, the main one first (`R+H` → ['R', 'H']). */
  modes: readonly CheckMode[];
}

export const STAGE_TITLES: Readonly<Record<Stage, string>> = {
  audit: 'Audit',
  dns: 'DNS and redirects',
  edge: 'Edge and SSL',
  email: 'Email',
  deploy: 'Deployment',
  secrets: 'Secrets and env',
  performance: 'Performance and caching',
  monitoring: 'Monitoring',
  handover: 'Handover',
};

type Row = [id: string, modes: string, title: string];

const ROWS: Readonly<Record<Stage, readonly Row[]>> = {
  audit: [
    ['A1', 'R', 'README explains run, build and deploy'],
    ['A2', 'R', 'Owner and contact declared'],
    ['A3', 'R+H', 'External dependencies listed with failure impact'],
    ['A4', 'R', 'Dependency update tool configured'],
    ['A5', 'R', 'CI runs tests on the default branch'],
    ['A6', 'R', 'Lockfile committed, reproducible builds, no `latest` tags'],
    ['A7', 'L+R', 'No information leakage in production'],
    ['A8', 'R+L', 'Security contact published'],
    ['A9', 'H', 'Known risks written down'],
    ['A10', 'H', 'Go/no-go owner, criteria and launch window named'],
  ],
  dns: [
    ['D1', 'L', 'Apex, www and subdomains resolve to intended targets'],
    ['D2', 'L', 'One canonical host; the others redirect to it'],
    ['D3', 'L', 'HTTP→HTTPS on the same host first, then canonicalise'],
    ['D4', 'L+R', 'Redirect map: no loops, few hops'],
    ['D5', 'L+H', 'DNS TTLs sane around cutover'],
    ['D6', 'L+H', 'CAA limits issuance; DNSSEC status known'],
    ['D7', 'L+H', 'Domain expiry far away; auto-renew and lock on'],
  ],
  edge: [
    ['E1', 'L', 'Valid certificate chain on every public hostname'],
    ['E2', 'L+H', 'Certificate renewal automated and expiry monitored'],
    ['E3', 'L+H', 'HSTS on all responses'],
    ['E4', 'L+H', 'CDN SSL mode correct; origin certificate valid'],
    ['E5', 'L+R', 'Security headers'],
    ['E6', 'L', 'Cookies Secure, HttpOnly and SameSite'],
    ['E7', 'L', 'CORS never reflects an arbitrary Origin'],
    ['E8', 'L', 'Observatory grade at or above target'],
    ['E9', 'R+H', 'No leaf-certificate pinning'],
  ],
  email: [
    ['M1', 'L', 'Exactly one SPF record covering every sender'],
    ['M2', 'L+H', 'DKIM key published for each sending service'],
    ['M3', 'L', 'DMARC published at _dmarc'],
    ['M4', 'H+L', 'DMARC alignment for each sender'],
    ['M5', 'L', 'Sending IPs have forward and reverse DNS'],
    ['M6', 'H+R', 'Bulk sending requirements met'],
    ['M7', 'L', 'Non-sending domains locked down'],
    ['M8', 'L+H', 'Inbound mail works'],
  ],
  deploy: [
    ['R1', 'R', 'Production deploy automated'],
    ['R2', 'R+H', 'One-step rollback documented and exercised'],
    ['R3', 'R+H', 'Deploys roll back automatically on alarms'],
    ['R4', 'R+H', 'Schema changes backward compatible'],
    ['R5', 'R+H', 'Risky changes behind flags or staged rollout'],
    ['R6', 'R+L', 'Health endpoint returns 200'],
    ['R7', 'H', 'Backups enabled and restore tested'],
  ],
  secrets: [
    ['S1', 'R', 'No secrets in the repo, including history'],
    ['S2', 'R', '.env files ignored; .env.example lists every name'],
    ['S3', 'R+H', 'Environment variable inventory'],
    ['S4', 'H+R', 'Secrets in a secrets manager with least privilege'],
    ['S5', 'H', 'Rotation schedule documented and exercised'],
    ['S6', 'R+L', 'Server secrets not shipped to the client bundle'],
  ],
  performance: [
    ['P1', 'L', 'Hashed static assets cached long'],
    ['P2', 'L', 'HTML and API caching intentional'],
    ['P3', 'L', 'Compression on'],
    ['P4', 'R+H', 'Rate limiting on auth and public API endpoints'],
    ['P5', 'R+H', 'Timeouts and bounded retries on outbound calls'],
    ['P6', 'H+R', 'Launch-spike estimate and load test'],
    ['P7', 'L', 'Front-end performance baseline'],
  ],
  monitoring: [
    ['O1', 'H+L', 'External uptime checks'],
    ['O2', 'H', 'Alerts for expiry, billing and quota'],
    ['O3', 'R', 'Error tracking wired up'],
    ['O4', 'R+H', 'Structured, centralised logs without secrets'],
    ['O5', 'R+H', 'Every paging alert has a runbook link'],
    ['O6', 'H', 'Alert routing, rotation and escalation defined'],
    ['O7', 'H', 'Monitoring the monitoring'],
    ['O8', 'H', 'Status page independent of production'],
  ],
  handover: [
    ['H1', 'H', 'Account ownership matrix'],
    ['H2', 'R', 'RUNBOOK.md with required sections'],
    ['H3', 'H', 'Runbook executed by someone who did not write it'],
    ['H4', 'H', 'High-risk gaps fixed or formally accepted'],
    ['H5', 'H', 'Launch-day checklist executed and time-stamped'],
    ['H6', 'H+L', 'Week-two review done'],
  ],
};

export const READINESS_ITEMS: readonly ReadinessItem[] = STAGES.flatMap((stage) =>
  ROWS[stage].map(([id, modes, title]) => ({ id, stage, title, modes: modes.split('+') as CheckMode[] })),
);

export function readinessItemsFor(stage: Stage): ReadinessItem[] {
  return READINESS_ITEMS.filter((item) => item.stage === stage);
}

export function readinessItem(id: string): ReadinessItem | undefined {
  return READINESS_ITEMS.find((item) => item.id === id);
}
