/*
 * A real DNS server on loopback for tests and the demo world. It speaks the DNS wire protocol over
 * UDP and TCP (same port) and acts like a recursive resolver whose whole internet is the zones it
 * was given: a name outside every zone is NXDOMAIN, CNAME chains are followed across zones.
 *
 * Usage:
 *   const dns = await startDnsServer([{ origin: 'example.test', records: `
 *     @        300 A     192.0.2.10
 *     @            MX    10 mx1.example.test.
 *     @            TXT   "v=spf1 include:_spf.mail.test " "-all"
 *     www          CNAME @
 *     _dmarc       TXT   "v=DMARC1; p=reject; rua=mailto:dmarc@example.test"
 *   ` }], { faults: { 'broken.example.test': { rcode: 'SERVFAIL' } } });
 *   const resolver = createResolver({ kind: 'servers', servers: [dns.server] });
 *   ...
 *   await dns.close();
 *
 * Several zones can also come from one text with `parseZoneFile()` (`$ORIGIN name` starts a zone,
 * `$SIGNED` marks it validated); `node out/test/world/serve-dns.js [--port N] FILE…` serves such
 * files for demos and manual `--dns 127.0.0.1:N` runs.
 *
 * Zone format (`ZoneSpec.records`, a string or an array of lines), one record per line:
 *   <name> [<ttl>] [IN] <TYPE> <rdata…>        ; comments start with a semicolon
 * - <name>: `@` is the origin; a name ending in `.` is absolute; anything else is relative to the
 *   origin. `*.label` is a wildcard (matches names below `label` that have no records of their own).
 * - <ttl> defaults to 300.
 * - rdata by type (names in rdata follow the same relative/absolute rule):
 *     A 192.0.2.1 | AAAA 2001:db8::1 | CNAME/NS/PTR target | MX 10 mx.example.test.
 *     TXT "one string" "another string"   (each quoted string is one character-string, ≤ 255 bytes;
 *                                          `\"` and `\\` escape, `\DDD` is one byte; one unquoted
 *                                          word is also allowed)
 *     CAA 0 issue "letsencrypt.org" | SOA mname rname serial refresh retry expire minimum
 *     SRV priority weight port target | DS keytag algorithm digesttype HEXDIGEST
 *     DNSKEY flags protocol algorithm BASE64KEY | TLSA usage selector matchingtype HEXDATA
 * - Every zone gets an SOA at its origin unless it declares one; that SOA goes in the authority
 *   section of NXDOMAIN and NODATA answers.
 * - `authenticated: true` on a zone sets the AD flag on answers that only touch signed zones, when the
 *   query asked for it (AD or DO bit), as a validating resolver would.
 * - A DS record belongs in the parent zone, as in real DNS: a DS query for a zone apex is answered
 *   from the parent zone when the server has it.
 *
 * Faults (`options.faults`, or `setFault()` at run time) are keyed by the queried name (absolute,
 * no trailing dot) and optionally limited to some record types:
 *   { rcode: 'SERVFAIL' | 'REFUSED' | 'NXDOMAIN' | 'FORMERR' }  answer with that rcode
 *   { drop: true }      never answer (the client must time out)
 *   { truncate: true }  over UDP answer with TC=1 and no records, forcing a retry over TCP
 *   { delayMs: 50 }     answer after a delay (combine with the others)
 * Answers over UDP larger than `maxUdpSize` (default 512, like a server that ignores EDNS sizes) or
 * than the query's EDNS buffer size are truncated too, so large TXT answers exercise TCP fallback
 * without any fault. `host: '::1'` listens on IPv6 loopback instead.
 *
 * `queries` records every query received (name as sent on the wire, type, transport, flags);
 * `waitForQuery(name)` resolves once such a query has arrived (so tests need no sleeps);
 * `inFlight`/`maxInFlight` count queries received but not yet answered (reset `maxInFlight` freely).
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as packet from 'dns-packet';

export interface ZoneSpec {
  /** The zone's apex, e.g. `example.test`. */
  origin: string;
  records: string | string[];
  /** Answers from this zone carry AD=1 (when the query asks for it). */
  authenticated?: boolean;
}

