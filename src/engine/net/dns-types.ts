// The one DNS interface every live check uses. The CLI and editor plug in a configured resolver
// (system, explicit servers such as a loopback test server, or DNS-over-HTTPS); tests plug in a
// resolver pointed at a real DNS server they start on 127.0.0.1.

export type RecordType = 'A' | 'AAAA' | 'CNAME' | 'MX' | 'TXT' | 'NS' | 'CAA' | 'SOA' | 'PTR' | 'DS' | 'DNSKEY' | 'TLSA' | 'SRV';

/**
 * How a lookup ended. `nxdomain` (the name does not exist) and `nodata` (it exists, no record of
 * that type) are answers; `servfail`, `refused`, `timeout` and `error` mean "could not verify"
 * and must never be reported as a missing record.
 */
export type LookupStatus = 'ok' | 'nxdomain' | 'nodata' | 'servfail' | 'refused' | 'timeout' | 'error';

export type DnsRecord =
  | { type: 'A' | 'AAAA'; address: string; ttl: number }
  | { type: 'CNAME' | 'NS' | 'PTR'; target: string; ttl: number }
  | { type: 'MX'; priority: number; exchange: string; ttl: number }
  /** TXT keeps the character-strings as published: SPF/DKIM checks need the 255-byte split. */
  | { type: 'TXT'; strings: string[]; ttl: number }
  | { type: 'CAA'; flags: number; tag: string; value: string; ttl: number }
  | { type: 'SOA'; mname: string; rname: string; serial: number; ttl: number; refresh?: number; retry?: number; expire?: number; minimum?: number }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string; ttl: number }
  | { type: 'DS' | 'DNSKEY' | 'TLSA'; data: string; ttl: number };

export interface LookupResult {
  name: string;
  type: RecordType;
  status: LookupStatus;
  /**
   * The records read, in answer order: any CNAMEs followed from `name` first, then the records of
   * `type` (so a dangling CNAME shows up as status `nxdomain` with its CNAME here).
   */
  records: DnsRecord[];
  /** Records in zone-file presentation form, for "the raw record it read" in findings. */
  raw: string[];
  /** The AD (authenticated data) flag, when the resolver reports it. */
  authenticated?: boolean;
  /** The UDP answer was truncated and the lookup was retried over TCP. */
  viaTcp?: boolean;
  /** Which server answered (host:port or DoH URL). */
  server?: string;
  /** Human-readable cause for servfail/refused/timeout/error. */
  detail?: string;
}

export interface LookupOptions {
  signal?: AbortSignal;
}

export interface DnsResolver {
  lookup(name: string, type: RecordType, options?: LookupOptions): Promise<LookupResult>;
}
