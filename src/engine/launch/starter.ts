import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { classifyEnvFile } from '../env/lint';
import { parseEnv } from '../env/parse';
import { isEnvFileName } from '../env/workspace';
import { normalizeHost, registrableDomain } from './domains';
import type { EdgeProvider } from './model';

// `launch-ready init` and the editor's "Create launch.yaml": a commented starter filled with what
// the workspace already says (package.json, env file names and their keys, the git remote,
// platform config files). Env values are never read into the result, only key names.

export interface EnvFileFacts {
  /** Workspace-relative file name, e.g. `.env.production`. */
  file: string;
  /** The environment it belongs to, or `example` for `.env.example` and the like. */
  environment: string;
  /** Key names in file order, without duplicates. Never values. */
  keys: string[];
}

export interface LaunchFacts {
  appName?: string;
  /** package.json `homepage`, when it is the product's own site (not a code-hosting page). */
  homepage?: string;
  /** A web URL for the repository, credentials removed. */
  repository?: string;
  envFiles: EnvFileFacts[];
  platform?: string;
  edgeProvider?: EdgeProvider;
  pipeline?: string;
}

/** What the inference reads; the CLI passes the file system, the editor can pass workspace.fs contents. */
export interface FactSource {
  readText(relativePath: string): string | undefined;
  /** Names directly in the workspace root. */
  rootNames(): string[];
  /** Names in a workspace folder, or [] when there is none. */
  listDir(relativePath: string): string[];
}

export function nodeFactSource(root: string): FactSource {
  return {
    readText(relativePath) {
      const path = join(root, relativePath);
      try {
        // A starter needs small files only; a giant env or config file is skipped rather than read.
        if (!statSync(path).isFile() || statSync(path).size > 1024 * 1024) return undefined;
        return readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
    },
    rootNames() {
      return this.listDir('.');
    },
    listDir(relativePath) {
      try {
        return readdirSync(join(root, relativePath));
      } catch {
        return [];
      }
    },
  };
}

const CODE_HOSTS = ['github.com', 'gitlab.com', 'bitbucket.org', 'npmjs.com', 'www.npmjs.com', 'codeberg.org'];

const PLATFORM_FILES: [string, string, EdgeProvider | undefined][] = [
  ['vercel.json', 'vercel', 'vercel'],
  ['.vercel', 'vercel', 'vercel'],
  ['netlify.toml', 'netlify', 'netlify'],
  ['wrangler.toml', 'cloudflare', 'cloudflare'],
  ['wrangler.jsonc', 'cloudflare', 'cloudflare'],
  ['wrangler.json', 'cloudflare', 'cloudflare'],
  ['fly.toml', 'fly', undefined],
  ['render.yaml', 'render', undefined],
  ['railway.json', 'railway', undefined],
  ['railway.toml', 'railway', undefined],
  ['Procfile', 'heroku', undefined],
  ['app.yaml', 'gcp', undefined],
];

export function inferLaunchFacts(source: FactSource, fallbackName?: string): LaunchFacts {
  const facts: LaunchFacts = { envFiles: [] };
  const names = source.rootNames();
  const pkgText = source.readText('package.json');
  if (pkgText !== undefined) {
    try {
      const pkg = JSON.parse(pkgText) as Record<string, unknown>;
      const name = [pkg.productName, pkg.displayName, pkg.name].find((v): v is string => typeof v === 'string' && v.trim() !== '');
      if (name) facts.appName = name.replace(/^@[^/]+\//, '');
      if (typeof pkg.homepage === 'string') {
        const homepage = ownHomepage(pkg.homepage);
        if (homepage) facts.homepage = homepage;
      }
      const repository = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository as { url?: unknown } | undefined)?.url;
      if (typeof repository === 'string') facts.repository = webRepositoryUrl(repository);
    } catch {
      // A broken package.json only means less to infer.
    }
  }
  facts.appName ??= fallbackName;
  const remote = originUrl(source.readText('.git/config'));
  if (remote) facts.repository = webRepositoryUrl(remote) ?? facts.repository;

  for (const [file, platform, edge] of PLATFORM_FILES) {
    if (names.includes(file)) {
      facts.platform = platform;
      facts.edgeProvider = edge;
      break;
    }
  }
  if (names.includes('.gitlab-ci.yml')) facts.pipeline = 'gitlab-ci';
  else if (source.listDir('.github/workflows').some((n) => /\.ya?ml$/.test(n))) facts.pipeline = 'github-actions';

  for (const name of names.filter(isEnvFileName).sort()) {
    const text = source.readText(name);
    if (text === undefined) continue;
    const info = classifyEnvFile(name);
    const environment =
      info.kind === 'example' ? 'example' : info.kind === 'default' ? 'development' : info.kind === 'other' ? (info.mode ?? 'other').replace(/[^A-Za-z0-9_-]/g, '-') : info.kind;
    const keys: string[] = [];
    for (const entry of parseEnv(text).entries) if (!keys.includes(entry.key)) keys.push(entry.key);
    facts.envFiles.push({ file: name, environment, keys });
  }
  return facts;
}

/** package.json homepage, unless it points at the code host (`github.com/acme/app#readme`). */
function ownHomepage(text: string): string | undefined {
  try {
    const url = new URL(text);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    if (CODE_HOSTS.includes(url.hostname.toLowerCase())) return undefined;
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return undefined;
  }
}

const REMOTE_SECTION = /^\s*\[\s*remote\s+"([^"]*)"\s*\]/;
const ANY_SECTION = /^\s*\[/;
const URL_LINE = /^\s*url\s*=\s*(\S+)/;
/** `git@github.com:acme/app.git` */
const SCP_REMOTE = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)(\S+)$/;

