import type { DnsResolver, LookupResult, LookupStatus, RecordType } from '../net/dns-types';

// Lookups for the email checks: CNAME delegation chased (DKIM keys and MTA-STS records are often
// delegated to the provider), and the one place that says which statuses mean "could not verify".

/** SERVFAIL, REFUSED, timeouts and transport errors: the answer is unknown, never "missing". */
export function isUnverifiable(status: LookupStatus): boolean {
  return status === 'servfail' || status === 'refused' || status === 'timeout' || status === 'error';
}

export interface ChasedLookup extends LookupResult {
  /** Every name visited, the asked name first; more than one when CNAMEs were followed. */
  chain: string[];
  /** Set when the CNAME chain loops or runs longer than the hop limit. */
  cnameLoop?: boolean;
}

const MAX_CNAME_HOPS = 8;

/**
 * Records of `type` at `name`, following CNAMEs whether the resolver already followed them (a
 * recursive answer carries the CNAME and the target's records) or handed back only the CNAME.
 */
export async function lookupChasingCname(resolver: DnsResolver, name: string, type: RecordType): Promise<ChasedLookup> {
  const chain = [name];
  const raw: string[] = [];
  let current = name;
  for (let hop = 0; ; hop++) {
    const result = await safeLookup(resolver, current, type);
    raw.push(...result.raw);
    const wanted = result.records.filter((record) => record.type === type);
    if (type === 'CNAME') return { ...result, name, raw, chain };
    // A recursive answer lists the CNAMEs it followed first: they are hops of the chain too.
    let last: string | undefined;
    for (const record of result.records) {
      if (record.type !== 'CNAME') continue;
      last = stripDot(record.target).toLowerCase();
      if (chain.some((visited) => visited.toLowerCase() === last)) {
        return { ...result, name, status: 'error', records: [], raw, chain: [...chain, last], cnameLoop: true, detail: `CNAME loop at ${last}` };
      }
      chain.push(last);
    }
    if (result.status !== 'ok' || wanted.length > 0) return { ...result, name, records: wanted, raw, chain };
    if (!last) return { ...result, name, status: 'nodata', records: [], raw, chain };
    if (hop >= MAX_CNAME_HOPS) {
      return { ...result, name, status: 'error', records: [], raw, chain, cnameLoop: true, detail: `CNAME chain longer than ${MAX_CNAME_HOPS} hops` };
    }
    current = last;
  }
}

/** A resolver that throws is a failed lookup like any other: a finding, never a crashed audit. */
async function safeLookup(resolver: DnsResolver, name: string, type: RecordType): Promise<LookupResult> {
  try {
    return await resolver.lookup(name, type);
  } catch (error) {
    return { name, type, status: 'error', records: [], raw: [], detail: error instanceof Error ? error.message : String(error) };
  }
}

export function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

export function txtStrings(result: LookupResult): string[][] {
  return result.records.flatMap((record) => (record.type === 'TXT' ? [record.strings] : []));
}

/** TXT character-strings are concatenated with no separator (RFC 7208 §3.3, RFC 6376 §3.6.2.2). */
export function joinedTxt(result: LookupResult): string[] {
  return txtStrings(result).map((strings) => strings.join(''));
}
