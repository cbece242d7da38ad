import { OWNED_ACCOUNTS, type DmarcPolicy, type LaunchConfig, type OwnedAccount, type Redirect } from '../launch/model';
import type { Finding } from '../model';
import { stagesOfFinding } from '../readiness/stage-status';
import {
  ACCOUNT_TITLES,
  apexOf,
  attestation,
  compareText,
  findingPlace,
  findingsWhere,
  hostOfFinding,
  placed,
  keepBlock,
  NOT_CHECKED,
  NOT_RECORDED,
  observedNumber,
  openFindings,
  orNotRecorded,
  plural,
  itemChecked,
  stageTitle,
  yamlLink,
} from './common';
import type { DocsInput } from './input';
import { bullets, checklist, code, joinBlocks, link, table, text } from './markdown';
import { generatedAtLine, intro } from './runbook';

// HANDOVER.md: everything the next person (or the founder in six months) needs to own the launch:
// accounts, DNS, redirects, email, variables (names only), monitoring, risks and dates.


/** How many open findings the risk table lists before pointing at the audit for the rest. */
const MAX_RISK_ROWS = 60;

function overview(input: DocsInput): string {
  const { config } = input;
  const rows: string[][] = [
    ['Service', text(config.app.name)],
    ['What it does', orNotRecorded(config.app.description)],
    ['Stage', text(config.app.stage)],
    ['Launch date', orNotRecorded(config.app.launchDate)],
    ['Repository', config.app.repository ? link(config.app.repository, config.app.repository) : NOT_RECORDED],
    ['Primary domain', config.domain ? code(config.domain.primary.input) : NOT_RECORDED],
    ['Service level (SLO/SLA)', `${NOT_RECORDED}; state one, even informally (H4)`],
    ['Last audit', input.audit ? text(input.audit.generatedAt) : `${NOT_CHECKED}: run ${code('npx launch-ready audit')}`],
  ];
  return joinBlocks(['## Service overview', table(['Item', 'Value'], rows), keepBlock('overview', 'Describe the service in your own words here; regeneration keeps it.')]);
}

function accounts(input: DocsInput): string {
  const { owners } = input.config;
  const row = (label: string, entry: LaunchConfig['owners'][OwnedAccount] | undefined, path: (string | number)[], provider = entry?.provider): string[] => [
    text(label),
    orNotRecorded(provider),
    orNotRecorded(entry?.owner),
    orNotRecorded(entry?.billing),
    orNotRecorded(entry?.twoFactor),
    orNotRecorded(entry?.recovery),
    orNotRecorded(entry?.note),
    entry ? yamlLink(input, path) : NOT_RECORDED,
  ];
  const rows = OWNED_ACCOUNTS.map((account) =>
    // `edge.provider: none` is a decision, not a gap: there is no CDN account to own.
    account === 'edge' && !owners.edge && input.config.edge.provider === 'none'
      ? [text(ACCOUNT_TITLES.edge), 'none (no CDN)', '—', '—', '—', '—', '—', yamlLink(input, ['edge', 'provider'])]
      : row(ACCOUNT_TITLES[account], owners[account], ['owners', account], owners[account]?.provider ?? (account === 'edge' && input.config.edge.provider !== 'none' ? input.config.edge.provider : account === 'monitoring' ? input.config.monitoring.provider : undefined)),
  );
  for (const name of Object.keys(owners.other).sort(compareText)) rows.push(row(name, owners.other[name], ['owners', 'other', name]));
  return joinBlocks([
    '## Account ownership',
    `Who owns each account, who pays, who holds the second factor and who can recover it. Credentials are never written here: the last column says where they live (a password manager entry), from ${code('owners.<account>.note')} in launch.yaml.`,
    table(['Account', 'Provider', 'Owner', 'Billing', '2FA holder', 'Recovery contact', 'Where credentials live', 'Declared in'], rows),
    `Ownership matrix confirmed (H1): ${attestation(input, 'H1')}.`,
  ]);
}

function summarize(findings: readonly Finding[]): string {
  const titles = [...new Set(findings.map((finding) => finding.message))];
  return titles.slice(0, 2).map((message) => text(message)).join(' ');
}

