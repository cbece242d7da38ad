// Who is behind a DNS name, as data: hosted services whose CNAME targets can be claimed by anyone
// once the customer's resource is gone (subdomain takeover), DNS providers recognised from their
// nameserver names, and the CAA domains of certificate authorities. Matching is label-wise on
// lower-case ASCII names, with no regular expressions.

export interface NameMatcher {
  /** The name is one of these or ends in `.<suffix>`. */
  suffixes: readonly string[];
  /** Alternatively: some label of the name starts with one of these (e.g. `awsdns-`). */
  labelPrefixes?: readonly string[];
  /** With suffixes: some label left of the suffix must also start with one of these (e.g. `s3`). */
  requireLabelPrefix?: readonly string[];
}

export interface TakeoverService extends NameMatcher {
  service: string;
}

/** CNAME targets at services where a deleted resource's name can be registered by someone else. */
export const TAKEOVER_SERVICES: readonly TakeoverService[] = [
  { service: 'Heroku', suffixes: ['herokuapp.com', 'herokudns.com', 'herokussl.com'] },
  { service: 'GitHub Pages', suffixes: ['github.io'] },
  { service: 'AWS S3', suffixes: ['amazonaws.com'], requireLabelPrefix: ['s3'] },
  { service: 'AWS Elastic Beanstalk', suffixes: ['elasticbeanstalk.com'] },
  { service: 'AWS CloudFront', suffixes: ['cloudfront.net'] },
  { service: 'Azure', suffixes: ['azurewebsites.net', 'cloudapp.net', 'cloudapp.azure.com', 'trafficmanager.net', 'blob.core.windows.net', 'azureedge.net', 'azurefd.net', 'azure-api.net', 'azurecontainerapps.io'] },
  { service: 'Vercel', suffixes: ['vercel.app', 'vercel-dns.com', 'now.sh'] },
  { service: 'Netlify', suffixes: ['netlify.app', 'netlify.com'] },
  { service: 'Fly.io', suffixes: ['fly.dev'] },
  { service: 'Cloudflare Pages', suffixes: ['pages.dev'] },
  { service: 'Firebase Hosting', suffixes: ['firebaseapp.com', 'web.app'] },
  { service: 'Render', suffixes: ['onrender.com'] },
  { service: 'Shopify', suffixes: ['myshopify.com'] },
  { service: 'Zendesk', suffixes: ['zendesk.com'] },
  { service: 'ReadMe', suffixes: ['readme.io'] },
  { service: 'Ghost', suffixes: ['ghost.io'] },
  { service: 'Surge', suffixes: ['surge.sh'] },
  { service: 'Bitbucket', suffixes: ['bitbucket.io'] },
  { service: 'Pantheon', suffixes: ['pantheonsite.io'] },
  { service: 'WP Engine', suffixes: ['wpengine.com'] },
  { service: 'Help Scout', suffixes: ['helpscoutdocs.com'] },
  { service: 'Statuspage', suffixes: ['statuspage.io'] },
  { service: 'Unbounce', suffixes: ['unbouncepages.com'] },
  { service: 'Webflow', suffixes: ['webflow.io', 'proxy-ssl.webflow.com'] },
  { service: 'Tumblr', suffixes: ['domains.tumblr.com'] },
];

export interface DnsProvider extends NameMatcher {
  /** Compared with `owners.dns.provider` in launch.yaml, case-insensitively. */
  id: string;
  name: string;
  aliases?: readonly string[];
}

export const DNS_PROVIDERS: readonly DnsProvider[] = [
  { id: 'cloudflare', name: 'Cloudflare', suffixes: ['ns.cloudflare.com', 'cloudflare.com'] },
  { id: 'route53', name: 'Amazon Route 53', suffixes: [], labelPrefixes: ['awsdns-'], aliases: ['aws', 'amazon', 'route 53', 'route-53'] },
  { id: 'google', name: 'Google Cloud DNS', suffixes: ['googledomains.com', 'google.com'], aliases: ['gcp', 'google cloud', 'cloud dns', 'google-cloud'] },
  { id: 'azure', name: 'Azure DNS', suffixes: ['azure-dns.com', 'azure-dns.net', 'azure-dns.org', 'azure-dns.info'], aliases: ['microsoft'] },
  { id: 'digitalocean', name: 'DigitalOcean', suffixes: ['digitalocean.com'] },
  { id: 'vercel', name: 'Vercel', suffixes: ['vercel-dns.com'] },
  { id: 'netlify', name: 'Netlify (NS1)', suffixes: ['nsone.net'], aliases: ['ns1', 'nsone'] },
  { id: 'namecheap', name: 'Namecheap', suffixes: ['registrar-servers.com'] },
  { id: 'godaddy', name: 'GoDaddy', suffixes: ['domaincontrol.com'] },
  { id: 'dnsimple', name: 'DNSimple', suffixes: ['dnsimple.com', 'dnsimple-edge.net'] },
  { id: 'hetzner', name: 'Hetzner', suffixes: ['ns.hetzner.com', 'ns.hetzner.de', 'your-server.de'] },
  { id: 'ovh', name: 'OVHcloud', suffixes: ['ovh.net', 'ovh.ca'] },
  { id: 'gandi', name: 'Gandi', suffixes: ['gandi.net'] },
  { id: 'porkbun', name: 'Porkbun', suffixes: ['porkbun.com'] },
  { id: 'hover', name: 'Hover', suffixes: ['hover.com'] },
  { id: 'linode', name: 'Akamai Linode', suffixes: ['linode.com'] },
  { id: 'dnsmadeeasy', name: 'DNS Made Easy', suffixes: ['dnsmadeeasy.com'] },
  { id: 'ultradns', name: 'UltraDNS', suffixes: ['ultradns.com', 'ultradns.net', 'ultradns.org', 'ultradns.biz'] },
  { id: 'ionos', name: 'IONOS', suffixes: ['ui-dns.com', 'ui-dns.de', 'ui-dns.org', 'ui-dns.biz'] },
];

