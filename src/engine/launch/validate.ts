import { isIP } from 'node:net';
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { detectSecrets } from '../secrets/detector';
import { redact } from '../redact';
import { normalizeHost, normalizeWebUrl } from './domains';
import type { YamlPath } from './model';
import { KEY_HOMES, resolveRef, type JsonType, type SchemaNode } from './schema';
import { didYouMean } from './suggest';

// Checks the YAML tree against launch.schema.json and returns the plain value with every invalid
// part left out, so the model builder only ever sees well-formed data. Problems are reported by
// YAML path; the parser turns paths into line/column ranges.

export interface Issue {
  ruleId: string;
  path: YamlPath;
  /** Point at the key (`unknown-key`, `missing-required`) or at the value. */
  part: 'key' | 'value';
  message: string;
}

/** More nodes than any launch description has; stops alias bombs (`&a [*a, *a, …]`). */
const NODE_BUDGET = 50_000;

export class TooComplexError extends Error {}

interface Context {
  doc: Document;
  issues: Issue[];
  visited: number;
  active: Set<Node>;
}

export function validateAgainstSchema(doc: Document, root: SchemaNode): { value: unknown; issues: Issue[] } {
  const context: Context = { doc, issues: [], visited: 0, active: new Set() };
  const value = check(doc.contents as Node | null, root, [], context, undefined);
  return { value, issues: context.issues };
}

export function displayPath(path: YamlPath): string {
  let text = '';
  for (const part of path) {
    // A key with dots (`eu.api` under subdomains) is quoted so the path stays readable.
    const name = typeof part === 'string' && /[.\s[\]]/.test(part) ? `[${JSON.stringify(part)}]` : part;
    text += typeof part === 'number' ? `[${part}]` : name !== part ? name : text ? `.${part}` : part;
  }
  return text || 'the file';
}

/** A value quoted for a message: launch.yaml holds no secrets, but if one is pasted in by mistake it is redacted. */
export function shown(value: string): string {
  const tooLong = [...value].length > 80;
  const secret = detectSecrets(value, { path: 'launch.yaml' }).length > 0;
  return tooLong || secret ? redact(value) : JSON.stringify(value);
}

function kindOf(node: Node | null | undefined): JsonType | 'null' | 'other' {
  if (node === null || node === undefined) return 'null';
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return 'null';
    if (typeof value === 'string') return 'string';
    if (typeof value === 'boolean') return 'boolean';
    if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  }
  return 'other';
}

const KIND_WORDS: Record<string, string> = {
  object: 'a section (key: value lines)',
  array: 'a list',
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  null: 'nothing',
  other: 'an unsupported value',
};

function typeAllowed(kind: string, allowed: JsonType[]): boolean {
  return allowed.includes(kind as JsonType) || (kind === 'integer' && allowed.includes('number'));
}

