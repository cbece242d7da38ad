// The system resolver through node:dns (c-ares with the servers from /etc/resolv.conf or the OS).
// node:dns never shows the AD flag and cannot ask for DS/DNSKEY/TLSA, so those types go out in
// wire format to the same system servers; `authenticated` stays unknown for everything else.
import { promises as dns } from 'node:dns';
import type { DnsRecord, LookupResult, LookupStatus, RecordType } from './dns-types';
import { failure, presentRecord } from './dns-wire';
import { exchangeWithServers, parseServerAddress, type ExchangeTuning, type ServerAddress } from './dns-udp';

const WIRE_ONLY_TYPES = new Set<RecordType>(['DS', 'DNSKEY', 'TLSA']);

const ERROR_STATUS: Record<string, LookupStatus> = {
  ENODATA: 'nodata',
  ENOTFOUND: 'nxdomain',
  ESERVFAIL: 'servfail',
  EREFUSED: 'refused',
  ETIMEOUT: 'timeout',
};

/** `serversOverride` replaces the OS's servers; tests use it to point this path at a loopback server. */
export async function lookupViaSystem(name: string, type: RecordType, tuning: ExchangeTuning, signal?: AbortSignal, serversOverride?: string[]): Promise<LookupResult> {
  signal?.throwIfAborted();
  const attempts = Math.max(1, tuning.retries + 1);
  const resolver = new dns.Resolver({ timeout: Math.max(1, Math.floor(tuning.timeoutMs / attempts)), tries: attempts });
  if (serversOverride) resolver.setServers(serversOverride);
  if (WIRE_ONLY_TYPES.has(type)) return lookupWireOnly(resolver.getServers(), name, type, tuning, signal);

  const server = `system (${resolver.getServers().join(', ') || 'no servers configured'})`;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // c-ares' own timeouts back off per try, so one overall deadline keeps the lookup inside timeoutMs.
  const stopped = new Promise<'timeout' | 'aborted'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), tuning.timeoutMs);
    onAbort = () => resolve('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const outcome = await Promise.race([querySystem(resolver, name, type).then((records) => ({ records })), stopped]);
    if (outcome === 'aborted') throw signal?.reason;
    if (outcome === 'timeout') return failure(name, type, 'timeout', `no answer from the system resolver within ${tuning.timeoutMs} ms`, server);
    const records = outcome.records;
    return { name, type, status: records.length > 0 ? 'ok' : 'nodata', records, raw: records.map((record) => presentRecord(name, record)), server };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const code = (error as { code?: string }).code ?? '';
    const status = ERROR_STATUS[code] ?? 'error';
    return status === 'nodata' || status === 'nxdomain'
      ? { name, type, status, records: [], raw: [], server }
      : failure(name, type, status, `system resolver: ${code || (error instanceof Error ? error.message : String(error))}`, server);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    resolver.cancel();
  }
}

async function lookupWireOnly(systemServers: string[], name: string, type: RecordType, tuning: ExchangeTuning, signal?: AbortSignal): Promise<LookupResult> {
  const servers: ServerAddress[] = [];
  for (const text of systemServers) {
    try {
      servers.push(parseServerAddress(text));
    } catch {
      // A server entry we cannot parse (a scoped IPv6 address, say) is skipped, not fatal.
    }
  }
  if (servers.length === 0) return failure(name, type, 'error', `no system DNS server to ask for ${type} records`);
  return exchangeWithServers(servers, name, type, tuning, signal);
}

async function querySystem(resolver: InstanceType<typeof dns.Resolver>, name: string, type: RecordType): Promise<DnsRecord[]> {
  // node:dns reports no TTL except for addresses; 0 says "unknown" rather than inventing one.
  switch (type) {
    case 'A':
      return (await resolver.resolve4(name, { ttl: true })).map((entry) => ({ type: 'A', address: entry.address, ttl: entry.ttl }));
    case 'AAAA':
      return (await resolver.resolve6(name, { ttl: true })).map((entry) => ({ type: 'AAAA', address: entry.address, ttl: entry.ttl }));
    case 'CNAME':
      return (await resolver.resolveCname(name)).map((target) => ({ type: 'CNAME', target, ttl: 0 }));
    case 'NS':
      return (await resolver.resolveNs(name)).map((target) => ({ type: 'NS', target, ttl: 0 }));
    case 'PTR':
      return (await resolver.resolvePtr(name)).map((target) => ({ type: 'PTR', target, ttl: 0 }));
    case 'MX':
      return (await resolver.resolveMx(name)).map((entry) => ({ type: 'MX', priority: entry.priority, exchange: entry.exchange || '.', ttl: 0 }));
    case 'TXT':
      return (await resolver.resolveTxt(name)).map((strings) => ({ type: 'TXT', strings, ttl: 0 }));
    case 'SRV':
      return (await resolver.resolveSrv(name)).map((entry) => ({ type: 'SRV', priority: entry.priority, weight: entry.weight, port: entry.port, target: entry.name, ttl: 0 }));
    case 'SOA': {
      const soa = await resolver.resolveSoa(name);
      return [{ type: 'SOA', mname: soa.nsname, rname: soa.hostmaster, serial: soa.serial, ttl: 0, refresh: soa.refresh, retry: soa.retry, expire: soa.expire, minimum: soa.minttl }];
    }
    case 'CAA':
      return (await resolver.resolveCaa(name)).map((entry) => {
        const tag = Object.keys(entry).find((key) => key !== 'critical') ?? 'issue';
        return { type: 'CAA', flags: entry.critical, tag, value: String((entry as unknown as Record<string, unknown>)[tag] ?? ''), ttl: 0 };
      });
    default:
      throw Object.assign(new Error(`${type} is not supported by the system resolver`), { code: 'ENOTIMP' });
  }
}
