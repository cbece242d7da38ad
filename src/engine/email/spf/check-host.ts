import type { DnsRecord, DnsResolver, RecordType } from '../../net/dns-types';
import { isUnverifiable, joinedTxt, lookupChasingCname, stripDot } from '../dns';
import { inNetwork, parseIp, reverseName, unmapIpv4, type ParsedIp } from '../ip';
import { expandMacros, parseMacroString, type MacroPart, type MacroValues } from './macro';
import { isSpfRecord, parseSpf, type ParsedSpf, type SpfMechanism } from './parse';

// check_host() as RFC 7208 §4–§6 defines it, macros (§7) and exp= explanations included.

export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export interface CheckHostInput {
  /** The SMTP client's address. */
  ip: string;
  /** MAIL FROM; empty or absent means the HELO identity is checked (RFC 7208 §2.4). */
  sender?: string;
  helo?: string;
  /** Overrides the domain taken from the sender or HELO. */
  domain?: string;
  /** The receiving host's name, for %{r}. */
  receiver?: string;
}

export interface CheckHostOptions {
  maxLookups?: number;
  maxVoidLookups?: number;
  /** Used when a fail has no exp= or the exp= text cannot be read. */
  defaultExplanation?: string;
  now?: () => number;
}

export interface CheckHostOutcome {
  result: SpfResult;
  /** For `fail`: the exp= text or the default explanation. */
  explanation?: string;
  /** The term that decided the result, e.g. `-all`, or `default` when none matched. */
  mechanism?: string;
  /** The domain whose record held that term. */
  domain: string;
  /** DNS-querying terms evaluated (the limit is 10). */
  lookups: number;
  voidLookups: number;
  /** Why the result is permerror/temperror/none. */
  reason?: string;
}

class SpfAbort extends Error {
  constructor(
    readonly result: 'permerror' | 'temperror',
    message: string,
  ) {
    super(message);
  }
}

const QUALIFIER_RESULT = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' } as const;

interface Decision {
  result: SpfResult;
  mechanism?: string;
  domain: string;
  explanation?: string;
  reason?: string;
}

export async function checkHost(resolver: DnsResolver, input: CheckHostInput, options: CheckHostOptions = {}): Promise<CheckHostOutcome> {
  const helo = input.helo ?? '';
  let sender = input.sender ?? '';
  let domain: string;
  if (sender) {
    const at = sender.lastIndexOf('@');
    domain = at >= 0 ? sender.slice(at + 1) : sender;
    if (at <= 0) sender = `postmaster@${domain}`;
  } else {
    domain = helo;
    sender = `postmaster@${helo}`;
  }
  if (input.domain) domain = input.domain;
  domain = stripDot(domain);
  const parsedIp = parseIp(input.ip);
  if (!parsedIp) return { result: 'permerror', domain, lookups: 0, voidLookups: 0, reason: `"${input.ip}" is not an IP address` };
  const evaluator = new Evaluator(resolver, unmapIpv4(parsedIp), sender, helo, input.receiver ?? 'unknown', options);
  if (!isValidDomain(domain)) return { result: 'none', domain, lookups: 0, voidLookups: 0, reason: `"${domain}" is not a valid multi-label domain name` };
  let decision: Decision;
  try {
    decision = await evaluator.evaluate(domain, true);
  } catch (error) {
    if (!(error instanceof SpfAbort)) throw error;
    decision = { result: error.result, domain, reason: error.message };
  }
  return { ...decision, lookups: evaluator.lookups, voidLookups: evaluator.voidLookups };
}

/** RFC 7208 §4.3: labels 1–63 octets, at least two labels, not an address literal. */
export function isValidDomain(domain: string): boolean {
  if (!domain || domain.length > 253 || domain.startsWith('[')) return false;
  const labels = stripDot(domain).split('.');
  if (labels.length < 2) return false;
  return labels.every((label) => label.length > 0 && label.length <= 63);
}

class Evaluator {
  lookups = 0;
  voidLookups = 0;
  private readonly maxLookups: number;
  private readonly maxVoidLookups: number;
  private validatedNamesCache?: Promise<string[]>;

  constructor(
    private readonly resolver: DnsResolver,
    private readonly ip: ParsedIp,
    private readonly sender: string,
    private readonly helo: string,
    private readonly receiver: string,
    private readonly options: CheckHostOptions,
  ) {
    this.maxLookups = options.maxLookups ?? 10;
    this.maxVoidLookups = options.maxVoidLookups ?? 2;
  }

