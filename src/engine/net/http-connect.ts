// Where a connection for host:port really goes. Names resolve through the audit's own resolver (so a
// loopback DNS server or a user's custom resolver decide, never the system's), and curl-style
// `--connect-to` entries send a host:port to another address:port while the name is kept for SNI,
// Host and certificate checks: that is how a founder audits a new server before switching DNS.
import { isIP } from 'node:net';
import type { DnsResolver } from './dns-types';

export interface ConnectTo {
  /** Lower-case ASCII host, or '' for any host. */
  host: string;
  /** 0 for any port. */
  port: number;
  /** Address or host name to connect to instead ('' keeps the host). */
  address: string;
  /** 0 keeps the port. */
  toPort: number;
}

/**
 * Reads `HOST1:PORT1:HOST2:PORT2` as curl does: an empty HOST1 or PORT1 matches any, an empty HOST2
 * or PORT2 keeps the original; IPv6 addresses go in brackets. Throws with a usage-error message.
 */
export function parseConnectTo(spec: string): ConnectTo {
  const parts: string[] = [];
  let rest = spec.trim();
  while (parts.length < 3) {
    let part: string;
    if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      if (close < 0) throw new Error(`--connect-to "${spec}": unclosed [ in an IPv6 address`);
      part = rest.slice(1, close);
      rest = rest.slice(close + 1);
      if (!rest.startsWith(':')) throw new Error(`--connect-to "${spec}": expected ':' after ]`);
      rest = rest.slice(1);
    } else {
      const colon = rest.indexOf(':');
      if (colon < 0) throw new Error(`--connect-to "${spec}": expected HOST1:PORT1:HOST2:PORT2`);
      part = rest.slice(0, colon);
      rest = rest.slice(colon + 1);
    }
    parts.push(part);
  }
  parts.push(rest.replace(/^\[|\]$/g, ''));
  const [host, port, address, toPort] = parts;
  const portNumber = (text: string, what: string): number => {
    if (text === '') return 0;
    const value = Number(text);
    if (!/^[0-9]+$/.test(text) || value < 1 || value > 65535) throw new Error(`--connect-to "${spec}": ${what} "${text}" is not a port number`);
    return value;
  };
  return { host: host.toLowerCase().replace(/\.$/, ''), port: portNumber(port, 'PORT1'), address, toPort: portNumber(toPort, 'PORT2') };
}

export interface ConnectTarget {
  /** The IP address connected to. */
  address: string;
  port: number;
  /** The addresses the name resolved to (empty when connect-to gave an address). */
  resolved: string[];
  /** The connect-to entry that applied, as written back (`host:port:address:port`). */
  via?: string;
}

export class ResolveError extends Error {
  constructor(
    message: string,
    readonly status: string,
  ) {
    super(message);
    this.name = 'ResolveError';
  }
}

export function matchConnectTo(entries: readonly ConnectTo[], host: string, port: number): ConnectTo | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  return entries.find((entry) => (entry.host === '' || entry.host === name) && (entry.port === 0 || entry.port === port));
}

/** A, then AAAA, through the resolver; every address in answer order. */
export async function resolveAddresses(resolver: DnsResolver, host: string, signal?: AbortSignal): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  const [a, aaaa] = await Promise.all([resolver.lookup(bare, 'A', { signal }), resolver.lookup(bare, 'AAAA', { signal })]);
  const addresses = [...a.records, ...aaaa.records].flatMap((record) => (record.type === 'A' || record.type === 'AAAA' ? [record.address] : []));
  if (addresses.length > 0) return addresses;
  // A timeout or SERVFAIL is not "no such host": say which it was.
  const failed = [a, aaaa].find((result) => result.status !== 'ok' && result.status !== 'nodata' && result.status !== 'nxdomain');
  if (failed) throw new ResolveError(`could not resolve ${bare}: ${failed.type} lookup ended with ${failed.status}${failed.detail ? ` (${failed.detail})` : ''}`, failed.status);
  throw new ResolveError(`${bare} has no A or AAAA record (${a.status})`, a.status);
}

/** Where a connection to host:port goes, after connect-to and resolution. */
export async function connectTarget(resolver: DnsResolver, connectTo: readonly ConnectTo[], host: string, port: number, signal?: AbortSignal): Promise<ConnectTarget> {
  const entry = matchConnectTo(connectTo, host, port);
  const targetHost = entry && entry.address !== '' ? entry.address : host;
  const targetPort = entry && entry.toPort !== 0 ? entry.toPort : port;
  const resolved = await resolveAddresses(resolver, targetHost, signal);
  const via = entry ? `${entry.host}:${entry.port || ''}:${entry.address.includes(':') ? `[${entry.address}]` : entry.address}:${entry.toPort || ''}` : undefined;
  return { address: resolved[0], port: targetPort, resolved: isIP(targetHost.replace(/^\[|\]$/g, '')) ? [] : resolved, via };
}
