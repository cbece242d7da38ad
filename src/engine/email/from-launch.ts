import type { LaunchConfig } from '../launch/model';
import type { EmailCheckOptions, EmailDomainConfig } from './index';

// launch.yaml's email section as the domains checkEmail() looks at: each sender with what it
// declares, and each non-sending domain, which must be locked down (null MX, -all, p=reject).

export function emailDomainsFromLaunch(config: LaunchConfig): { domains: EmailDomainConfig[]; options: EmailCheckOptions } {
  const email = config.email;
  const domains: EmailDomainConfig[] = [];
  const seen = new Set<string>();
  for (const sender of email?.senders ?? []) {
    const name = sender.domain.name;
    const dmarc = sender.dmarc ?? email?.dmarc;
    const existing = domains.find((domain) => domain.domain === name);
    if (existing) {
      // Two providers sending for one domain: one SPF record must include both.
      existing.spfIncludes = [...(existing.spfIncludes ?? []), ...sender.spfIncludes.map((host) => host.name)];
      existing.dkimSelectors = [...(existing.dkimSelectors ?? []), ...sender.dkimSelectors];
      continue;
    }
    seen.add(name);
    domains.push({
      domain: name,
      sends: true,
      receives: email?.receivesMail,
      provider: sender.provider,
      spfIncludes: sender.spfIncludes.map((host) => host.name),
      dkimSelectors: [...sender.dkimSelectors],
      returnPath: sender.returnPath?.name,
      dmarc: dmarc && { policy: dmarc.policy, reportAddresses: dmarc.reportTo },
    });
  }
  for (const host of email?.nonSendingDomains ?? []) {
    if (seen.has(host.name)) continue;
    seen.add(host.name);
    domains.push({ domain: host.name, sends: false, receives: false });
  }
  return { domains, options: { stage: config.app.stage } };
}