  /** `explain`: false inside include (its exp= must not be used), true at the top and through redirect. */
  async evaluate(domain: string, explain: boolean): Promise<Decision> {
    const found = await this.fetchRecord(domain);
    if ('missing' in found) return { result: 'none', domain, reason: found.missing };
    const spf = parseSpf(found.record);
    if (spf.errors.length > 0) {
      const first = spf.errors[0];
      throw new SpfAbort('permerror', `syntax error in the SPF record of ${domain} at ${first.start}: ${first.message}`);
    }
    for (const term of spf.terms) {
      if (term.kind !== 'mechanism') continue;
      if (await this.matches(term, domain)) {
        const result = QUALIFIER_RESULT[term.qualifier];
        const decision: Decision = { result, mechanism: term.text, domain };
        if (result === 'fail' && explain) decision.explanation = await this.explanation(spf, domain);
        return decision;
      }
    }
    if (spf.redirect) {
      this.countLookup();
      const target = await this.expandDomain(spf.redirect.valueParts ?? [], domain);
      const redirected = isValidDomain(target) ? await this.evaluate(target, explain) : { result: 'none' as const, domain: target };
      if (redirected.result === 'none') throw new SpfAbort('permerror', `redirect=${target} has no SPF record`);
      return redirected;
    }
    return { result: 'neutral', mechanism: 'default', domain };
  }

  /** The one SPF record's text, or why there is none; a DNS failure aborts with temperror. */
  private async fetchRecord(domain: string): Promise<{ record: string } | { missing: string }> {
    const answer = await lookupChasingCname(this.resolver, domain, 'TXT');
    if (isUnverifiable(answer.status)) throw new SpfAbort('temperror', `TXT lookup for ${domain} failed: ${answer.status}${answer.detail ? ` (${answer.detail})` : ''}`);
    const records = joinedTxt(answer).filter(isSpfRecord);
    if (records.length === 0) return { missing: `no SPF record at ${domain}` };
    if (records.length > 1) throw new SpfAbort('permerror', `${domain} publishes ${records.length} SPF records`);
    return { record: records[0] };
  }

  private countLookup(): void {
    this.lookups++;
    if (this.lookups > this.maxLookups) throw new SpfAbort('permerror', `more than ${this.maxLookups} DNS-querying terms`);
  }

  private countVoid(): void {
    this.voidLookups++;
    if (this.voidLookups > this.maxVoidLookups) throw new SpfAbort('permerror', `more than ${this.maxVoidLookups} void DNS lookups`);
  }

  /** Records of `type`, [] for NXDOMAIN/NODATA (a void lookup when `countVoid`), temperror on failure. */
  private async query(name: string, type: RecordType, countVoid: boolean): Promise<DnsRecord[]> {
    if (!isValidLookupName(name)) {
      if (countVoid) this.countVoid();
      return [];
    }
    const answer = await lookupChasingCname(this.resolver, name, type);
    if (isUnverifiable(answer.status)) throw new SpfAbort('temperror', `${type} lookup for ${name} failed: ${answer.status}`);
    if (answer.records.length === 0 && countVoid) this.countVoid();
    return answer.records;
  }

  private async addresses(name: string, countVoid: boolean): Promise<Uint8Array[]> {
    const type = this.ip.version === 4 ? 'A' : 'AAAA';
    const records = await this.query(name, type, countVoid);
    return records.flatMap((record) => {
      if (record.type !== type) return [];
      const parsed = parseIp(record.address);
      return parsed ? [parsed.bytes] : [];
    });
  }

  private inCidr(addresses: Uint8Array[], mechanism: SpfMechanism): boolean {
    const length = this.ip.version === 4 ? (mechanism.cidr4 ?? 32) : (mechanism.cidr6 ?? 128);
    return addresses.some((address) => inNetwork(this.ip.bytes, address, length));
  }

