import { parseIp, parseStrictIpv4 } from '../ip';
import { isIPv6 } from 'node:net';
import { parseMacroString, type MacroPart } from './macro';

// RFC 7208 §4.5 and §12: which TXT record is the SPF record, and its terms with character offsets
// (within the record as the concatenated TXT strings read) so a finding can point at the term.

export type Qualifier = '+' | '-' | '~' | '?';
export type MechanismName = 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists';
const MECHANISMS: readonly string[] = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'];

export interface SpfMechanism {
  kind: 'mechanism';
  qualifier: Qualifier;
  /** True when the qualifier was written, e.g. `+all` rather than `all`. */
  explicitQualifier: boolean;
  name: MechanismName;
  domainSpec?: string;
  domainParts?: MacroPart[];
  /** ip4/ip6 network bytes. */
  network?: Uint8Array;
  cidr4?: number;
  cidr6?: number;
  text: string;
  start: number;
  end: number;
}

export interface SpfModifier {
  kind: 'modifier';
  name: string;
  value: string;
  valueParts?: MacroPart[];
  text: string;
  start: number;
  end: number;
}

export type SpfTerm = SpfMechanism | SpfModifier;

export interface SpfSyntaxError {
  message: string;
  start: number;
  end: number;
}

export interface ParsedSpf {
  record: string;
  terms: SpfTerm[];
  errors: SpfSyntaxError[];
  redirect?: SpfModifier;
  exp?: SpfModifier;
}

/** `v=spf1` then a space or the end, case-insensitively (RFC 7208 §4.5). */
export function isSpfRecord(text: string): boolean {
  return /^v=spf1(?: |$)/i.test(text);
}

export function parseSpf(record: string): ParsedSpf {
  const parsed: ParsedSpf = { record, terms: [], errors: [] };
  if (!isSpfRecord(record)) {
    parsed.errors.push({ message: 'record does not start with "v=spf1"', start: 0, end: Math.min(record.length, 6) });
    return parsed;
  }
  let index = 6;
  while (index < record.length) {
    if (record[index] === ' ') {
      index++;
      continue;
    }
    let end = index;
    while (end < record.length && record[end] !== ' ') end++;
    const text = record.slice(index, end);
    const term = parseTerm(text, index, parsed.errors);
    if (term) {
      parsed.terms.push(term);
      if (term.kind === 'modifier' && (term.name === 'redirect' || term.name === 'exp')) {
        if (parsed[term.name]) parsed.errors.push({ message: `"${term.name}=" may appear only once`, start: term.start, end: term.end });
        else parsed[term.name] = term;
      }
    }
    index = end;
  }
  return parsed;
}

function parseTerm(text: string, start: number, errors: SpfSyntaxError[]): SpfTerm | undefined {
  const end = start + text.length;
  const fail = (message: string, from = start, to = end) => {
    errors.push({ message, start: from, end: to });
    return undefined;
  };
  const modifierName = /^[A-Za-z][A-Za-z0-9\-_.]*=/.exec(text);
  if (modifierName) {
    const name = modifierName[0].slice(0, -1).toLowerCase();
    const value = text.slice(modifierName[0].length);
    const valueStart = start + modifierName[0].length;
    const macro = parseMacroString(value);
    if (macro.error) return fail(`${name}=: ${macro.error.message}`, valueStart + macro.error.start, valueStart + macro.error.end);
    if (name === 'redirect' || name === 'exp') {
      const problem = domainSpecProblem(value, macro.parts);
      if (problem) return fail(`${name}=: ${problem}`, valueStart, end);
    }
    return { kind: 'modifier', name, value, valueParts: macro.parts, text, start, end };
  }
  let position = 0;
  let qualifier: Qualifier = '+';
  const explicitQualifier = '+-~?'.includes(text[0]);
  if (explicitQualifier) {
    qualifier = text[0] as Qualifier;
    position = 1;
  }
  let nameEnd = position;
  while (nameEnd < text.length && /[A-Za-z0-9]/.test(text[nameEnd])) nameEnd++;
  const name = text.slice(position, nameEnd).toLowerCase();
  if (!MECHANISMS.includes(name)) {
    return fail(name ? `unknown mechanism "${text.slice(position, nameEnd)}"` : `"${text}" is not a mechanism or modifier`);
  }
  const mechanism: SpfMechanism = { kind: 'mechanism', qualifier, explicitQualifier, name: name as MechanismName, text, start, end };
  const rest = text.slice(nameEnd);
  const restStart = start + nameEnd;
  switch (mechanism.name) {
    case 'all':
      if (rest) return fail('"all" takes no argument', restStart, end);
      return mechanism;
    case 'include':
    case 'exists':
      if (!rest.startsWith(':') || rest.length === 1) return fail(`"${name}" needs ":domain"`, restStart, end);
      return withDomain(mechanism, rest.slice(1), restStart + 1, errors);
    case 'ptr':
      if (!rest) return mechanism;
      if (!rest.startsWith(':') || rest.length === 1) return fail('"ptr" takes ":domain" or nothing', restStart, end);
      return withDomain(mechanism, rest.slice(1), restStart + 1, errors);
    case 'a':
    case 'mx': {
      const cidr = splitDualCidr(rest);
      if (typeof cidr === 'string') return fail(cidr, restStart, end);
      mechanism.cidr4 = cidr.cidr4;
      mechanism.cidr6 = cidr.cidr6;
      const domain = cidr.head;
      if (!domain) return mechanism;
      if (!domain.startsWith(':') || domain.length === 1) return fail(`"${name}" takes ":domain" and/or CIDR lengths`, restStart, end);
      return withDomain(mechanism, domain.slice(1), restStart + 1, errors);
    }
    case 'ip4':
    case 'ip6': {
      if (!rest.startsWith(':')) return fail(`"${name}" needs ":address"`, restStart, end);
      const value = rest.slice(1);
      const slash = value.indexOf('/');
      const address = slash < 0 ? value : value.slice(0, slash);
      const lengthText = slash < 0 ? undefined : value.slice(slash + 1);
      const max = name === 'ip4' ? 32 : 128;
      if (lengthText !== undefined) {
        const length = cidrLength(lengthText, max);
        if (length === undefined) return fail(`"/${lengthText}" is not a CIDR length 0–${max}`, restStart + 1 + slash, end);
        if (name === 'ip4') mechanism.cidr4 = length;
        else mechanism.cidr6 = length;
      }
      if (name === 'ip4') {
        const bytes = parseStrictIpv4(address);
        if (!bytes) return fail(`"${address}" is not an IPv4 address`, restStart + 1, restStart + 1 + address.length);
        mechanism.network = bytes;
      } else {
        if (!isIPv6(address)) return fail(`"${address}" is not an IPv6 address`, restStart + 1, restStart + 1 + address.length);
        mechanism.network = parseIp(address)?.bytes;
      }
      return mechanism;
    }
  }
}

