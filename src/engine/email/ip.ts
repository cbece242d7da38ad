import { isIPv4, isIPv6 } from 'node:net';

// Addresses as bytes, so CIDR matching is the same code for IPv4 and IPv6.

export interface ParsedIp {
  version: 4 | 6;
  bytes: Uint8Array;
  /** The address normalised (IPv6 compressed lower-case). */
  text: string;
  /** The IPv6 address was written in upper case; %{i} echoes it that way (the OpenSPF suite expects it). */
  upperCase?: boolean;
}

export function parseIp(text: string): ParsedIp | undefined {
  if (isIPv4(text)) return { version: 4, bytes: Uint8Array.from(text.split('.').map(Number)), text };
  if (!isIPv6(text)) return undefined;
  const bytes = ipv6Bytes(text);
  if (!bytes) return undefined;
  return { version: 6, bytes, text: formatIpv6(bytes), upperCase: /[A-F]/.test(text) && !/[a-f]/.test(text) };
}

/** Strict dotted quad as SPF's ip4 mechanism spells it (no leading zeros beyond "0"). */
export function parseStrictIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let index = 0; index < 4; index++) {
    const part = parts[index];
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[index] = value;
  }
  return bytes;
}

function ipv6Bytes(text: string): Uint8Array | undefined {
  let head = text;
  const tailBytes: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseStrictIpv4(tail);
    if (!v4) return undefined;
    head = text.slice(0, lastColon + 1) + '0:0';
    tailBytes.push(...v4);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  all.forEach((group, index) => {
    const value = parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  if (tailBytes.length === 4) bytes.set(tailBytes, 12);
  return bytes;
}

export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let index = 0; index < 16; index += 2) groups.push((bytes[index] << 8) | bytes[index + 1]);
  // The longest run of zero groups (length ≥ 2) becomes "::", as RFC 5952 recommends.
  let bestStart = -1;
  let bestLength = 0;
  for (let index = 0; index < 8; ) {
    if (groups[index] !== 0) {
      index++;
      continue;
    }
    let end = index;
    while (end < 8 && groups[end] === 0) end++;
    if (end - index > bestLength && end - index >= 2) {
      bestStart = index;
      bestLength = end - index;
    }
    index = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** An IPv4-mapped IPv6 client (::ffff:a.b.c.d) is treated as the IPv4 address it carries. */
export function unmapIpv4(ip: ParsedIp): ParsedIp {
  if (ip.version !== 6) return ip;
  const prefix = ip.bytes.subarray(0, 12);
  const mapped = prefix.every((byte, index) => (index < 10 ? byte === 0 : byte === 0xff));
  if (!mapped) return ip;
  const bytes = ip.bytes.slice(12);
  return { version: 4, bytes, text: Array.from(bytes).join('.') };
}

export function inNetwork(ip: Uint8Array, network: Uint8Array, prefixLength: number): boolean {
  if (ip.length !== network.length) return false;
  let remaining = prefixLength;
  for (let index = 0; index < ip.length && remaining > 0; index++) {
    const bits = Math.min(8, remaining);
    const mask = (0xff << (8 - bits)) & 0xff;
    if ((ip[index] & mask) !== (network[index] & mask)) return false;
    remaining -= bits;
  }
  return true;
}

/** `1.2.0.192.in-addr.arpa` / nibble form for IPv6: where PTR records for the address live. */
export function reverseName(ip: ParsedIp): string {
  if (ip.version === 4) return `${Array.from(ip.bytes).reverse().join('.')}.in-addr.arpa`;
  return `${nibbles(ip.bytes).reverse().join('.')}.ip6.arpa`;
}

export function nibbles(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (const byte of bytes) out.push((byte >> 4).toString(16), (byte & 0xf).toString(16));
  return out;
}