function check(node: Node | null | undefined, schemaIn: SchemaNode, path: YamlPath, ctx: Context, definition: string | undefined): unknown {
  const { node: schema, definition: refName } = resolveRef(schemaIn);
  const defName = refName ?? definition;
  if (++ctx.visited > NODE_BUDGET) throw new TooComplexError('more than 50,000 values (aliases expanded)');
  if (node && isAlias(node)) {
    const target = node.resolve(ctx.doc) as Node | undefined;
    if (!target) {
      ctx.issues.push({ ruleId: 'launch/yaml-syntax', path, part: 'value', message: `The alias *${node.source} refers to no anchor.` });
      return undefined;
    }
    if (ctx.active.has(target)) throw new TooComplexError('an alias refers to a value that contains it');
    ctx.active.add(target);
    try {
      return check(target, schema, path, ctx, defName);
    } finally {
      ctx.active.delete(target);
    }
  }
  const kind = kindOf(node);
  const allowed: JsonType[] = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (kind === 'null') {
    // `staging:` with nothing after it: allowed where the schema says so (a name declared with no
    // details); elsewhere editors flag it as the wrong type, so the engine says so too.
    if (allowed.length > 0 && !allowed.includes('null') && path.length > 0) {
      ctx.issues.push({ ruleId: 'launch/empty-value', path, part: 'key', message: `${displayPath(path)} has no value; fill it in or remove the line.` });
    }
    return allowed.includes('null') && allowed.includes('object') ? {} : undefined;
  }
  let effectiveKind = kind;
  let scalarValue = isScalar(node) ? node.value : undefined;
  if (allowed.length > 0 && !typeAllowed(kind, allowed)) {
    // `dkimSelectors: [20240101]` reads as a number, and under a `%YAML 1.1` directive
    // `until: 2027-03-01` reads as a timestamp and `yes` as a boolean; the user meant the text.
    if (allowed.includes('string') && kind !== 'object' && kind !== 'array' && isScalar(node) && node.type === 'PLAIN' && typeof node.source === 'string') {
      effectiveKind = 'string';
      scalarValue = node.source;
    } else {
      const expected = allowed.map((t) => KIND_WORDS[t]).join(' or ');
      const hint = allowed.includes('array') && kind === 'string' ? ' Write it as a list: `- item` on its own line, or `[item]`.' : '';
      ctx.issues.push({ ruleId: 'launch/wrong-type', path, part: 'value', message: `${displayPath(path)} must be ${expected}, not ${KIND_WORDS[kind]}.${hint}` });
      return undefined;
    }
  }
  if (allowed.includes('string') && (kind === 'integer' || kind === 'number') && isScalar(node) && node.type === 'PLAIN' && typeof node.source === 'string') {
    // The schema allows a number only so editors accept `20240601`; the value is the text written.
    effectiveKind = 'string';
    scalarValue = node.source;
  }
  if (effectiveKind === 'object' && isMap(node)) return checkObject(node, schema, path, ctx);
  if (effectiveKind === 'array' && isSeq(node)) {
    const result: unknown[] = [];
    node.items.forEach((item, index) => {
      const value = schema.items ? check(item as Node, schema.items, [...path, index], ctx, undefined) : undefined;
      if (value !== undefined) result.push(value);
    });
    return result;
  }
  if (effectiveKind === 'string') return checkString(String(scalarValue), schema, path, 'value', ctx, defName);
  if (effectiveKind === 'integer' || effectiveKind === 'number' || effectiveKind === 'boolean') {
    const value = scalarValue as number | boolean;
    if (schema.enum && !schema.enum.includes(value)) {
      ctx.issues.push({ ruleId: 'launch/invalid-value', path, part: 'value', message: `${displayPath(path)} must be one of ${schema.enum.join(', ')}, not ${String(value)}.` });
      return undefined;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value) || (schema.minimum !== undefined && value < schema.minimum) || (schema.maximum !== undefined && value > schema.maximum)) {
        const bounds = [schema.minimum !== undefined ? `at least ${schema.minimum}` : '', schema.maximum !== undefined ? `at most ${schema.maximum}` : ''].filter(Boolean).join(' and ');
        ctx.issues.push({ ruleId: 'launch/invalid-value', path, part: 'value', message: `${displayPath(path)} must be a finite number${bounds ? ` ${bounds}` : ''}, not ${String(value)}.` });
        return undefined;
      }
    }
    return value;
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'number' || typeof key.value === 'boolean')) {
    return typeof key.value === 'string' ? key.value : String(key.source ?? key.value);
  }
  return undefined;
}