function withDomain(mechanism: SpfMechanism, spec: string, specStart: number, errors: SpfSyntaxError[]): SpfMechanism | undefined {
  const macro = parseMacroString(spec);
  if (macro.error) {
    errors.push({ message: macro.error.message, start: specStart + macro.error.start, end: specStart + macro.error.end });
    return undefined;
  }
  const problem = domainSpecProblem(spec, macro.parts);
  if (problem) {
    errors.push({ message: problem, start: specStart, end: specStart + spec.length });
    return undefined;
  }
  mechanism.domainSpec = spec;
  mechanism.domainParts = macro.parts;
  return mechanism;
}

/** domain-end: a macro, or "." and a top label that is not all digits (so `a:192.0.2.1` is an error). */
function domainSpecProblem(spec: string, parts: readonly MacroPart[]): string | undefined {
  if (!spec) return 'empty domain';
  const last = parts[parts.length - 1];
  if (last && last.kind !== 'literal') return undefined;
  const trimmed = spec.endsWith('.') ? spec.slice(0, -1) : spec;
  const dot = trimmed.lastIndexOf('.');
  if (dot < 0 || (last && last.kind === 'literal' && last.text.length < spec.length - dot)) {
    return `"${spec}" is not a fully qualified domain (it needs a dot and a top-level label)`;
  }
  const top = trimmed.slice(dot + 1);
  if (!isTopLabel(top)) return `"${top}" is not a valid top-level label`;
  return undefined;
}

function isTopLabel(label: string): boolean {
  if (!/^[A-Za-z0-9-]+$/.test(label)) return false;
  if (!label.includes('-')) return /[A-Za-z]/.test(label);
  return /^[A-Za-z0-9]/.test(label) && /[A-Za-z0-9]$/.test(label);
}

/** `[/ip4-len][//ip6-len]` from the end of an a/mx term; the head is `:domain` or empty. */
function splitDualCidr(rest: string): { head: string; cidr4?: number; cidr6?: number } | string {
  let head = rest;
  let cidr4: number | undefined;
  let cidr6: number | undefined;
  const v6 = head.lastIndexOf('//');
  if (v6 >= 0 && /^[0-9]+$/.test(head.slice(v6 + 2))) {
    cidr6 = cidrLength(head.slice(v6 + 2), 128);
    if (cidr6 === undefined) return `"${head.slice(v6)}" is not an IPv6 CIDR length 0–128`;
    head = head.slice(0, v6);
  } else if (v6 >= 0 && v6 === head.length - 2) {
    return 'empty IPv6 CIDR length';
  }
  const v4 = head.lastIndexOf('/');
  if (v4 >= 0 && /^[0-9]*$/.test(head.slice(v4 + 1))) {
    cidr4 = cidrLength(head.slice(v4 + 1), 32);
    if (cidr4 === undefined) return `"${head.slice(v4)}" is not an IPv4 CIDR length 0–32`;
    head = head.slice(0, v4);
  }
  return { head, cidr4, cidr6 };
}

function cidrLength(text: string, max: number): number | undefined {
  if (!/^(?:0|[1-9][0-9]{0,2})$/.test(text)) return undefined;
  const value = Number(text);
  return value <= max ? value : undefined;
}