  private async matches(mechanism: SpfMechanism, domain: string): Promise<boolean> {
    const target = async () => (mechanism.domainParts ? this.expandDomain(mechanism.domainParts, domain) : domain);
    switch (mechanism.name) {
      case 'all':
        return true;
      case 'ip4':
        return this.ip.version === 4 && inNetwork(this.ip.bytes, mechanism.network ?? new Uint8Array(4), mechanism.cidr4 ?? 32);
      case 'ip6':
        return this.ip.version === 6 && inNetwork(this.ip.bytes, mechanism.network ?? new Uint8Array(16), mechanism.cidr6 ?? 128);
      case 'include': {
        this.countLookup();
        const name = await target();
        const included = isValidDomain(name) ? await this.evaluate(name, false) : { result: 'none' as const };
        if (included.result === 'none') throw new SpfAbort('permerror', `include:${name} has no SPF record`);
        return included.result === 'pass';
      }
      case 'a': {
        this.countLookup();
        return this.inCidr(await this.addresses(await target(), true), mechanism);
      }
      case 'mx': {
        this.countLookup();
        const exchanges = (await this.query(await target(), 'MX', true)).flatMap((record) => (record.type === 'MX' ? [stripDot(record.exchange)] : []));
        if (exchanges.length > 10) throw new SpfAbort('permerror', `mx: ${exchanges.length} MX records (at most 10 may be looked up)`);
        for (const exchange of exchanges) {
          if (!exchange) continue; // null MX (RFC 7505)
          if (this.inCidr(await this.addresses(exchange, false), mechanism)) return true;
        }
        return false;
      }
      case 'ptr': {
        this.countLookup();
        const name = (await target()).toLowerCase();
        const names = await this.validatedNames(true);
        return names.some((validated) => validated === name || validated.endsWith(`.${name}`));
      }
      case 'exists': {
        this.countLookup();
        const records = await this.query(await target(), 'A', true);
        return records.length > 0;
      }
    }
  }

  /** PTR names of the client that resolve back to it (RFC 7208 §5.5); at most 10 are tried. */
  private validatedNames(countVoid: boolean): Promise<string[]> {
    this.validatedNamesCache ??= (async () => {
      const answer = await lookupChasingCname(this.resolver, reverseName(this.ip), 'PTR');
      if (isUnverifiable(answer.status)) return [];
      if (answer.records.length === 0 && countVoid) this.countVoid();
      const names = answer.records.flatMap((record) => (record.type === 'PTR' ? [stripDot(record.target).toLowerCase()] : [])).slice(0, 10);
      const validated: string[] = [];
      for (const name of names) {
        try {
          if ((await this.addresses(name, false)).some((address) => inNetwork(this.ip.bytes, address, address.length * 8))) validated.push(name);
        } catch (error) {
          if (!(error instanceof SpfAbort)) throw error; // a lookup error only drops that name
        }
      }
      return validated;
    })();
    return this.validatedNamesCache;
  }

  private macroValues(domain: string): MacroValues {
    return {
      sender: this.sender,
      domain,
      ip: this.ip,
      helo: this.helo,
      receiver: this.receiver,
      now: this.options.now ?? Date.now,
      validatedName: async () => {
        const names = await this.validatedNames(false);
        const lower = domain.toLowerCase();
        return names.find((name) => name === lower) ?? names.find((name) => name.endsWith(`.${lower}`)) ?? names[0] ?? 'unknown';
      },
    };
  }

  /** Expanded, trailing dot removed, and left labels dropped until it fits in 253 characters. */
  private async expandDomain(parts: readonly MacroPart[], domain: string): Promise<string> {
    let name = stripDot(await expandMacros(parts, this.macroValues(domain)));
    while (name.length > 253 && name.includes('.')) name = name.slice(name.indexOf('.') + 1);
    return name;
  }

  private async explanation(spf: ParsedSpf, domain: string): Promise<string> {
    const fallback = this.options.defaultExplanation ?? `${this.ip.text} is not authorised to send mail for ${domain}`;
    if (!spf.exp) return fallback;
    try {
      const name = await this.expandDomain(spf.exp.valueParts ?? [], domain);
      if (!isValidLookupName(name)) return fallback;
      const answer = await lookupChasingCname(this.resolver, name, 'TXT');
      const texts = answer.status === 'ok' ? joinedTxt(answer) : [];
      if (texts.length !== 1) return fallback;
      const parsed = parseMacroString(texts[0], { explanation: true });
      if (parsed.error) return fallback;
      return await expandMacros(parsed.parts, this.macroValues(domain));
    } catch (error) {
      if (error instanceof SpfAbort) return fallback;
      throw error;
    }
  }
}

function isValidLookupName(name: string): boolean {
  if (!name || name.length > 253) return false;
  return stripDot(name)
    .split('.')
    .every((label) => label.length > 0 && label.length <= 63);
}