/** CAA `issue` domains per CA, and the words an issuer organisation name contains (from a certificate). */
export interface CertificateAuthority {
  name: string;
  caaDomains: readonly string[];
  /** Lower-case words matched against a certificate's issuer organisation. */
  organisationWords: readonly string[];
}

export const CERTIFICATE_AUTHORITIES: readonly CertificateAuthority[] = [
  { name: "Let's Encrypt", caaDomains: ['letsencrypt.org'], organisationWords: ["let's encrypt", 'isrg'] },
  { name: 'Google Trust Services', caaDomains: ['pki.goog'], organisationWords: ['google trust services'] },
  { name: 'DigiCert', caaDomains: ['digicert.com', 'symantec.com', 'geotrust.com', 'rapidssl.com', 'thawte.com'], organisationWords: ['digicert', 'geotrust', 'rapidssl', 'thawte'] },
  { name: 'Sectigo', caaDomains: ['sectigo.com', 'comodoca.com', 'comodo.com', 'usertrust.com', 'trust-provider.com'], organisationWords: ['sectigo', 'comodo', 'usertrust'] },
  { name: 'ZeroSSL', caaDomains: ['sectigo.com', 'zerossl.com'], organisationWords: ['zerossl'] },
  { name: 'Amazon', caaDomains: ['amazon.com', 'amazontrust.com', 'awstrust.com', 'amazonaws.com'], organisationWords: ['amazon'] },
  { name: 'GlobalSign', caaDomains: ['globalsign.com'], organisationWords: ['globalsign'] },
  { name: 'SSL.com', caaDomains: ['ssl.com'], organisationWords: ['ssl corporation', 'ssl.com'] },
  { name: 'Buypass', caaDomains: ['buypass.com'], organisationWords: ['buypass'] },
  { name: 'Entrust', caaDomains: ['entrust.net'], organisationWords: ['entrust'] },
  { name: 'Microsoft', caaDomains: ['microsoft.com'], organisationWords: ['microsoft'] },
];

function labelsOf(name: string): string[] {
  return name.toLowerCase().replace(/\.$/, '').split('.');
}

export function matchesName(matcher: NameMatcher, name: string): boolean {
  const host = name.toLowerCase().replace(/\.$/, '');
  const labels = labelsOf(host);
  if (matcher.labelPrefixes?.some((prefix) => labels.some((label) => label.startsWith(prefix)))) return true;
  for (const suffix of matcher.suffixes) {
    if (host !== suffix && !host.endsWith(`.${suffix}`)) continue;
    if (!matcher.requireLabelPrefix) return true;
    const left = host === suffix ? [] : labelsOf(host.slice(0, -suffix.length - 1));
    if (left.some((label) => matcher.requireLabelPrefix?.some((prefix) => label.startsWith(prefix)))) return true;
  }
  return false;
}

export function takeoverServiceFor(target: string): TakeoverService | undefined {
  return TAKEOVER_SERVICES.find((service) => matchesName(service, target));
}

export function dnsProviderFor(nameserver: string): DnsProvider | undefined {
  return DNS_PROVIDERS.find((provider) => matchesName(provider, nameserver));
}

/** Whether a provider as written in launch.yaml (`Cloudflare`, `aws`, `route53` …) is this one. */
export function isSameProvider(provider: DnsProvider, written: string): boolean {
  const text = written.trim().toLowerCase();
  return text === provider.id || text === provider.name.toLowerCase() || (provider.aliases ?? []).includes(text) || text.startsWith(`${provider.id} `);
}

/** The CAA domains for a certificate's issuer organisation, when the CA is known. */
export function caaDomainsForIssuer(organisation: string): readonly string[] {
  const text = organisation.toLowerCase();
  return CERTIFICATE_AUTHORITIES.find((ca) => ca.organisationWords.some((word) => text.includes(word)))?.caaDomains ?? [];
}