export type FaultRcode = 'SERVFAIL' | 'REFUSED' | 'NXDOMAIN' | 'FORMERR';

export interface Fault {
  rcode?: FaultRcode;
  drop?: boolean;
  truncate?: boolean;
  delayMs?: number;
  /** Apply only to these query types (default: all). */
  types?: string[];
}

export interface DnsServerOptions {
  faults?: Record<string, Fault>;
  /** Largest UDP answer sent before truncating (default 512); never more than the query's EDNS size. */
  maxUdpSize?: number;
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: '127.0.0.1' | '::1';
  /** Fixed port for demos (default 0: an ephemeral port, which tests should use). */
  port?: number;
  /** Called for every query received, before it is answered. */
  onQuery?: (query: ReceivedQuery) => void;
}

export type Transport = 'udp' | 'tcp' | 'doh';

export interface ReceivedQuery {
  /** The name exactly as it arrived on the wire (IDN names arrive as punycode). */
  name: string;
  type: string;
  transport: Transport;
  id: number;
  recursionDesired: boolean;
  authenticatedData: boolean;
  dnssecOk: boolean;
}

export interface RunningDnsServer {
  address: string;
  port: number;
  /** `host:port`, ready for `createResolver({ kind: 'servers', servers: [server] })`. */
  server: string;
  queries: ReceivedQuery[];
  inFlight: number;
  maxInFlight: number;
  setFault(name: string, fault: Fault | undefined): void;
  /** Resolves when a query for `name` (as sent on the wire) has arrived, at once if one already has. */
  waitForQuery(name: string, type?: string): Promise<ReceivedQuery>;
  /** Answer one wire-format query (used by the DoH test server); `null` means "never answer". */
  handleMessage(message: Buffer, transport: Transport): Promise<Buffer | null>;
  close(): Promise<void>;
}

interface StoredRecord {
  name: string;
  type: string;
  ttl: number;
  data: unknown;
  zone: Zone;
}

interface Zone {
  origin: string;
  authenticated: boolean;
  soa: StoredRecord;
}

const DEFAULT_TTL = 300;
const MAX_CHAIN = 8;
const RCODES: Record<FaultRcode | 'NOERROR', number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

