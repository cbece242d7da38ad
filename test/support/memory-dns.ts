import type { DnsRecord, DnsResolver, LookupResult, RecordType } from '../../src/engine/net/dns-types';

// An in-memory implementation of OUR DnsResolver interface (not a stub of node:dns), so the email
// logic can be tested with exact zone contents, including timeouts and SERVFAIL at chosen names.

/** A record, or a marker: the whole name times out / fails, or only lookups of one type do. */
export type ZoneEntry = DnsRecord | 'TIMEOUT' | 'SERVFAIL' | { type: RecordType; fail: 'timeout' | 'servfail' };

export type Zone = Record<string, ZoneEntry[]>;

const DEFAULT_TTL = 300;

export function txt(...strings: string[]): DnsRecord {
  return { type: 'TXT', strings, ttl: DEFAULT_TTL };
}
export function a(address: string): DnsRecord {
  return { type: address.includes(':') ? 'AAAA' : 'A', address, ttl: DEFAULT_TTL };
}
export function mx(priority: number, exchange: string): DnsRecord {
  return { type: 'MX', priority, exchange, ttl: DEFAULT_TTL };
}
export function cname(target: string): DnsRecord {
  return { type: 'CNAME', target, ttl: DEFAULT_TTL };
}
export function ptr(target: string): DnsRecord {
  return { type: 'PTR', target, ttl: DEFAULT_TTL };
}

export function presentation(name: string, record: DnsRecord): string {
  const head = `${name}. ${record.ttl} IN ${record.type}`;
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return `${head} ${record.address}`;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return `${head} ${record.target}`;
    case 'MX':
      return `${head} ${record.priority} ${record.exchange}`;
    case 'TXT':
      return `${head} ${record.strings.map((s) => JSON.stringify(s)).join(' ')}`;
    default:
      return `${head} …`;
  }
}

export class MemoryResolver implements DnsResolver {
  readonly queries: string[] = [];
  private readonly zone = new Map<string, ZoneEntry[]>();

  constructor(zone: Zone) {
    for (const [name, entries] of Object.entries(zone)) this.zone.set(normalise(name), entries);
  }

  async lookup(name: string, type: RecordType): Promise<LookupResult> {
    return this.answer(name, type, true);
  }

  private async answer(name: string, type: RecordType, followAlias: boolean): Promise<LookupResult> {
    const key = normalise(name);
    this.queries.push(`${type} ${key}`);
    const entries = this.zone.get(key);
    const base = { name, type, server: 'memory' };
    if (!entries) return { ...base, status: 'nxdomain', records: [], raw: [] };
    const records: DnsRecord[] = [];
    for (const entry of entries) {
      if (entry === 'TIMEOUT' || entry === 'SERVFAIL') {
        if (records.length > 0) break;
        return { ...base, status: entry === 'TIMEOUT' ? 'timeout' : 'servfail', records: [], raw: [], detail: 'configured failure' };
      }
      if ('fail' in entry) {
        if (entry.type === type) return { ...base, status: entry.fail, records: [], raw: [], detail: 'configured failure' };
        continue;
      }
      if (entry.type === type) records.push(entry);
    }
    if (records.length === 0 && type !== 'CNAME' && followAlias) {
      const alias = entries.find((entry): entry is DnsRecord => typeof entry === 'object' && !('fail' in entry) && entry.type === 'CNAME');
      if (alias && alias.type === 'CNAME') {
        // A recursive resolver answers with the CNAME and the target's records, one level here;
        // the checks under test must chase any further hops themselves.
        const target = await this.answer(alias.target, type, false);
        const chained = target.records.filter((record) => record.type !== 'CNAME');
        return { ...base, status: target.status === 'nxdomain' || target.status === 'nodata' ? 'ok' : target.status, records: [alias, ...chained], raw: [presentation(key, alias), ...target.raw] };
      }
    }
    if (records.length === 0) return { ...base, status: 'nodata', records: [], raw: [] };
    return { ...base, status: 'ok', records, raw: records.map((record) => presentation(key, record)) };
  }
}

function normalise(name: string): string {
  return (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
}
