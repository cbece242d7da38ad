// Wire-format pieces shared by the UDP/TCP and DNS-over-HTTPS clients: query names as they go on
// the wire, query construction, strict answer matching, and turning an answer into a LookupResult
// with the zone-file presentation of every record it read.
import { domainToASCII } from 'node:url';
import * as packet from 'dns-packet';
import type { DnsRecord, LookupResult, LookupStatus, RecordType } from './dns-types';

/** The largest DNS message any transport may hand us; anything bigger is not DNS. */
export const MAX_MESSAGE_BYTES = 65535;
/** What we advertise over UDP: the DNS Flag Day 2020 size that avoids IP fragmentation. */
export const EDNS_UDP_SIZE = 1232;

const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/**
 * The name as it goes on the wire: lower case, no trailing dot, IDN labels in punycode. Returns
 * an error message instead when the name cannot be queried, so bad input becomes a finding.
 */
export function toQueryName(name: string): { name: string } | { error: string } {
  const trimmed = name.trim().replace(/\.$/, '');
  if (trimmed === '') return { error: 'empty name' };
  const labels: string[] = [];
  for (const label of trimmed.split('.')) {
    if (label === '') return { error: 'empty label (two dots in a row)' };
    // domainToASCII rejects some characters DNS allows (`_dmarc`), so only IDN labels go through it.
    // eslint-disable-next-line no-control-regex
    const ascii = /[^\x00-\x7f]/.test(label) ? domainToASCII(label) : label.toLowerCase();
    if (ascii === '') return { error: `"${label}" is not a valid internationalised label` };
    if (ascii.length > MAX_LABEL_LENGTH) return { error: `label "${ascii.slice(0, 20)}…" is longer than ${MAX_LABEL_LENGTH} characters` };
    if (/[^\x21-\x7e]/.test(ascii) || ascii.includes('\\')) return { error: `label "${ascii}" contains characters DNS names cannot carry` };
    labels.push(ascii);
  }
  const joined = labels.join('.');
  if (joined.length > MAX_NAME_LENGTH) return { error: `name is longer than ${MAX_NAME_LENGTH} characters` };
  return { name: joined };
}

export function encodeQuery(id: number, name: string, type: RecordType): Buffer {
  return packet.encode({
    type: 'query',
    id,
    // AD=1 asks a validating resolver to report whether it validated the answer (RFC 6840 §5.7)
    // without DO=1, which would bloat every answer with RRSIGs we do not verify ourselves.
    flags: packet.RECURSION_DESIRED | packet.AUTHENTIC_DATA,
    questions: [{ name, type, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_SIZE, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }],
  });
}

export type DecodedMessage = packet.DecodedPacket & { rcode?: string };

export function decodeMessage(message: Buffer): DecodedMessage | undefined {
  if (message.length < 12 || message.length > MAX_MESSAGE_BYTES) return undefined;
  try {
    return packet.decode(message) as DecodedMessage;
  } catch {
    return undefined;
  }
}

/** An answer counts only if it echoes our id and exactly our question; anything else is noise or spoofing. */
export function answersQuestion(message: DecodedMessage, id: number, name: string, type: RecordType): boolean {
  if (message.type !== 'response' || message.id !== id) return false;
  const questions = message.questions ?? [];
  if (questions.length !== 1) return false;
  const [question] = questions;
  return question.name.toLowerCase().replace(/\.$/, '') === name && question.type === type && (question.class ?? 'IN') === 'IN';
}

interface OwnedRecord {
  owner: string;
  record: DnsRecord;
  raw: string;
}

const RCODE_STATUS: Record<string, LookupStatus> = { NOERROR: 'ok', NXDOMAIN: 'nxdomain', SERVFAIL: 'servfail', REFUSED: 'refused' };

/** Builds the result for a matched answer: the CNAME chain from the question name, then the records asked for. */
export function resultFromMessage(message: DecodedMessage, name: string, type: RecordType, server: string): LookupResult {
  const owned = chainedRecords(message.answers ?? [], name, type);
  const hasAnswer = owned.some((entry) => entry.record.type === type);
  const rcode = message.rcode ?? 'NOERROR';
  let status: LookupStatus = RCODE_STATUS[rcode] ?? 'error';
  // A recursive answer that stops at a CNAME means the target has no records of this type.
  if (status === 'ok' && !hasAnswer) status = 'nodata';
  const result: LookupResult = {
    name,
    type,
    status,
    records: owned.map((entry) => entry.record),
    raw: owned.map((entry) => entry.raw),
    authenticated: message.flag_ad,
    server,
  };
  if (status === 'error') result.detail = `server answered ${rcode}`;
  else if (status === 'servfail') result.detail = `${server} answered SERVFAIL`;
  else if (status === 'refused') result.detail = `${server} refused the query`;
  return result;
}

