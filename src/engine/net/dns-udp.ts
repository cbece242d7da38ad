// Our own stub resolver over UDP with TCP fallback (RFC 1035 §4.2, RFC 7766): node:dns cannot ask
// for DS/DNSKEY/TLSA or show the AD flag, and it hides truncation and which server answered.
import { randomInt } from 'node:crypto';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { LookupResult, RecordType } from './dns-types';
import { MAX_MESSAGE_BYTES, answersQuestion, decodeMessage, encodeQuery, failure, resultFromMessage } from './dns-wire';

export interface ServerAddress {
  host: string;
  port: number;
  family: 4 | 6;
  /** As the user wrote it, normalised: `127.0.0.1:5353`, `[::1]:53`. */
  label: string;
}

export interface ExchangeTuning {
  timeoutMs: number;
  retries: number;
}

/** Parses `host:port`, `[v6]:port`, or a bare address (port 53). Only IP literals: a server name would need DNS itself. */
export function parseServerAddress(text: string): ServerAddress {
  const trimmed = text.trim();
  let host = trimmed;
  let port = 53;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(trimmed);
  if (bracketed) {
    host = bracketed[1];
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if (net.isIPv4(trimmed.replace(/:\d+$/, '')) && /:\d+$/.test(trimmed)) {
    const colon = trimmed.lastIndexOf(':');
    host = trimmed.slice(0, colon);
    port = Number(trimmed.slice(colon + 1));
  }
  const family = net.isIP(host);
  if (family === 0) throw new Error(`DNS server "${text}" is not an IP address (use 127.0.0.1:5353 or [::1]:53)`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`DNS server "${text}" has an invalid port`);
  const canonical = family === 6 ? canonicalIpv6(host) : host;
  return { host: canonical, port, family: family as 4 | 6, label: family === 6 ? `[${canonical}]:${port}` : `${canonical}:${port}` };
}

/** The form the socket layer reports source addresses in, so answers can be matched to servers. */
function canonicalIpv6(address: string): string {
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The lookup was aborted', 'AbortError');
}

/**
 * One lookup against a list of servers: the query is retransmitted every timeoutMs/(retries+1),
 * rotating through the servers, and the whole lookup ends at timeoutMs. A truncated answer is
 * asked again over TCP from the server that truncated it.
 */
export function exchangeWithServers(
  servers: ServerAddress[],
  name: string,
  type: RecordType,
  tuning: ExchangeTuning,
  signal?: AbortSignal,
): Promise<LookupResult> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const id = randomInt(0, 65536);
    const query = encodeQuery(id, name, type);
    const attempts = Math.max(1, tuning.retries + 1);
    const interval = tuning.timeoutMs / attempts;
    const sockets = new Map<4 | 6, dgram.Socket>();
    const tcpAbort = new AbortController();
    let attempt = 0;
    let retransmit: NodeJS.Timeout | undefined;
    let settled = false;
    let overTcp = false;
    // A SERVFAIL/REFUSED from one server is kept while others are tried: it says more than a timeout.
    let failedAnswer: LookupResult | undefined;

    const finish = (outcome: { result: LookupResult } | { error: unknown }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(retransmit);
      signal?.removeEventListener('abort', onAbort);
      tcpAbort.abort();
      for (const socket of sockets.values()) socket.close();
      if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };
    const onAbort = (): void => finish({ error: abortError(signal as AbortSignal) });
    signal?.addEventListener('abort', onAbort, { once: true });
    const deadline = setTimeout(() => {
      const tried = servers.slice(0, Math.min(attempt, servers.length)).map((server) => server.label).join(', ');
      finish({ result: failedAnswer ?? failure(name, type, 'timeout', `no answer from ${tried} within ${tuning.timeoutMs} ms`, servers[0].label) });
    }, tuning.timeoutMs);

    const socketFor = (family: 4 | 6): dgram.Socket => {
      let socket = sockets.get(family);
      if (!socket) {
        // A fresh socket per lookup gets a fresh random source port from the OS (RFC 5452).
        socket = dgram.createSocket(family === 4 ? 'udp4' : 'udp6');
        socket.on('message', onMessage);
        // Send errors (no route, ICMP unreachable) just leave the retry timers to carry on.
        socket.on('error', () => undefined);
        sockets.set(family, socket);
      }
      return socket;
    };

    const send = (): void => {
      clearTimeout(retransmit);
      if (settled || overTcp || attempt >= attempts) return;
      const server = servers[attempt % servers.length];
      attempt++;
      socketFor(server.family).send(query, server.port, server.host, () => undefined);
      if (attempt < attempts) retransmit = setTimeout(send, interval);
    };

    function onMessage(message: Buffer, from: dgram.RemoteInfo): void {
      if (settled || overTcp) return;
      const server = servers.find((candidate) => candidate.port === from.port && candidate.host === from.address);
      if (!server) return;
      const decoded = decodeMessage(message);
      if (!decoded || !answersQuestion(decoded, id, name, type)) return;
      if (decoded.flag_tc) {
        overTcp = true;
        clearTimeout(retransmit);
        exchangeOverTcp(server, query, tcpAbort.signal).then(
          (answer) => {
            const decodedTcp = decodeMessage(answer);
            if (!decodedTcp || !answersQuestion(decodedTcp, id, name, type)) {
              finish({ result: failure(name, type, 'error', `${server.label} sent a TCP answer that does not match the question`, server.label) });
              return;
            }
            finish({ result: { ...resultFromMessage(decodedTcp, name, type, server.label), viaTcp: true } });
          },
          (error: unknown) => {
            if (!settled) finish({ result: failure(name, type, 'error', `UDP answer was truncated and TCP to ${server.label} failed: ${describe(error)}`, server.label) });
          },
        );
        return;
      }
      const result = resultFromMessage(decoded, name, type, server.label);
      if ((result.status === 'servfail' || result.status === 'refused') && servers.length > 1 && attempt < attempts) {
        failedAnswer = result;
        send();
        return;
      }
      finish({ result });
    }

    send();
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One query over TCP with the two-byte length prefix; rejects when the signal aborts. */
export function exchangeOverTcp(server: ServerAddress, query: Buffer, signal: AbortSignal): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const socket = net.connect({ host: server.host, port: server.port });
    let buffered = Buffer.alloc(0);
    const done = (outcome: { answer: Buffer } | { error: Error }): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if ('answer' in outcome) resolve(outcome.answer);
      else reject(outcome.error);
    };
    const onAbort = (): void => done({ error: new Error('aborted') });
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => done({ error }));
    socket.on('end', () => done({ error: new Error('connection closed before a full answer arrived') }));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2) return;
      const length = buffered.readUInt16BE(0);
      if (buffered.length >= 2 + length) done({ answer: Buffer.from(buffered.subarray(2, 2 + length)) });
      else if (buffered.length > 2 + MAX_MESSAGE_BYTES) done({ error: new Error('answer larger than a DNS message can be') });
    });
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(query.length);
    socket.write(Buffer.concat([prefix, query]));
  });
}
