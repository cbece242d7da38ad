import { inNetwork, parseIp } from '../email/ip';
import type { EdgeProvider } from '../launch/model';

// Published address ranges of edge providers, shipped as data. Only Cloudflare publishes one short,
// stable list (https://www.cloudflare.com/ips-v4 and /ips-v6); other providers are recognised by
// their response headers only. Checks take the ranges as a parameter, so tests on loopback (never
// inside a provider's ranges) inject their own and users can pass a fresher list.

export interface EdgeRanges {
  /** Where the list comes from and when it was recorded. */
  source: string;
  recorded: string;
  cidrs: readonly string[];
}

export const CLOUDFLARE_RANGES: EdgeRanges = {
  source: 'https://www.cloudflare.com/ips-v4 and https://www.cloudflare.com/ips-v6',
  // Recorded from the published list as the authors knew it; not fetched at run time.
  recorded: '2026-11-25',
  cidrs: [
    '173.245.48.0/20',
    '103.21.244.0/22',
    '103.22.200.0/22',
    '103.31.4.0/22',
    '141.101.64.0/18',
    '108.162.192.0/18',
    '190.93.240.0/20',
    '188.114.96.0/20',
    '197.234.240.0/22',
    '198.41.128.0/17',
    '162.158.0.0/15',
    '104.16.0.0/13',
    '104.24.0.0/14',
    '172.64.0.0/13',
    '131.0.72.0/22',
    '2400:cb00::/32',
    '2606:4700::/32',
    '2803:f800::/32',
    '2405:b500::/32',
    '2405:8100::/32',
    '2a06:98c0::/29',
    '2c0f:f248::/32',
  ],
};

export const DEFAULT_EDGE_RANGES: Partial<Record<EdgeProvider, EdgeRanges>> = { cloudflare: CLOUDFLARE_RANGES };

/** Response headers that show the provider answered. */
export const EDGE_HEADERS: Partial<Record<EdgeProvider, (headers: Record<string, string[]>) => boolean>> = {
  cloudflare: (headers) => headers['cf-ray'] !== undefined || /cloudflare/i.test(headers.server?.[0] ?? ''),
  fastly: (headers) => headers['x-served-by'] !== undefined || /fastly|varnish/i.test(`${headers.via?.[0] ?? ''} ${headers['x-cache']?.[0] ?? ''}`) || headers['fastly-debug-digest'] !== undefined,
  cloudfront: (headers) => headers['x-amz-cf-id'] !== undefined || /cloudfront/i.test(headers.via?.[0] ?? ''),
  vercel: (headers) => headers['x-vercel-id'] !== undefined || /vercel/i.test(headers.server?.[0] ?? ''),
  netlify: (headers) => headers['x-nf-request-id'] !== undefined || /netlify/i.test(headers.server?.[0] ?? ''),
};

export function inRanges(address: string, cidrs: readonly string[]): boolean {
  const ip = parseIp(address);
  if (!ip) return false;
  return cidrs.some((cidr) => {
    const [network, prefix] = cidr.split('/');
    const parsed = parseIp(network);
    return parsed !== undefined && inNetwork(ip.bytes, parsed.bytes, Number(prefix));
  });
}