function checkObject(node: import('yaml').YAMLMap, schema: SchemaNode, path: YamlPath, ctx: Context): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const properties = schema.properties ?? {};
  const present = new Set<string>();
  for (const pair of node.items) {
    const key = keyText(pair.key);
    if (key === undefined) {
      ctx.issues.push({ ruleId: 'launch/unsupported-yaml', path, part: 'value', message: `A key in ${displayPath(path)} is a list or section; keys must be plain names.` });
      continue;
    }
    const childPath = [...path, key];
    if (key === '<<') {
      ctx.issues.push({ ruleId: 'launch/unsupported-yaml', path: childPath, part: 'key', message: 'Merge keys (`<<`) are not supported in launch.yaml; write the keys out.' });
      continue;
    }
    const valueNode = pair.value as Node | null;
    if (Object.prototype.hasOwnProperty.call(properties, key)) {
      // A required key with no value is reported once, below, as missing.
      const required = (schema.required ?? []).includes(key) && kindOf(valueNode) === 'null';
      const value = required ? undefined : check(valueNode, properties[key], childPath, ctx, undefined);
      if (value !== undefined) result[key] = value;
      // A key with a wrong value was already reported; "missing" would say it twice.
      present.add(kindOf(valueNode) === 'null' ? `${key}\0null` : key);
      continue;
    }
    if (Object.keys(schema.patternProperties ?? {}).some((pattern) => new RegExp(pattern).test(key))) continue;
    if (typeof schema.additionalProperties === 'object') {
      if (schema.propertyNames) {
        const ok = checkString(key, schema.propertyNames, childPath, 'key', ctx, undefined);
        if (ok === undefined) continue;
      }
      const value = check(valueNode, schema.additionalProperties, childPath, ctx, undefined);
      if (value !== undefined) result[key] = value;
      continue;
    }
    ctx.issues.push({ ruleId: 'launch/unknown-key', path: childPath, part: 'key', message: unknownKeyMessage(key, path, Object.keys(properties)) });
  }
  for (const required of schema.required ?? []) {
    if (present.has(required)) continue;
    const empty = present.has(`${required}\0null`);
    const where = path.length > 0 ? displayPath(path) : 'launch.yaml';
    ctx.issues.push({
      ruleId: 'launch/missing-required',
      path: empty ? [...path, required] : path,
      part: 'key',
      message: empty ? `${displayPath([...path, required])} has no value.` : `${where} needs \`${required}\`.`,
    });
  }
  return result;
}

function unknownKeyMessage(key: string, path: YamlPath, siblings: string[]): string {
  const where = path.length > 0 ? `in ${displayPath(path)}` : 'at the top level';
  const near = didYouMean(key, siblings.filter((s) => !s.startsWith('$')));
  if (near) return `Unknown key ${shown(key)} ${where}; did you mean \`${near}\`?`;
  const homes = KEY_HOMES.get(key) ?? (() => {
    const close = didYouMean(key, KEY_HOMES.keys());
    return close ? (KEY_HOMES.get(close) ?? []).map((home) => `${home}|${close}`) : [];
  })();
  const home = homes[0];
  if (home !== undefined) {
    const [section, name] = home.includes('|') ? home.split('|') : [home, key];
    return `Unknown key ${shown(key)} ${where}; \`${name}\` belongs ${section ? `under \`${section}\`` : 'at the top level'}.`;
  }
  return `Unknown key ${shown(key)} ${where}; it is ignored.`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// What dotenv accepts as a key, so every name an env file can hold can be listed.
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const EMAIL = /^[^\s@]+@([^\s@]+)$/;

/** Every pattern run on user text here, for the ReDoS test. */
export const VALUE_PATTERNS: readonly RegExp[] = [DATE, ENV_NAME, EMAIL];

export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Returns [rule, reason] when `value` does not match `format`. */
function formatProblem(format: string, value: string): [string, string] | undefined {
  switch (format) {
    case 'host': {
      const result = normalizeHost(value);
      return result.ok ? undefined : ['launch/invalid-host', result.reason + (result.suggestion ? `; did you mean \`${result.suggestion}\`?` : '')];
    }
    case 'domain': {
      // DNS names that are not web hosts (`_spf.google.com`) may carry underscores.
      const result = normalizeHost(value, { allowUnderscore: true });
      return result.ok ? undefined : ['launch/invalid-host', result.reason];
    }
    case 'dns-name': {
      if (value === '@') return undefined;
      const result = normalizeHost(value, { allowWildcard: true, allowUnderscore: true, allowSingleLabel: true });
      return result.ok ? undefined : ['launch/invalid-host', result.reason];
    }
    case 'host-or-url': {
      if (value.includes('://')) {
        const result = normalizeWebUrl(value);
        return result.ok ? undefined : ['launch/invalid-url', result.reason];
      }
      const result = normalizeHost(value);
      return result.ok ? undefined : ['launch/invalid-host', result.reason];
    }
    case 'http-url': {
      const result = normalizeWebUrl(value);
      return result.ok ? undefined : ['launch/invalid-url', result.reason];
    }
    case 'date':
      return isCalendarDate(value) ? undefined : ['launch/invalid-date', DATE.test(value) ? 'is not a day on the calendar' : 'is not written YYYY-MM-DD'];
    case 'email':
    case 'mailbox': {
      const address = format === 'mailbox' ? value.replace(/^mailto:/i, '') : value;
      const match = EMAIL.exec(address);
      if (!match) return ['launch/invalid-email', 'is not an email address'];
      const domain = normalizeHost(match[1]);
      return domain.ok ? undefined : ['launch/invalid-email', `has a domain that ${domain.reason}`];
    }
    case 'ipv4':
      return isIP(value) === 4 ? undefined : ['launch/invalid-address', 'is not an IPv4 address'];
    case 'ipv6':
      return isIP(value) === 6 ? undefined : ['launch/invalid-address', 'is not an IPv6 address'];
    case 'env-name':
      return ENV_NAME.test(value) ? undefined : ['launch/invalid-env-name', ''];
    default:
      return undefined;
  }
}