/** Every pattern run on workspace text here, for the ReDoS test. */
export const REMOTE_PATTERNS: readonly RegExp[] = [REMOTE_SECTION, ANY_SECTION, URL_LINE, SCP_REMOTE];

/** `[remote "origin"] url = …` from .git/config. */
function originUrl(config: string | undefined): string | undefined {
  if (!config) return undefined;
  let inOrigin = false;
  for (const line of config.split(/\r?\n/)) {
    const section = REMOTE_SECTION.exec(line);
    if (section) {
      inOrigin = section[1] === 'origin';
      continue;
    }
    if (ANY_SECTION.test(line)) inOrigin = false;
    const url = inOrigin ? URL_LINE.exec(line) : null;
    if (url) return url[1];
  }
  return undefined;
}

/**
 * A browsable https URL for a clone URL: `git@github.com:acme/app.git` → `https://github.com/acme/app`.
 * User names and tokens in the URL are dropped, never copied.
 */
export function webRepositoryUrl(clone: string): string | undefined {
  const text = clone.trim().replace(/^git\+/, '');
  const scp = SCP_REMOTE.exec(text);
  let host: string;
  let path: string;
  if (scp && !/^[a-z]+:\/\//i.test(text)) {
    host = scp[1];
    path = scp[2];
  } else {
    try {
      const url = new URL(text);
      if (!['https:', 'http:', 'ssh:', 'git:'].includes(url.protocol)) return undefined;
      host = url.hostname;
      path = url.pathname;
    } catch {
      return undefined;
    }
  }
  // Trailing slashes are trimmed by index: `/\/+$/` would rescan a long run of slashes from every start.
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end--;
  path = path.slice(0, end).replace(/^\/+/, '').replace(/\.git$/, '');
  if (!path || !normalizeHost(host).ok) return undefined;
  return `https://${host.toLowerCase()}/${path}`;
}

/** Production first: it is what the launch is about. Unknown names go last. */
const ENVIRONMENT_ORDER = ['production', 'staging', 'preview', 'development', 'test'];