function normalizeName(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

function absoluteName(name: string, origin: string): string {
  if (name === '@') return origin;
  if (name.endsWith('.')) return normalizeName(name);
  return normalizeName(`${name}.${origin}`);
}

interface Token {
  text: string;
  /** The bytes the token stands for: UTF-8 of the text, with `\DDD` escapes as single bytes. */
  bytes: Buffer;
  quoted: boolean;
}

/** Splits a zone line into tokens; quoted strings keep their spaces and lose their quotes. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < line.length) {
    const char = line[index];
    if (char === ';') break;
    if (char === ' ' || char === '\t') {
      index++;
      continue;
    }
    if (char === '"') {
      let text = '';
      const bytes: number[] = [];
      index++;
      while (index < line.length && line[index] !== '"') {
        if (line[index] === '\\' && /^\d{3}$/.test(line.slice(index + 1, index + 4))) {
          const byte = Number(line.slice(index + 1, index + 4));
          if (byte > 255) throw new Error(`escape \\${byte} is not a byte: ${line}`);
          bytes.push(byte);
          text += String.fromCharCode(byte);
          index += 4;
          continue;
        }
        if (line[index] === '\\' && index + 1 < line.length) index++;
        // Whole code points, so characters outside the BMP keep both halves together.
        const codePoint = String.fromCodePoint(line.codePointAt(index) ?? 0);
        text += codePoint;
        bytes.push(...Buffer.from(codePoint, 'utf8'));
        index += codePoint.length;
      }
      if (index >= line.length) throw new Error(`unterminated quoted string in zone line: ${line}`);
      index++;
      tokens.push({ text, bytes: Buffer.from(bytes), quoted: true });
      continue;
    }
    let text = '';
    while (index < line.length && line[index] !== ' ' && line[index] !== '\t') {
      text += line[index];
      index++;
    }
    tokens.push({ text, bytes: Buffer.from(text, 'utf8'), quoted: false });
  }
  return tokens;
}

function parseRdata(type: string, args: Token[], origin: string, line: string): unknown {
  const words = args.map((arg) => arg.text);
  const need = (count: number): void => {
    if (words.length < count) throw new Error(`${type} needs ${count} fields: ${line}`);
  };
  const int = (text: string): number => {
    if (!/^\d+$/.test(text)) throw new Error(`expected a number, got "${text}": ${line}`);
    return Number(text);
  };
  switch (type) {
    case 'A':
    case 'AAAA':
      need(1);
      if (net.isIP(words[0]) !== (type === 'A' ? 4 : 6)) throw new Error(`bad ${type} address: ${line}`);
      return words[0];
    case 'CNAME':
    case 'NS':
    case 'PTR':
      need(1);
      return absoluteName(words[0], origin);
    case 'MX':
      need(2);
      return { preference: int(words[0]), exchange: absoluteName(words[1], origin) };
    case 'TXT': {
      need(1);
      const strings = args.map((arg) => arg.bytes);
      for (const string of strings) {
        if (string.length > 255) throw new Error(`TXT character-string over 255 bytes (split it into several quoted strings): ${line}`);
      }
      return strings;
    }
    case 'CAA':
      need(3);
      return { flags: int(words[0]), tag: words[1], value: words[2] };
    case 'SOA':
      need(7);
      return {
        mname: absoluteName(words[0], origin),
        rname: absoluteName(words[1], origin),
        serial: int(words[2]),
        refresh: int(words[3]),
        retry: int(words[4]),
        expire: int(words[5]),
        minimum: int(words[6]),
      };
    case 'SRV':
      need(4);
      return { priority: int(words[0]), weight: int(words[1]), port: int(words[2]), target: absoluteName(words[3], origin) };
    case 'DS':
      need(4);
      return { keyTag: int(words[0]), algorithm: int(words[1]), digestType: int(words[2]), digest: Buffer.from(words.slice(3).join(''), 'hex') };
    case 'DNSKEY':
      need(4);
      if (int(words[1]) !== 3) throw new Error(`DNSKEY protocol must be 3: ${line}`);
      return { flags: int(words[0]), algorithm: int(words[2]), key: Buffer.from(words.slice(3).join(''), 'base64') };
    case 'TLSA':
      need(4);
      return { usage: int(words[0]), selector: int(words[1]), matchingType: int(words[2]), certificate: Buffer.from(words.slice(3).join(''), 'hex') };
    default:
      throw new Error(`record type ${type} is not supported by the test DNS server: ${line}`);
  }
}

const KNOWN_TYPES = new Set(['A', 'AAAA', 'CNAME', 'NS', 'PTR', 'MX', 'TXT', 'CAA', 'SOA', 'SRV', 'DS', 'DNSKEY', 'TLSA']);

function parseZone(spec: ZoneSpec): StoredRecord[] {
  const origin = normalizeName(spec.origin);
  const zone: Zone = { origin, authenticated: spec.authenticated ?? false, soa: undefined as unknown as StoredRecord };
  const lines = Array.isArray(spec.records) ? spec.records : spec.records.split('\n');
  const records: StoredRecord[] = [];
  for (const line of lines) {
    const tokens = tokenize(line);
    if (tokens.length === 0) continue;
    const name = absoluteName(tokens[0].text, origin);
    if (name !== origin && !name.endsWith(`.${origin}`)) throw new Error(`${name} is outside zone ${origin}`);
    let index = 1;
    let ttl = DEFAULT_TTL;
    if (index < tokens.length && /^\d+$/.test(tokens[index].text)) ttl = Number(tokens[index++].text);
    if (index < tokens.length && tokens[index].text.toUpperCase() === 'IN') index++;
    const type = tokens[index]?.text.toUpperCase();
    if (!type || !KNOWN_TYPES.has(type)) throw new Error(`missing or unknown record type: ${line}`);
    records.push({ name, type, ttl, data: parseRdata(type, tokens.slice(index + 1), origin, line), zone });
  }
  const declaredSoa = records.find((record) => record.type === 'SOA' && record.name === origin);
  zone.soa = declaredSoa ?? {
    name: origin,
    type: 'SOA',
    ttl: DEFAULT_TTL,
    data: { mname: `ns1.${origin}`, rname: `hostmaster.${origin}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 300 },
    zone,
  };
  if (!declaredSoa) records.push(zone.soa);
  return records;
}

/**
 * Reads zone-file-ish text holding several zones: `$ORIGIN example.test` starts a zone, `$SIGNED`
 * (after it) marks that zone as DNSSEC-validated (AD), every other line is a record of the current
 * zone in the format described at the top of this file.
 */
export function parseZoneFile(text: string): ZoneSpec[] {
  const zones: { origin: string; authenticated: boolean; records: string[] }[] = [];
  for (const line of text.split('\n')) {
    const directive = /^\s*\$(\w+)\s*(\S*)/.exec(line);
    if (directive && directive[1].toUpperCase() === 'ORIGIN') {
      if (!directive[2]) throw new Error(`$ORIGIN needs a name: ${line}`);
      zones.push({ origin: directive[2], authenticated: false, records: [] });
    } else if (directive && directive[1].toUpperCase() === 'SIGNED') {
      const zone = zones.at(-1);
      if (!zone) throw new Error('$SIGNED before any $ORIGIN');
      zone.authenticated = true;
    } else if (directive) {
      throw new Error(`unknown directive: ${line}`);
    } else if (tokenize(line).length > 0) {
      const zone = zones.at(-1);
      if (!zone) throw new Error(`record before any $ORIGIN: ${line}`);
      zone.records.push(line);
    }
  }
  return zones;
}

/** The zone data every transport answers from. */
class World {
  private readonly zones: Zone[] = [];
  private readonly byName = new Map<string, StoredRecord[]>();
  /** Names that exist: owners of records and every ancestor up to their zone's apex. */
  private readonly existing = new Set<string>();

  constructor(specs: ZoneSpec[]) {
    for (const spec of specs) {
      const records = parseZone(spec);
      const zone = records.find((record) => record.type === 'SOA' && record.name === normalizeName(spec.origin))?.zone;
      if (zone) this.zones.push(zone);
      for (const record of records) {
        const list = this.byName.get(record.name) ?? [];
        list.push(record);
        this.byName.set(record.name, list);
        let name = record.name;
        this.existing.add(name);
        while (name !== record.zone.origin && name.includes('.')) {
          name = name.slice(name.indexOf('.') + 1);
          this.existing.add(name);
        }
      }
    }
  }

  private zoneFor(name: string, type: string): Zone | undefined {
    const candidates = this.zones
      .filter((zone) => name === zone.origin || name.endsWith(`.${zone.origin}`))
      .sort((a, b) => b.origin.length - a.origin.length);
    // The DS for a delegated zone lives in its parent.
    if (type === 'DS' && candidates.length > 1 && candidates[0].origin === name) return candidates[1];
    return candidates[0];
  }

  private recordsAt(name: string, zone: Zone): StoredRecord[] | undefined {
    const exact = this.byName.get(name)?.filter((record) => record.zone === zone || record.type === 'DS');
    if (exact && exact.length > 0) return exact;
    if (this.existing.has(name)) return [];
    // Wildcards only stand in for names that do not exist at all.
    let parent = name;
    while (parent !== zone.origin && parent.includes('.')) {
      parent = parent.slice(parent.indexOf('.') + 1);
      const wildcard = this.byName.get(`*.${parent}`);
      if (wildcard) return wildcard.map((record) => ({ ...record, name }));
      if (this.existing.has(parent)) break;
    }
    return undefined;
  }

  answer(qname: string, qtype: string): { rcode: number; answers: StoredRecord[]; authorities: StoredRecord[]; zones: Zone[] } {
    const answers: StoredRecord[] = [];
    const zones: Zone[] = [];
    let current = normalizeName(qname);
    for (let hop = 0; hop <= MAX_CHAIN; hop++) {
      const zone = this.zoneFor(current, qtype);
      if (!zone) return { rcode: RCODES.NXDOMAIN, answers, authorities: [], zones };
      zones.push(zone);
      const records = this.recordsAt(current, zone);
      if (!records) return { rcode: RCODES.NXDOMAIN, answers, authorities: [zone.soa], zones };
      const matching = records.filter((record) => record.type === qtype);
      if (matching.length > 0) return { rcode: RCODES.NOERROR, answers: [...answers, ...matching], authorities: [], zones };
      const cname = records.find((record) => record.type === 'CNAME');
      if (!cname || qtype === 'CNAME') return { rcode: RCODES.NOERROR, answers, authorities: [zone.soa], zones };
      answers.push(cname);
      current = cname.data as string;
    }
    // A CNAME loop or an over-long chain: what a recursive resolver gives up with.
    return { rcode: RCODES.SERVFAIL, answers: [], authorities: [], zones };
  }
}

/** dns-packet mutates record data while encoding (TXT strings, CAA flags), so fixtures are copied. */
function toWire(record: StoredRecord): packet.Answer {
  const data = Array.isArray(record.data)
    ? [...(record.data as Buffer[])]
    : typeof record.data === 'object' && record.data !== null && !Buffer.isBuffer(record.data)
      ? { ...(record.data as object) }
      : record.data;
  return { name: record.name, type: record.type, ttl: record.ttl, class: 'IN', data } as packet.Answer;
}

function encodeResponse(
  query: packet.DecodedPacket,
  rcode: number,
  flags: { authenticated: boolean; truncated: boolean },
  answers: packet.Answer[],
  authorities: packet.Answer[],
): Buffer {
  const hadOpt = (query.additionals ?? []).some((record) => record.type === 'OPT');
  let headerFlags = packet.RECURSION_AVAILABLE | (query.flag_rd ? packet.RECURSION_DESIRED : 0) | rcode;
  if (flags.authenticated) headerFlags |= packet.AUTHENTIC_DATA;
  if (flags.truncated) headerFlags |= packet.TRUNCATED_RESPONSE;
  return packet.encode({
    type: 'response',
    id: query.id,
    flags: headerFlags,
    questions: query.questions,
    answers,
    authorities,
    additionals: hadOpt ? [{ type: 'OPT', name: '.', udpPayloadSize: 1232, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  });
}

/** Binds UDP on an ephemeral loopback port and TCP on the same port; another process may already
 * hold that TCP port, so a clash means starting over with a fresh UDP socket. */
async function listenOnSharedPort(tcp: net.Server, host: string, fixedPort: number): Promise<dgram.Socket> {
  for (let attempt = 0; ; attempt++) {
    const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(fixedPort, host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(udp.address().port, host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
      return udp;
    } catch (error) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      if (attempt >= 10 || fixedPort !== 0) throw error;
    }
  }
}

export async function startDnsServer(zones: ZoneSpec[], options: DnsServerOptions = {}): Promise<RunningDnsServer> {
  const world = new World(zones);
  const faults = new Map<string, Fault>();
  for (const [name, fault] of Object.entries(options.faults ?? {})) faults.set(normalizeName(name), fault);
  const maxUdpSize = options.maxUdpSize ?? 512;
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;

  const state: RunningDnsServer = {
    address: options.host ?? '127.0.0.1',
    port: 0,
    server: '',
    queries: [],
    inFlight: 0,
    maxInFlight: 0,
    setFault(name, fault) {
      if (fault) faults.set(normalizeName(name), fault);
      else faults.delete(normalizeName(name));
    },
    waitForQuery(name, type) {
      const matches = (query: ReceivedQuery): boolean => normalizeName(query.name) === normalizeName(name) && (!type || query.type === type);
      const seen = state.queries.find(matches);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ matches, resolve }));
    },
    handleMessage,
    close,
  };
  const waiters: { matches: (query: ReceivedQuery) => boolean; resolve: (query: ReceivedQuery) => void }[] = [];

  async function handleMessage(message: Buffer, transport: Transport): Promise<Buffer | null> {
    let query: packet.DecodedPacket;
    try {
      query = packet.decode(message);
    } catch {
      return null;
    }
    const question = query.questions?.[0];
    if (query.type !== 'query' || !question) return null;
    const opt = (query.additionals ?? []).find((record) => record.type === 'OPT') as packet.OptAnswer | undefined;
    const received: ReceivedQuery = {
      name: question.name,
      type: question.type,
      transport,
      id: query.id ?? 0,
      recursionDesired: query.flag_rd,
      authenticatedData: query.flag_ad,
      dnssecOk: opt?.flag_do ?? false,
    };
    state.queries.push(received);
    options.onQuery?.(received);
    for (const waiter of waiters.filter((candidate) => candidate.matches(received))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(received);
    }
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    try {
      const fault = faults.get(normalizeName(question.name));
      const applies = fault && (!fault.types || fault.types.includes(question.type));
      if (applies && fault.delayMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, fault.delayMs);
          timers.add(timer);
        });
      }
      if (closed || (applies && fault.drop)) return null;
      if (applies && fault.rcode) {
        return encodeResponse(query, RCODES[fault.rcode], { authenticated: false, truncated: false }, [], []);
      }
      const result = world.answer(question.name, question.type);
      const wantsAd = query.flag_ad || (opt?.flag_do ?? false);
      const authenticated = wantsAd && result.zones.length > 0 && result.zones.every((zone) => zone.authenticated);
      const full = encodeResponse(query, result.rcode, { authenticated, truncated: false }, result.answers.map(toWire), result.authorities.map(toWire));
      const forceTruncate = applies && fault.truncate;
      const udpLimit = Math.min(maxUdpSize, opt ? Math.max(512, opt.udpPayloadSize) : 512);
      if (transport === 'udp' && (forceTruncate || full.length > udpLimit)) {
        return encodeResponse(query, result.rcode, { authenticated, truncated: true }, [], []);
      }
      return full;
    } finally {
      state.inFlight--;
    }
  }

  const tcp = net.createServer();
  const connections = new Set<net.Socket>();
  const udp = await listenOnSharedPort(tcp, state.address, options.port ?? 0);
  state.port = udp.address().port;

  udp.on('message', (message, remote) => {
    void handleMessage(message, 'udp').then((response) => {
      if (response && !closed) udp.send(response, remote.port, remote.address);
    });
  });

  tcp.on('connection', (socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const message = Buffer.from(buffered.subarray(2, 2 + length));
        buffered = buffered.subarray(2 + length);
        void handleMessage(message, 'tcp').then((response) => {
          if (!response || socket.destroyed) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(response.length);
          socket.write(Buffer.concat([prefix, response]));
        });
      }
    });
  });

  state.server = net.isIPv6(state.address) ? `[${state.address}]:${state.port}` : `${state.address}:${state.port}`;

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const socket of connections) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => udp.close(() => resolve())),
      new Promise<void>((resolve) => tcp.close(() => resolve())),
    ]);
  }

  return state;
}