/** Certificate, TLS and HTTPS findings make the SSL column; DNS-record findings the DNS column. */
const HOST_COLUMN_RULES = { edge: /^web\/(?:cert-|tls-|hsts-|http-not-upgraded|unreachable)/, dns: /^dns\// } as const;

const HOST_COLUMN_ITEMS = { edge: 'E1', dns: 'D1' } as const;

function hostCheck(input: DocsInput, host: string, stage: 'dns' | 'edge'): string {
  const findings = findingsWhere(input, (finding) => HOST_COLUMN_RULES[stage].test(finding.ruleId) && hostOfFinding(finding) === host);
  if (findings.length > 0) return `failing: ${summarize(findings)}`;
  const open = new Set(openFindings(input));
  const accepted = (input.audit?.findings ?? []).filter((finding) => HOST_COLUMN_RULES[stage].test(finding.ruleId) && hostOfFinding(finding) === host && !open.has(finding));
  if (accepted.length > 0) return `accepted risk: ${summarize(accepted)}`;
  return itemChecked(input, stage, HOST_COLUMN_ITEMS[stage]) ? 'no finding at the last audit' : NOT_CHECKED;
}

function dnsMap(input: DocsInput): string {
  const domain = input.config.domain;
  const blocks = ['## DNS map'];
  if (!domain) {
    blocks.push(`No domain is declared in launch.yaml (${code('domain.primary')}).`);
    return joinBlocks(blocks);
  }
  const rows: string[][] = [];
  domain.subdomains.forEach((sub) => {
    const path = ['domain', 'subdomains', sub.key];
    const records: [string, string][] = [
      ...sub.a.map((address): [string, string] => ['A', address]),
      ...sub.aaaa.map((address): [string, string] => ['AAAA', address]),
      ...(sub.cname ? [['CNAME', sub.cname.input] as [string, string]] : []),
    ];
    if (records.length === 0) records.push(['—', `${NOT_RECORDED} (the record is not declared)`]);
    const seen = observedHost(input, sub.host.name);
    for (const [type, target] of records) {
      rows.push([
        code(sub.host.input),
        type,
        target.startsWith(NOT_RECORDED) ? target : code(target),
        sub.proxied ? 'yes' : 'no',
        sub.public ? 'public' : 'private',
        seen.resolves,
        seen.ttl,
        hostCheck(input, sub.host.name, 'edge'),
        hostCheck(input, sub.host.name, 'dns'),
        yamlLink(input, path),
      ]);
    }
  });
  if (rows.length > 0) blocks.push(table(['Host', 'Type', 'Target', 'Proxied', 'Visibility', 'Resolved to at the last audit', 'TTL', 'SSL', 'DNS check', 'Declared in'], rows));
  else blocks.push(`No subdomains (apex, ${code('www')}, app …) are declared under ${yamlLink(input, ['domain'])}.`);
  const facts = input.audit?.dns;
  const nameservers = facts && facts.nameservers.length > 0 ? facts.nameservers.map((ns) => code(ns.host)).join(', ') : NOT_CHECKED;
  const caa = facts?.caa.find((entry) => entry.host === apexOf(input)) ?? facts?.caa[0];
  const caaSeen = !facts ? NOT_CHECKED : !caa || caa.foundAt === undefined ? 'no CAA record (any CA may issue)' : caa.issuers.length > 0 ? caa.issuers.map((issuer) => code(issuer)).join(', ') : 'no CA may issue';
  const extras = [
    `DNS provider: ${orNotRecorded(input.config.owners.dns?.provider)}; nameservers at the last audit: ${nameservers}.`,
    `Certificate authorities: ${domain.certificateAuthorities.length > 0 ? `declared ${domain.certificateAuthorities.map((ca) => code(ca.input)).join(', ')}` : `none declared (${code('domain.certificateAuthorities')})`}; CAA at the last audit: ${caaSeen}.`,
    `DNSSEC: ${domain.dnssec === undefined ? `not declared (${code('domain.dnssec')})` : domain.dnssec ? 'declared signed' : 'declared not signed, by decision'}; at the last audit: ${facts ? text(facts.dnssec) : NOT_CHECKED}.`,
    'TTLs: lower them to 300 seconds a day before a cutover and raise them after (D5).',
  ];
  const zoneFindings = findingsWhere(input, (finding) => finding.ruleId.startsWith('dns/') && !domain.subdomains.some((sub) => sub.host.name === hostOfFinding(finding)));
  if (zoneFindings.length > 0) extras.push(`Other DNS findings: ${zoneFindings.slice(0, 5).map((finding) => text(finding.message)).join(' ')}`);
  blocks.push(bullets(extras));
  return joinBlocks(blocks);
}

function observedHost(input: DocsInput, host: string): { resolves: string; ttl: string } {
  const facts = input.audit?.dns;
  const seen = facts?.hosts.find((entry) => entry.host === host);
  if (!seen) return { resolves: facts ? 'not looked up' : NOT_CHECKED, ttl: '—' };
  const targets = [...seen.cnames, ...seen.addresses].map((value) => code(value)).join(', ');
  const resolves = seen.status === 'resolves' ? targets || 'resolves' : `${text(seen.status)}${targets ? ` (${targets})` : ''}`;
  return { resolves, ttl: seen.ttl === undefined ? '—' : `${seen.ttl} s` };
}

function redirectFindings(input: DocsInput, redirect: Redirect): Finding[] {
  const fromUrl = redirect.from.url?.href;
  return findingsWhere(input, (finding) => {
    if (finding.location.kind !== 'host' || !finding.ruleId.startsWith('web/')) return false;
    if (finding.observed?.expected === redirect.to.href && (fromUrl ? finding.location.subject === fromUrl : finding.location.host === redirect.from.host.name)) return true;
    return fromUrl ? finding.location.subject === fromUrl : finding.location.host === redirect.from.host.name && /^web\/(?:redirect|https-upgrade|http-not)/.test(finding.ruleId);
  });
}

function hopsOf(findings: readonly Finding[]): string {
  for (const finding of findings) {
    const redirects = observedNumber(finding, 'redirects');
    if (redirects !== undefined) return String(redirects);
  }
  return 'not measured';
}

function redirectMap(input: DocsInput): string {
  const redirects = input.config.domain?.redirects ?? [];
  const blocks = ['## Redirect map'];
  if (redirects.length === 0) {
    blocks.push(`No redirects are declared under ${code('domain.redirects')} in launch.yaml.`);
    return joinBlocks(blocks);
  }
  const rows = redirects.map((redirect, index) => {
    const findings = redirectFindings(input, redirect);
    const result = findings.length > 0 ? `failing: ${summarize(findings)}` : itemChecked(input, 'dns', 'D4') ? 'verified at the last audit' : NOT_CHECKED;
    return [
      code(redirect.from.url?.input ?? redirect.from.host.input),
      code(redirect.to.input),
      String(redirect.status),
      redirect.preservePath ? 'yes' : 'no',
      hopsOf(findings),
      result,
      yamlLink(input, ['domain', 'redirects', index]),
    ];
  });
  blocks.push(table(['From', 'To', 'Status', 'Keeps path', 'Hops', 'Result', 'Declared in'], rows));
  return joinBlocks(blocks);
}

function certificateOf(finding: Finding): { validTo?: string; issuer?: string; daysLeft?: number } {
  const certificate = finding.observed?.certificate as { validTo?: unknown; issuer?: unknown } | undefined;
  return {
    validTo: typeof certificate?.validTo === 'string' ? certificate.validTo : undefined,
    issuer: typeof certificate?.issuer === 'string' ? certificate.issuer : undefined,
    daysLeft: observedNumber(finding, 'daysLeft'),
  };
}

function edge(input: DocsInput): string {
  const { edge: settings } = input.config;
  const hsts = settings.hsts;
  const certificateFindings = findingsWhere(input, (finding) => finding.ruleId.startsWith('web/cert-') || finding.ruleId === 'web/tls-legacy-protocol');
  const hstsFindings = findingsWhere(input, (finding) => finding.ruleId.startsWith('web/hsts-'));
  const cacheFindings = findingsWhere(input, (finding) => finding.ruleId.startsWith('web/cache-') || finding.ruleId === 'web/compression-off');
  const state = (findings: Finding[], stage: 'edge' | 'performance', item: string) => (findings.length > 0 ? `failing: ${summarize(findings)}` : itemChecked(input, stage, item) ? 'no finding at the last audit' : NOT_CHECKED);
  return joinBlocks([
    '## Edge, SSL and caching',
    table(
      ['Setting', 'Declared', 'Last audit'],
      [
        settings.provider === 'none'
          ? ['Edge provider', 'none (no CDN)', 'nothing to check: no CDN sits in front']
          : ['Edge provider', orNotRecorded(settings.provider), state(findingsWhere(input, (finding) => finding.ruleId.startsWith('web/edge-')), 'edge', 'E4')],
        ['SSL mode', orNotRecorded(settings.tlsMode), settings.provider === 'cloudflare' ? `${NOT_CHECKED} live: confirm it in the Cloudflare dashboard (E4)` : NOT_CHECKED],
        ['HSTS', hsts ? code(`max-age=${hsts.maxAge ?? 'unset'}${hsts.includeSubDomains ? '; includeSubDomains' : ''}${hsts.preload ? '; preload' : ''}`) : NOT_RECORDED, state(hstsFindings, 'edge', 'E3')],
        ['Certificates', `renewed by ${orNotRecorded(settings.provider && settings.provider !== 'none' ? settings.provider : input.config.deploy.platform)}`, state(certificateFindings, 'edge', 'E1')],
        ['Caching and compression', 'static assets long-lived, HTML and API not shared', state(cacheFindings, 'performance', 'P1')],
      ],
    ),
    `Declared in ${yamlLink(input, ['edge'])}.`,
  ]);
}

const NEXT_POLICY: Record<DmarcPolicy, string> = {
  none: 'read the aggregate reports for two weeks, then move to `p=quarantine`',
  quarantine: 'when reports show only your own senders passing, move to `p=reject`',
  reject: 'keep it; watch the reports for new senders',
};

function emailStatus(input: DocsInput): string {
  const email = input.config.email;
  const blocks = ['## Email authentication'];
  if (!email || (email.senders.length === 0 && email.nonSendingDomains.length === 0)) {
    blocks.push(`No sending domains are declared under ${code('email')} in launch.yaml.`);
    return joinBlocks(blocks);
  }
  // SPF findings sit on the domain, DMARC on `_dmarc.<domain>`, DKIM on `<selector>._domainkey.<domain>`.
  const forDomain = (domain: string, prefix: 'spf' | 'dkim' | 'dmarc') =>
    findingsWhere(input, (finding) => {
      const host = hostOfFinding(finding) ?? '';
      if (finding.stage !== 'email' || !finding.ruleId.startsWith(`email/${prefix}`)) return false;
      return host === domain || host === `_dmarc.${domain}` || host.endsWith(`._domainkey.${domain}`);
    });
  const status = (findings: Finding[], item: string) => (findings.length > 0 ? `failing: ${summarize(findings)}` : itemChecked(input, 'email', item) ? 'no finding at the last audit' : NOT_CHECKED);
  const rows = email.senders.map((sender, index) => {
    const domain = sender.domain.name;
    const spf = forDomain(domain, 'spf');
    const lookups = spf.map((finding) => observedNumber(finding, 'lookups')).find((value) => value !== undefined);
    const spfCell = `${sender.spfIncludes.length > 0 ? `includes ${sender.spfIncludes.map((include) => code(include.input)).join(', ')}; ` : ''}lookups: ${lookups ?? 'not measured'}; ${status(spf, 'M1')}`;
    const dkim = forDomain(domain, 'dkim');
    const selectors = sender.dkimSelectors.map((selector) => {
      const weak = dkim.find((finding) => hostOfFinding(finding) === `${selector}._domainkey.${domain}` && observedNumber(finding, 'keyBits') !== undefined);
      const bits = observedNumber(weak, 'keyBits');
      return `${code(selector)} (${bits !== undefined ? `${bits}-bit` : 'key size not measured'})`;
    });
    const dkimCell = `${selectors.length > 0 ? selectors.join(', ') : 'no selectors declared'}; ${status(dkim, 'M2')}`;
    const dmarc = forDomain(domain, 'dmarc');
    const policy = sender.dmarc?.policy ?? email.dmarc?.policy;
    const reportTo = (sender.dmarc ?? email.dmarc)?.reportTo ?? [];
    // The next step starts from what is published, when the audit saw it, not from the intent.
    const seen = itemChecked(input, 'email', 'M3') ? publishedDmarc(input, domain) : undefined;
    // A subdomain without a DMARC record of its own gets the organisational record's sp= (or p=);
    // the audit reports that record once, at `_dmarc.<apex>`, so point there instead of "no finding".
    const apex = apexOf(input);
    const organisational = !seen && dmarc.length === 0 && apex && domain.endsWith(`.${apex}`) && itemChecked(input, 'email', 'M3') ? publishedDmarc(input, apex) : undefined;
    const inherited = organisational && !organisational.missing ? { record: organisational.record, policy: subdomainPolicy(organisational.record) ?? organisational.policy } : undefined;
    const dmarcStatus = inherited
      ? `no finding at ${code(`_dmarc.${domain}`)}; without a record of its own it inherits ${code(`p=${inherited.policy ?? 'none'}`)} from ${code(`_dmarc.${apex}`)}`
      : status(dmarc, 'M3');
    const dmarcCell = `intended ${policy ? code(`p=${policy}`) : NOT_RECORDED}${reportTo.length > 0 ? `, reports to ${reportTo.map((address) => code(address)).join(', ')}` : ''}; ${dmarcStatus}`;
    const next = inherited
      ? `if it has no record of its own: ${nextDmarcStep(inherited)}`
      : seen?.missing
      ? `publish a DMARC record (start with ${code('p=none')} plus reports)`
      : seen
        ? nextDmarcStep(seen)
        : policy
          ? text(NEXT_POLICY[policy])
          : `declare ${code('email.dmarc.policy')} (start with ${code('none')} plus reports)`;
    return [code(sender.domain.input), text(sender.provider), spfCell, dkimCell, dmarcCell, next, yamlLink(input, ['email', 'senders', index])];
  });
  if (rows.length > 0) blocks.push(table(['Domain', 'Sender', 'SPF', 'DKIM', 'DMARC', 'Next step', 'Declared in'], rows));
  const extras: string[] = [];
  if (email.nonSendingDomains.length > 0) extras.push(`Domains that send no mail (must publish ${code('v=spf1 -all')}, ${code('p=reject')} and a null MX): ${email.nonSendingDomains.map((domain) => code(domain.input)).join(', ')}.`);
  extras.push(`Inboxes that must receive mail: ${email.inboxes.length > 0 ? email.inboxes.map((inbox) => code(inbox)).join(', ') : NOT_RECORDED}.`);
  extras.push(`Bulk sender (about 5,000 messages a day to Gmail): ${email.bulkSender ? 'yes: one-click unsubscribe and a spam rate under 0.3% are required' : 'no'}.`);
  blocks.push(bullets(extras));
  return joinBlocks(blocks);
}

function environments(input: DocsInput): string {
  const blocks = ['## Environment variables', 'Names only: values live in each environment\'s secrets store and are never written here. "Secret" means the value must be treated as a credential.'];
  if (input.envInventory.length === 0) {
    blocks.push(`No environments are declared in ${yamlLink(input, ['environments'])} and no env files were found.`);
    return joinBlocks(blocks);
  }
  for (const environment of input.envInventory) {
    const index = input.config.environments.findIndex((entry) => entry.name === environment.name);
    const where = environment.declared && index !== -1 ? ` (${yamlLink(input, ['environments', environment.name])})` : ' (from env file names; not declared in launch.yaml)';
    blocks.push(`### Environment: ${text(environment.name)}`);
    blocks.push(`Secrets store: ${orNotRecorded(environment.secretsStore)}${where}.`);
    if (environment.variables.length === 0) {
      blocks.push('No variables found.');
      continue;
    }
    blocks.push(
      table(
        ['Variable', 'Secret', 'Required', 'Set in'],
        environment.variables.map((variable) => [code(variable.name), variable.secret ? 'yes' : 'no', variable.required ? 'yes' : 'no', variable.setIn.length > 0 ? variable.setIn.map((file) => code(file)).join(', ') : 'no workspace file (platform or secrets store)']),
      ),
    );
  }
  return joinBlocks(blocks);
}

function monitoring(input: DocsInput): string {
  const { monitoring: settings } = input.config;
  const blocks = ['## Monitoring'];
  blocks.push(
    bullets([
      `Provider: ${orNotRecorded(settings.provider)}; error tracking: ${orNotRecorded(input.config.owners.errorTracking?.provider)}.`,
      `Status page: ${settings.statusPage ? link(settings.statusPage.input, settings.statusPage.href) : NOT_RECORDED}.`,
      `Check interval: ${NOT_RECORDED} here (set in the monitoring provider; one minute is usual for the homepage and health check).`,
      `Monitoring the monitoring (O7): ${attestation(input, 'O7')}.`,
    ]),
  );
  if (settings.uptime.length > 0) {
    blocks.push(table(['Watched URL', 'Declared in'], settings.uptime.map((url, index) => [link(url.input, url.href), yamlLink(input, ['monitoring', 'uptime', index])])));
  } else {
    blocks.push(`No uptime URLs are declared (${code('monitoring.uptime')}): nothing outside the host notices an outage.`);
  }
  if (settings.alerts.length > 0) {
    blocks.push(table(['Alert', 'Severity', 'Route'], settings.alerts.map((alert) => [text(alert.name), text(alert.severity), text(alert.notify)])));
  } else {
    blocks.push(`No alert routes are declared (${code('monitoring.alerts')}).`);
  }
  return joinBlocks(blocks);
}

function risks(input: DocsInput): string {
  const blocks = ['## Known risks', 'Open findings of the last audit, most damaging first (blockers stop the launch), then the risks someone accepted on purpose.'];
  if (!input.audit) {
    blocks.push(`${NOT_CHECKED}: no audit has run, so the open risks are unknown. Run ${code('npx launch-ready audit')}.`);
  } else {
    const open = openFindings(input);
    if (open.length === 0) {
      blocks.push('No open findings at the last audit.');
    } else {
      const rows = open.slice(0, MAX_RISK_ROWS).map((finding, index) => [String(index + 1), finding.severity, text(stagesOfFinding(placed(finding)).map(stageTitle).join(', ')), text(finding.message), findingPlace(input, finding), text(finding.remediation)]);
      blocks.push(table(['#', 'Severity', 'Area', 'Risk', 'Where', 'Fix'], rows));
      if (open.length > MAX_RISK_ROWS) blocks.push(`And ${plural(open.length - MAX_RISK_ROWS, 'more finding')}: run ${code('npx launch-ready audit')} for the full list.`);
    }
  }
  const accepted = input.config.acceptedRisks;
  if (accepted.length > 0) {
    blocks.push(
      table(
        ['Accepted risk', 'Item or rule', 'Accepted by', 'Until', 'Mitigation', 'Declared in'],
        accepted.map((risk, index) => [
          `${text(risk.risk)}${risk.expired ? ' (expired: open again)' : ''}`,
          code(risk.rule ?? risk.item ?? '—'),
          text(risk.acceptedBy),
          text(risk.until),
          orNotRecorded(risk.mitigation),
          yamlLink(input, ['acceptedRisks', index]),
        ]),
      ),
    );
  } else {
    blocks.push(`No accepted risks are recorded (${code('acceptedRisks')} in launch.yaml).`);
  }
  return joinBlocks(blocks);
}

function neverEditCasually(input: DocsInput): string {
  const { config } = input;
  const items: string[] = [];
  if (config.domain) {
    items.push(`Nameservers at the registrar${config.owners.registrar?.provider ? ` (${text(config.owners.registrar.provider)})` : ''}: a wrong value takes the site and email offline.`);
    items.push(`The apex and ${code('www')} records of ${code(apexOf(input) ?? config.domain.primary.name)}, and every record in the DNS map.`);
  }
  if (config.email && config.email.senders.length > 0) items.push('MX, SPF, DKIM (`._domainkey`) and `_dmarc` records: a typo sends customer mail to spam or loses it.');
  if (config.edge.provider && config.edge.provider !== 'none') items.push(`The ${text(config.edge.provider)} SSL mode${config.edge.tlsMode ? ` (${code(config.edge.tlsMode)})` : ''}: "Flexible" in front of an HTTPS-redirecting origin loops forever.`);
  if (config.edge.hsts?.preload) items.push('HSTS preload: removal from browsers takes months.');
  items.push('Secret values in the secrets store: change them only by following the runbook\'s "Leaked secret" playbook.');
  if (config.deploy.pipeline || config.deploy.rollbackCommand) items.push('The deploy pipeline and the rollback command: test any change with a rollback drill.');
  items.push(`launch.yaml (${yamlLink(input, [])}): these documents and the audit are generated from it.`);
  return joinBlocks(['## What must never be edited casually', bullets(items)]);
}

function launchDay(input: DocsInput): string {
  const { config } = input;
  const blockers = openFindings(input).filter((finding) => finding.severity === 'blocker').length;
  const items = [
    `Blockers: ${input.audit ? (blockers === 0 ? 'none open at the last audit' : `${plural(blockers, 'blocker')} open; fix or accept them`) : `${NOT_CHECKED} (run the audit)`}. Time: ____`,
    'DNS cutover: records changed as in the DNS map, checked from two resolvers. Time: ____',
    `Cache purge${config.edge.provider && config.edge.provider !== 'none' ? ` at ${text(config.edge.provider)}` : ''}. Time: ____`,
    'Smoke test: home page, sign-up, login, the paid feature, a test payment, a test email. Time: ____',
    'Alert test: trigger one alert and confirm the right person was notified. Time: ____',
    `Comms: announcement sent${config.monitoring.statusPage ? ', status page set to operational' : ''}. Time: ____`,
  ];
  return joinBlocks(['## Launch-day checklist', 'Tick each item and write the time it was done (H5).', checklist(items)]);
}

/** What the last audit saw at `_dmarc.<domain>`. Only findings carry the record, so a clean check leaves it undefined. */
function publishedDmarc(input: DocsInput, domain: string): { missing: true } | { missing: false; record: string; policy?: DmarcPolicy } | undefined {
  const host = `_dmarc.${domain}`;
  const findings = (input.audit?.findings ?? []).filter((finding) => finding.ruleId.startsWith('email/dmarc-') && hostOfFinding(finding) === host);
  if (findings.some((finding) => finding.ruleId === 'email/dmarc-missing')) return { missing: true };
  const record = findings.map((finding) => finding.observed?.record).find((value): value is string => typeof value === 'string');
  if (record === undefined) return undefined;
  const value = /(?:^|;)\s*p\s*=\s*([a-z]+)/i.exec(record)?.[1].toLowerCase();
  return { missing: false, record, policy: value === 'none' || value === 'quarantine' || value === 'reject' ? value : undefined };
}

/** The step after the published policy; p=none without rua= has no reports to read yet. */
function nextDmarcStep(seen: { record: string; policy?: DmarcPolicy }): string {
  const policy = seen.policy ?? 'none';
  if (policy === 'none' && !/(?:^|;)\s*rua\s*=/i.test(seen.record)) return `add ${code('rua=mailto:<address>')} so reports arrive, read them for two weeks, then move to ${code('p=quarantine')}`;
  return text(NEXT_POLICY[policy]);
}

function subdomainPolicy(record: string): DmarcPolicy | undefined {
  const value = /(?:^|;)\s*sp\s*=\s*([a-z]+)/i.exec(record)?.[1].toLowerCase();
  return value === 'none' || value === 'quarantine' || value === 'reject' ? value : undefined;
}

function declaredDmarcPolicy(config: LaunchConfig): DmarcPolicy | undefined {
  return config.email?.dmarc?.policy ?? config.email?.senders.find((sender) => sender.dmarc)?.dmarc?.policy;
}

// The follow-ups state what the audit saw; launch.yaml's intent is a fallback, labelled as such,
// because a "declared" value says nothing about what the DNS or the server actually sends.
function dmarcFollowUp(input: DocsInput): string {
  const { config } = input;
  const declared = declaredDmarcPolicy(config);
  const apex = apexOf(input);
  const audited = apex !== undefined && input.audit !== undefined && itemChecked(input, 'email', 'M3') && [...(config.email?.senders ?? []).map((sender) => sender.domain.name), ...(config.email?.nonSendingDomains ?? []).map((domain) => domain.name)].includes(apex);
  if (audited) {
    const seen = publishedDmarc(input, apex);
    const intent = (published: DmarcPolicy | undefined) => (declared && declared !== published ? ` (launch.yaml intends ${code(`p=${declared}`)})` : '');
    if (seen?.missing) return `DMARC: ${code(apex)} published no DMARC record at the last audit${intent(undefined)}; publish ${code('v=DMARC1; p=none; rua=mailto:<address>')} and read the reports before tightening it.`;
    if (seen && seen.policy) return `DMARC: ${code(`_dmarc.${apex}`)} published ${code(`p=${seen.policy}`)} at the last audit${intent(seen.policy)}; ${nextDmarcStep(seen)}.`;
    if (seen) return `DMARC: the record at ${code(`_dmarc.${apex}`)} had no valid ${code('p=')} at the last audit, so receivers treat it as ${code('p=none')}; fix it, then ${nextDmarcStep(seen)}.`;
    if (declared) return `DMARC: no DMARC finding at the last audit, so the published policy is at least the declared ${code(`p=${declared}`)}; ${text(NEXT_POLICY[declared])}.`;
    return 'DMARC: no DMARC finding at the last audit; keep reading the aggregate reports and tighten the policy step by step.';
  }
  if (declared) return `DMARC (declared in launch.yaml, not checked by an audit): ${code(`p=${declared}`)}; ${text(NEXT_POLICY[declared])}.`;
  return `DMARC: no policy declared in launch.yaml and none checked; publish one with reports (${code('p=none; rua=mailto:<address>')}) if there is none.`;
}

const HSTS_ONE_YEAR = 31536000;

function hstsFollowUp(input: DocsInput): string {
  const declared = input.config.edge.hsts;
  if (input.audit && itemChecked(input, 'edge', 'E3')) {
    // Accepted findings still describe what the server sent.
    const findings = input.audit.findings.filter((finding) => finding.ruleId === 'web/hsts-missing' || finding.ruleId === 'web/hsts-weak');
    if (findings.length === 0) return 'HSTS: every checked host sent max-age of a year or more with includeSubDomains at the last audit; nothing to raise.';
    const seen = new Map<string, string | undefined>();
    for (const finding of findings) {
      const host = hostOfFinding(finding) ?? '';
      const header = finding.observed?.header;
      if (!seen.has(host)) seen.set(host, typeof header === 'string' ? header : undefined);
    }
    const sent = [...seen].map(([host, header]) => (header === undefined ? `${code(host)} sent no header` : `${code(host)} sent ${code(header)}`));
    const headers = [...seen.values()];
    const maxAges = headers.map((header) => Number(/max-age\s*=\s*"?([0-9]+)/i.exec(header ?? '')?.[1] ?? 0));
    const steps: string[] = [];
    if (maxAges.some((maxAge) => maxAge < HSTS_ONE_YEAR)) steps.push(`raise max-age to one year (${code(String(HSTS_ONE_YEAR))})`);
    if (headers.some((header) => !/includesubdomains/i.test(header ?? ''))) steps.push(`add ${code('includeSubDomains')}`);
    return `HSTS: at the last audit ${sent.join(', ')}; ${steps.length > 0 ? steps.join(' and ') : 'send one header only'} once HTTPS is stable.`;
  }
  if (!declared) return `HSTS: not declared in launch.yaml and not checked by an audit; send ${code(`max-age=${HSTS_ONE_YEAR}; includeSubDomains`)} once HTTPS is stable.`;
  const header = `max-age=${declared.maxAge ?? 'unset'}${declared.includeSubDomains ? '; includeSubDomains' : ''}${declared.preload ? '; preload' : ''}`;
  const longEnough = declared.maxAge !== undefined && declared.maxAge >= HSTS_ONE_YEAR;
  return `HSTS (declared in launch.yaml, not checked by an audit): ${code(header)}; ${longEnough ? `confirm the site really sends it with ${code('npx launch-ready audit')}` : `raise max-age to one year (${code(String(HSTS_ONE_YEAR))}) once HTTPS is stable`}.`;
}

function certificateFollowUp(input: DocsInput): string {
  const facts = Object.entries(input.audit?.tls ?? {}).sort(([hostA, a], [hostB, b]) => a.daysLeft - b.daysLeft || compareText(hostA, hostB));
  if (facts.length === 0) return `Certificates: check expiry dates and that renewal ran (see ${link('Renewal dates', '#renewal-dates')}).`;
  const [host, first] = facts[0];
  if (first.daysLeft < 0) return `Certificates: ${code(host)}'s expired on ${text(first.notAfter.slice(0, 10))}; renew it now and find out why renewal did not run.`;
  return `Certificates: the first to expire is ${code(host)}'s, on ${text(first.notAfter.slice(0, 10))} (${plural(first.daysLeft, 'day')} left at the last audit); check that renewal ran before then.`;
}

function weekTwo(input: DocsInput): string {
  const items = [
    `Re-run ${code('npx launch-ready audit')} and ${code('npx launch-ready docs')}.`,
    dmarcFollowUp(input),
    hstsFollowUp(input),
    'DNS: raise the TTLs lowered for the cutover.',
    certificateFollowUp(input),
    'Review alert noise and every page of the first week; write a short review of each incident.',
    'Remove feature flags that are fully rolled out.',
  ];
  return joinBlocks(['## Week-two follow-ups', checklist(items), `Week-two review done (H6): ${attestation(input, 'H6')}.`]);
}

/** The last audit found no address for the host: its DNS lookup failed, or the HTTPS checks said so. */
function hasNoAddress(input: DocsInput, host: string): boolean {
  const looked = input.audit?.dns?.hosts.find((entry) => entry.host === host);
  // 'unverified' (a timeout, SERVFAIL) is not "no address": the host may well be up.
  if (looked && ['no-address', 'nxdomain', 'dangling'].includes(looked.status) && looked.addresses.length === 0) return true;
  return (input.audit?.findings ?? []).some((finding) => finding.ruleId === 'web/unreachable' && hostOfFinding(finding) === host && finding.observed?.kind === 'dns' && (finding.observed.code === 'nxdomain' || finding.observed.code === 'nodata'));
}

function renewals(input: DocsInput): string {
  const rows: string[][] = [];
  const tls = input.audit?.tls;
  const fromFindings = new Map<string, ReturnType<typeof certificateOf>>();
  for (const finding of findingsWhere(input, (candidate) => candidate.observed?.certificate !== undefined)) {
    const host = hostOfFinding(finding) ?? '';
    if (!fromFindings.has(host)) fromFindings.set(host, certificateOf(finding));
  }
  // Declared public hosts in launch.yaml's order, then any other host the audit saw a certificate on.
  const hosts = [
    ...new Set([
      ...(input.config.domain?.subdomains ?? []).filter((sub) => sub.public).map((sub) => sub.host.name),
      ...Object.keys(tls ?? {}).sort(compareText),
      ...fromFindings.keys(),
    ]),
  ];
  const checked = itemChecked(input, 'edge', 'E1');
  for (const host of hosts) {
    const fact = tls?.[host];
    const certificate = fromFindings.get(host);
    if (fact) {
      rows.push([`Certificate for ${code(host)}`, text(fact.notAfter.slice(0, 10)), String(fact.daysLeft), fact.issuer ? `issued by ${text(fact.issuer)}` : NOT_RECORDED]);
    } else if (certificate) {
      rows.push([`Certificate for ${code(host)}`, certificate.validTo ? text(certificate.validTo.slice(0, 10)) : 'not measured', certificate.daysLeft !== undefined ? String(certificate.daysLeft) : 'not measured', certificate.issuer ? `issued by ${text(certificate.issuer)}` : NOT_RECORDED]);
    } else if (input.audit && hasNoAddress(input, host)) {
      // A name without an address serves no certificate; "not recorded" would suggest one went unread.
      rows.push([`Host ${code(host)}`, 'not reachable at the last audit: DNS has no address for it, so no certificate was served', '—', 'see the DNS map and the known risks']);
    } else {
      rows.push([`Certificate for ${code(host)}`, !checked ? NOT_CHECKED : tls ? 'not recorded (no TLS handshake completed at the last audit)' : 'not recorded (no expiry finding at the last audit)', '—', '—']);
    }
  }
  const registrable = input.config.domain?.primary.registrableDomain ?? input.config.domain?.primary.name;
  if (registrable) rows.push([`Domain ${code(registrable)}`, `${NOT_CHECKED} (look it up at the registrar${input.config.owners.registrar?.provider ? `, ${text(input.config.owners.registrar.provider)}` : ''})`, '—', 'keep auto-renew and the registrar lock on (D7)']);
  for (const risk of input.config.acceptedRisks) rows.push([`Accepted risk: ${text(risk.risk)}`, text(risk.until), '—', `accepted by ${text(risk.acceptedBy)}`]);
  return joinBlocks(['## Renewal dates', rows.length > 0 ? table(['What', 'Expires', 'Days left', 'Notes'], rows) : 'Nothing with an expiry date is declared.']);
}

export function generateHandoverBody(input: DocsInput): string {
  return joinBlocks([
    `# Handover: ${text(input.config.app.name)}`,
    generatedAtLine(input.generatedAt),
    intro('handover', input),
    overview(input),
    accounts(input),
    dnsMap(input),
    redirectMap(input),
    edge(input),
    emailStatus(input),
    environments(input),
    monitoring(input),
    risks(input),
    neverEditCasually(input),
    launchDay(input),
    weekTwo(input),
    renewals(input),
    '## Team notes',
    keepBlock('notes', 'Write anything the next owner should know here; regeneration keeps it.'),
  ]);
}