const ENUM_RULES: Record<string, string> = { readinessItem: 'launch/unknown-item' };

function checkString(value: string, schema: SchemaNode, path: YamlPath, part: 'key' | 'value', ctx: Context, definition: string | undefined): string | undefined {
  const { node: resolved, definition: refName } = resolveRef(schema);
  const defName = refName ?? definition;
  const label = part === 'key' ? `The name ${shown(value)} in ${displayPath(path.slice(0, -1))}` : displayPath(path);
  if (resolved.enum && !resolved.enum.includes(value)) {
    const near = didYouMean(value, resolved.enum.map(String));
    const ruleId = (defName && ENUM_RULES[defName]) ?? 'launch/invalid-value';
    const choices = resolved.enum.length <= 12 ? ` (one of ${resolved.enum.join(', ')})` : '';
    const subject = part === 'key' ? label : `${label}: ${shown(value)}`;
    const what = defName === 'readinessItem' ? 'readiness item id (A1–A10, D1–D7, E1–E9, M1–M8, R1–R7, S1–S6, P1–P7, O1–O8, H1–H6)' : 'known value';
    ctx.issues.push({ ruleId, path, part, message: `${subject} is not a ${what}${choices}${near ? `; did you mean \`${near}\`?` : '.'}` });
    return undefined;
  }
  if (resolved.minLength !== undefined && value.trim().length < resolved.minLength) {
    ctx.issues.push({ ruleId: 'launch/missing-required', path, part, message: `${label} is empty.` });
    return undefined;
  }
  if (resolved.pattern !== undefined && !new RegExp(resolved.pattern).test(value)) {
    ctx.issues.push({ ruleId: 'launch/invalid-value', path, part, message: `${label} ${shown(value)} has characters that are not allowed here.` });
    return undefined;
  }
  if (resolved.format) {
    const problem = formatProblem(resolved.format, value);
    if (problem) {
      const [ruleId, reason] = problem;
      const message =
        ruleId === 'launch/invalid-env-name'
          ? `${label} is not a variable name; list names only (like DATABASE_URL), never values.`
          : part === 'key'
            ? `${label} ${reason}.`
            : `${label}: ${shown(value)} ${reason}${reason.endsWith('?') ? '' : '.'}`;
      ctx.issues.push({ ruleId, path, part, message });
      return undefined;
    }
  }
  return value;
}