/** Only records reachable from the question name count, so unrelated or injected answers are dropped. */
function chainedRecords(answers: packet.Answer[], name: string, type: RecordType): OwnedRecord[] {
  const owners = new Set([name]);
  const chain: OwnedRecord[] = [];
  const used = new Set<packet.Answer>();
  if (type !== 'CNAME') {
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const answer of answers) {
        if (used.has(answer) || answer.type !== 'CNAME' || !owners.has(ownerOf(answer))) continue;
        const record = toRecord(answer);
        if (!record || record.type !== 'CNAME') continue;
        used.add(answer);
        chain.push({ owner: ownerOf(answer), record, raw: presentRecord(ownerOf(answer), record) });
        owners.add(record.target.toLowerCase());
        progressed = true;
      }
    }
  }
  const wanted: OwnedRecord[] = [];
  for (const answer of answers) {
    if (answer.type !== type || !owners.has(ownerOf(answer))) continue;
    const record = toRecord(answer);
    // TXT is presented from the bytes received, so text that is not UTF-8 is shown as it was sent.
    const raw = record?.type === 'TXT' && answer.type === 'TXT' ? presentTxtBytes(ownerOf(answer), record.ttl, answer.data) : record && presentRecord(ownerOf(answer), record);
    if (record && raw) wanted.push({ owner: ownerOf(answer), record, raw });
  }
  return [...chain, ...wanted];
}

function ownerOf(answer: packet.Answer): string {
  return answer.name.toLowerCase().replace(/\.$/, '');
}

function hostName(name: string): string {
  return name === '' ? '.' : name.replace(/\.$/, '') || '.';
}

function toRecord(answer: packet.Answer): DnsRecord | undefined {
  if (answer.type === 'OPT') return undefined;
  const ttl = answer.ttl ?? 0;
  switch (answer.type) {
    case 'A':
    case 'AAAA':
      return { type: answer.type, address: answer.data, ttl };
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { type: answer.type, target: hostName(answer.data), ttl };
    case 'MX':
      return { type: 'MX', priority: answer.data.preference ?? 0, exchange: hostName(answer.data.exchange), ttl };
    case 'TXT': {
      const parts = Array.isArray(answer.data) ? answer.data : [answer.data];
      return { type: 'TXT', strings: parts.map((part) => (typeof part === 'string' ? part : part.toString('utf8'))), ttl };
    }
    case 'CAA':
      return { type: 'CAA', flags: answer.data.flags ?? 0, tag: answer.data.tag, value: answer.data.value, ttl };
    case 'SOA':
      return {
        type: 'SOA',
        mname: hostName(answer.data.mname),
        rname: hostName(answer.data.rname),
        serial: answer.data.serial ?? 0,
        ttl,
        refresh: answer.data.refresh ?? 0,
        retry: answer.data.retry ?? 0,
        expire: answer.data.expire ?? 0,
        minimum: answer.data.minimum ?? 0,
      };
    case 'SRV':
      return { type: 'SRV', priority: answer.data.priority ?? 0, weight: answer.data.weight ?? 0, port: answer.data.port, target: hostName(answer.data.target), ttl };
    case 'DS':
      return { type: 'DS', data: `${answer.data.keyTag} ${answer.data.algorithm} ${answer.data.digestType} ${answer.data.digest.toString('hex').toUpperCase()}`, ttl };
    case 'DNSKEY':
      return { type: 'DNSKEY', data: `${answer.data.flags} 3 ${answer.data.algorithm} ${answer.data.key.toString('base64')}`, ttl };
    case 'TLSA':
      return { type: 'TLSA', data: `${answer.data.usage} ${answer.data.selector} ${answer.data.matchingType} ${answer.data.certificate.toString('hex').toUpperCase()}`, ttl };
    default:
      return undefined;
  }
}

function absolute(name: string): string {
  return name === '.' || name === '' ? '.' : `${name}.`;
}

function presentTxtBytes(owner: string, ttl: number, data: packet.TxtData): string {
  const parts = Array.isArray(data) ? data : [data];
  return `${absolute(owner)} ${ttl} IN TXT ${parts.map((part) => quoteCharacterString(part)).join(' ')}`;
}

/** A character-string as zone files write it: quoted, `"` and `\` escaped, other bytes as \DDD. */
export function quoteCharacterString(text: string | Buffer): string {
  let out = '"';
  for (const byte of typeof text === 'string' ? Buffer.from(text, 'utf8') : text) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString().padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

/** `owner. ttl IN TYPE rdata`, the form a person can compare with their DNS provider's screen. */
export function presentRecord(owner: string, record: DnsRecord): string {
  const head = `${absolute(owner)} ${record.ttl} IN ${record.type}`;
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return `${head} ${record.address}`;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return `${head} ${absolute(record.target)}`;
    case 'MX':
      return `${head} ${record.priority} ${absolute(record.exchange)}`;
    case 'TXT':
      return `${head} ${record.strings.map(quoteCharacterString).join(' ')}`;
    case 'CAA':
      return `${head} ${record.flags} ${record.tag} ${quoteCharacterString(record.value)}`;
    case 'SOA':
      return [head, absolute(record.mname), absolute(record.rname), record.serial, record.refresh, record.retry, record.expire, record.minimum]
        .filter((field) => field !== undefined)
        .join(' ');
    case 'SRV':
      return `${head} ${record.priority} ${record.weight} ${record.port} ${absolute(record.target)}`;
    case 'DS':
    case 'DNSKEY':
    case 'TLSA':
      return `${head} ${record.data}`;
  }
}

export function failure(name: string, type: RecordType, status: LookupStatus, detail: string, server?: string): LookupResult {
  const result: LookupResult = { name, type, status, records: [], raw: [], detail };
  if (server !== undefined) result.server = server;
  return result;
}