/** One-line YAML for a value; a double-quoted JSON string is valid YAML and keeps line breaks escaped. */
const scalar = (value: string | number | boolean) =>
  typeof value === 'string' && /[\r\n\u2028\u2029]/.test(value) ? JSON.stringify(value) : stringify(value, { lineWidth: 0 }).trimEnd();

function envRequired(facts: LaunchFacts, environment: string): string[] {
  // The environment's own names first, then those the example file says every environment needs.
  const names: string[] = [];
  for (const wanted of [environment, 'example']) {
    for (const file of facts.envFiles) {
      if (file.environment !== wanted) continue;
      for (const key of file.keys) if (!names.includes(key)) names.push(key);
    }
  }
  return names;
}

/** The starter launch.yaml text. Everything not inferred is left as a commented example. */
export function generateStarterLaunchYaml(facts: LaunchFacts, options: { today?: string } = {}): string {
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const lines: string[] = [];
  const add = (...more: string[]) => lines.push(...more);
  const appName = facts.appName?.trim() || 'My App';

  add(
    `# launch.yaml: how ${appName.replace(/[\r\n]/g, ' ')} should look from the internet, who owns what, and what people`,
    '# have confirmed. Launch Ready checks DNS, email and HTTPS against it.',
    `# Started by \`launch-ready init\` on ${today}. Lines starting with # are examples to fill in.`,
    '',
    'version: 1',
    '',
    'app:',
    `  name: ${scalar(appName)}`,
    '  stage: prototype  # idea | prototype | demo | launch | first-customers',
  );
  if (facts.repository) add(`  repository: ${scalar(facts.repository)}`);
  add('  # launchDate: 2026-12-01', '');

  const primary = facts.homepage ? normalizeHost(new URL(facts.homepage).hostname) : undefined;
  if (primary?.ok) {
    const name = primary.host.name;
    const apex = registrableDomain(name) ?? name;
    const other = name === apex ? `www.${apex}` : name === `www.${apex}` ? apex : undefined;
    add('domain:', `  primary: ${scalar(name)}  # the one host customers use (from package.json homepage)`);
    if (other) {
      add('  redirects:  # every other spelling must redirect to the primary host', `    - from: ${scalar(other)}`, `      to: ${scalar(`https://${name}`)}`, '      status: 301');
    } else {
      add('  # redirects:', `  #   - from: old-domain.com`, `  #     to: https://${name}`);
    }
    // Sections with nothing filled in stay commented out: an empty key reads as "no value".
    add(
      '  # subdomains:  # each name and what it must point to',
      '  #   api:',
      '  #     cname: your-app.fly.dev  # or a: 203.0.113.10',
      '  #   staging:',
      '  #     cname: your-staging.fly.dev',
      '  #     public: false  # must not resolve publicly',
      '  # certificateAuthorities: [letsencrypt.org]  # CAs allowed in CAA',
    );
  } else {
    add('# domain:', '#   primary: www.example.com  # the one host customers use', '#   redirects:', '#     - from: example.com', '#       to: https://www.example.com');
  }
  add('');

  // A section with nothing inferred is commented out whole: an empty key reads as "no value".
  const hsts = 'hsts: { maxAge: 31536000, includeSubDomains: false, preload: false }  # preload only on purpose: hard to undo';
  if (facts.edgeProvider) {
    add('edge:', `  provider: ${facts.edgeProvider}  # cloudflare | fastly | cloudfront | vercel | netlify | none`, `  # ${hsts}`, '');
  } else {
    add('# edge:', '#   provider: cloudflare  # cloudflare | fastly | cloudfront | vercel | netlify | none', `#   ${hsts}`, '');
  }

  add(
    '# email:',
    '#   receivesMail: true',
    '#   inboxes: [support@example.com, postmaster@example.com]',
    '#   senders:',
    '#     - domain: example.com',
    '#       provider: google-workspace',
    '#       spfIncludes: [_spf.google.com]',
    '#       dkimSelectors: [google]',
    '#   dmarc: { policy: none, reportTo: dmarc@example.com }  # move to quarantine/reject before first customers',
    '',
  );

  const health = 'healthUrl: https://api.example.com/health';
  const rollback = 'rollbackCommand: vercel rollback  # the one command that puts the last good release back';
  if (facts.platform || facts.pipeline) {
    add('deploy:', facts.platform ? `  platform: ${scalar(facts.platform)}` : '  # platform: vercel');
    if (facts.pipeline) add(`  pipeline: ${scalar(facts.pipeline)}`);
    add(`  # ${health}`, `  # ${rollback}`, '');
  } else {
    add('# deploy:', '#   platform: vercel', `#   ${health}`, `#   ${rollback}`, '');
  }

  const environments = [...new Set(facts.envFiles.map((f) => f.environment).filter((e) => e !== 'example'))];
  const hasExample = facts.envFiles.some((f) => f.environment === 'example');
  if (hasExample && !environments.includes('production')) environments.push('production');
  const rank = (e: string) => (ENVIRONMENT_ORDER.indexOf(e) + ENVIRONMENT_ORDER.length + 1) % (ENVIRONMENT_ORDER.length + 1);
  environments.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (environments.length > 0) {
    add('environments:  # variable names only, from your env files; values never belong here');
    for (const environment of environments) {
      add(`  ${scalar(environment)}:`);
      const files = facts.envFiles.filter((f) => f.environment === environment).map((f) => f.file);
      if (files.length > 0) add(`    files: [${files.map(scalar).join(', ')}]`);
      const required = envRequired(facts, environment);
      if (required.length > 0) {
        add('    required:');
        for (const key of required) add(`      - ${scalar(key)}`);
      }
    }
  } else {
    add('# environments:', '#   production:', '#     files: [.env.production]', '#     required: [DATABASE_URL]');
  }
  add('');

  add(
    '# monitoring:',
    '#   uptime: [https://www.example.com/, https://api.example.com/health]',
    '#   alerts:',
    '#     - { name: site down, notify: "pager: on-call", severity: critical }',
    '',
    '# owners:  # who owns each account (name, or { provider, owner, billing, twoFactor, recovery })',
    '#   registrar: you@example.com',
    '#   dns: you@example.com',
    '#   hosting: you@example.com',
    '#   edge: you@example.com',
    '#   email: you@example.com',
    '#   monitoring: you@example.com',
    '#   errorTracking: you@example.com',
    '#   analytics: you@example.com',
    '#   payments: you@example.com',
    '#   database: you@example.com',
    '',
    'latency:',
    '  apiP95Ms: 300  # p95 budget for API endpoints, in ms',
    '  pageP95Ms: 2000  # p95 budget for pages, in ms',
    '',
    '# attestations:  # what only a person can confirm, by readiness item id',
    `#   R2: { by: you@example.com, date: ${today}, evidence: "rollback drill notes" }  # rollback exercised`,
    `#   R7: { by: you@example.com, date: ${today}, evidence: "restore log" }  # backup restored`,
    `#   H3: { by: someone-else@example.com, date: ${today}, evidence: "runbook walkthrough" }`,
    '',
    '# acceptedRisks:',
    '#   - risk: No automatic rollback on alarms yet',
    '#     item: R3',
    '#     acceptedBy: you@example.com',
    `#     until: ${addDays(today, 90)}`,
  );
  return lines.join('\n') + '\n';
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Reads the workspace and returns the starter text (the editor command and the CLI share this). */
export function starterForWorkspace(root: string, options: { today?: string } = {}): { text: string; facts: LaunchFacts } {
  const facts = inferLaunchFacts(nodeFactSource(root), basename(root));
  return { text: generateStarterLaunchYaml(facts, options), facts };
}

export function existingLaunchFile(root: string): string | undefined {
  return ['launch.yaml', 'launch.yml'].find((name) => existsSync(join(root, name)));
}
