import type { ScanConfig } from '../config';
import type { Finding, Range, Severity } from '../model';
import { fingerprint, redact } from '../redact';
import { isPlaceholder, isRepetitiveOrSequential } from '../secrets/heuristics';
import { finalValues, type EnvEntry, type ParsedEnv } from './parse';
import { FindingSink, type EnvFileInfo } from './lint';

// Checks across env files: parity with the example file, and production against the other
// environments. Pure functions of already-parsed files, so they are tested without a disk.

export interface LoadedEnvFile {
  /** Root-relative, forward slashes. */
  path: string;
  info: EnvFileInfo;
  parsed: ParsedEnv;
}

function directoryOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

function lastEntries(file: LoadedEnvFile): Map<string, EnvEntry> {
  const map = new Map<string, EnvEntry>();
  for (const entry of file.parsed.entries) if (entry.key !== '__proto__') map.set(entry.key, entry);
  return map;
}

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const WHOLE_FILE: Range = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };

/** Example ↔ environment parity, per directory (an example documents the files beside it). */
export function checkExampleParity(files: readonly LoadedEnvFile[], config: Pick<ScanConfig, 'rules'> | undefined): Finding[] {
  const findings: Finding[] = [];
  const byDir = new Map<string, LoadedEnvFile[]>();
  for (const file of files) {
    const dir = directoryOf(file.path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), file]);
  }
  for (const group of byDir.values()) {
    const examples = group.filter((f) => f.info.kind === 'example');
    if (examples.length === 0) continue;
    const documented = new Set(examples.flatMap((f) => [...lastEntries(f).keys()]));
    const environments = group.filter((f) => f.info.kind !== 'example');
    for (const file of environments) {
      const sink = new FindingSink(file.path, config, undefined);
      for (const [key, entry] of lastEntries(file)) {
        if (!documented.has(key)) sink.add('env/example-missing-key', entry.keyRange, `${key} is not in ${fileName(examples[0].path)}`, key);
      }
      findings.push(...sink.findings);
    }
    // Each environment reads its files layered: `.env`, `.env.local`, `.env.<mode>`, `.env.<mode>.local`.
    const base = environments.filter((f) => f.info.mode === undefined);
    const modes = new Set(environments.map((f) => f.info.mode).filter((m): m is string => m !== undefined));
    const layers: { name: string; files: LoadedEnvFile[] }[] = [];
    if (base.length > 0) layers.push({ name: 'the default environment', files: base });
    for (const mode of modes) layers.push({ name: mode, files: [...base, ...environments.filter((f) => f.info.mode === mode)] });
    for (const example of examples) {
      const sink = new FindingSink(example.path, config, undefined);
      for (const [key, entry] of lastEntries(example)) {
        for (const layer of layers) {
          if (layer.files.some((f) => lastEntries(f).has(key))) continue;
          sink.add('env/missing-from-env', entry.keyRange, `${key} is documented here but not set for ${layer.name} (${layer.files.map((f) => fileName(f.path)).join(', ')})`, `${key}:${layer.name}`);
        }
      }
      findings.push(...sink.findings);
    }
  }
  return findings;
}

const SECRET_KEY = /SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|API_?KEY|ACCESS_?KEY|CREDENTIAL|(?:^|_)AUTH(?:_|$)|SIGNING|ENCRYPTION_KEY|(?:^|_)SALT(?:_|$)|DSN$/i;
const SERVICE_SCHEME = /^(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|kafka|nats|sqlserver|mssql|cockroachdb|clickhouse|memcached?):\/\//i;
const TEST_KEY = /\b(?:sk|pk|rk)_test_[A-Za-z0-9]{8,}/;
const SANDBOX_HOST = /(?:^|\.)(?:sandbox|sandbox-[a-z0-9-]+|[a-z0-9-]+-sandbox)\.|^apitest\.authorize\.net$|^test\.salesforce\.com$|^development\.plaid\.com$|^api\.test\./i;
const SANDBOX_SETTING = /(?:_ENV|_MODE|_ENVIRONMENT)$/;
const TRUTHY = new Set(['true', '1', 'yes', 'on', '*']);
const ENVIRONMENT_KEYS: Record<string, readonly string[]> = {
  NODE_ENV: ['production'],
  APP_ENV: ['production', 'prod'],
  RAILS_ENV: ['production'],
  RACK_ENV: ['production'],
  FLASK_ENV: ['production'],
  DJANGO_ENV: ['production', 'prod'],
  ENVIRONMENT: ['production', 'prod'],
};

function parseUrl(value: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s]/i.test(value)) return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** 'loopback' for this machine, 'private' for RFC 1918 / link-local / internal names, else undefined. */
export function localness(host: string): 'loopback' | 'private' | undefined {
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '0.0.0.0' || /^127\./.test(host) || host === 'host.docker.internal') return 'loopback';
  if (/^10\./.test(host) || /^192\.168\./.test(host) || /^172\.(?:1[6-9]|2\d|3[01])\./.test(host) || /^169\.254\./.test(host) || /^f[cd][0-9a-f]{2}:/i.test(host) || /^fe80:/i.test(host)) return 'private';
  if (host.endsWith('.local')) return 'private';
  return undefined;
}

function looksSecret(key: string, value: string): boolean {
  return SECRET_KEY.test(key) && value.length >= 8 && !isPlaceholder(value) && !isRepetitiveOrSequential(value);
}

/** Production against staging, development and test files. */
export function checkProduction(files: readonly LoadedEnvFile[], config: Pick<ScanConfig, 'rules'> | undefined): Finding[] {
  const findings: Finding[] = [];
  const production = files.filter((f) => f.info.kind === 'production');
  const others = files.filter((f) => f.info.kind === 'staging' || f.info.kind === 'development' || f.info.kind === 'test' || (f.info.kind === 'default' && f.info.local));
  for (const prod of production) {
    const sink = new FindingSink(prod.path, config, undefined);
    const entries = lastEntries(prod);
    for (const [key, entry] of entries) {
      const value = entry.value;
      const url = parseUrl(value);
      const host = url ? hostOf(url) : undefined;
      const upperKey = key.toUpperCase();
      // Test-mode keys and sandbox endpoints.
      if (TEST_KEY.test(value)) {
        sink.add('env/test-key-in-production', entry.valueRange, `${key} holds a test-mode key in the production file`, `${key}:test-key`, { evidence: redact(value, 8) });
      } else if (host && SANDBOX_HOST.test(host)) {
        sink.add('env/test-key-in-production', entry.valueRange, `${key} points at a sandbox host (${host}) in the production file`, `${key}:sandbox-host`);
      } else if (SANDBOX_SETTING.test(upperKey) && /^(?:sandbox|test)$/i.test(value.trim())) {
        sink.add('env/test-key-in-production', entry.valueRange, `${key} selects the ${value.trim().toLowerCase()} environment in the production file`, `${key}:sandbox-setting`);
      }
      // Local and private addresses.
      const bareHost = /(?:_HOST|_HOSTNAME|_SERVER)$/.test(upperKey) ? value.trim().toLowerCase() : undefined;
      const where = host ?? bareHost;
      const local = where ? localness(where) : undefined;
      if (local) {
        const severity: Severity | undefined = local === 'loopback' ? undefined : 'medium';
        sink.add('env/local-url-in-production', entry.valueRange, local === 'loopback' ? `${key} points at ${where} in the production file: the deployed app cannot reach this machine` : `${key} points at the private address ${where}: only reachable inside that network`, `${key}:local`, severity && sink.severityFor('env/local-url-in-production') === 'high' ? { severity } : {});
      }
      // Plain HTTP to public hosts.
      if (url && url.protocol === 'http:' && host && !local) {
        sink.add('env/insecure-url-in-production', entry.valueRange, `${key} uses http:// to ${host}`, `${key}:http`);
      }
      // Debug flags and environment names.
      if ((upperKey === 'DEBUG' || /_DEBUG$/.test(upperKey)) && TRUTHY.has(value.trim().toLowerCase())) {
        sink.add('env/debug-in-production', entry.valueRange, `${key} turns debug mode on in the production file`, `${key}:debug`);
      }
      const allowed = ENVIRONMENT_KEYS[upperKey];
      if (allowed && !allowed.includes(value.trim().toLowerCase())) {
        sink.add('env/debug-in-production', entry.valueRange, `${key} is not "${allowed[0]}" in the production file`, `${key}:environment`);
      }
    }
    // Shared secrets and shared services with other environments (in the same app folder).
    for (const other of others.filter((o) => directoryOf(o.path) === directoryOf(prod.path))) {
      const otherValues = finalValues(other.parsed);
      const otherEntries = lastEntries(other);
      const servicesElsewhere = new Map<string, string>();
      for (const [otherKey, otherValue] of otherValues) {
        const u = SERVICE_SCHEME.test(otherValue) ? parseUrl(otherValue) : undefined;
        if (u && !localness(hostOf(u))) servicesElsewhere.set(`${u.protocol}//${hostOf(u)}:${u.port}${u.pathname}`, otherKey);
      }
      const secretValuesElsewhere = new Map<string, string>();
      for (const [otherKey, otherValue] of otherValues) if (looksSecret(otherKey, otherValue)) secretValuesElsewhere.set(otherValue, otherKey);
      for (const [key, entry] of entries) {
        const sharedWith = secretValuesElsewhere.get(entry.value);
        if (sharedWith !== undefined && looksSecret(key, entry.value)) {
          const line = otherEntries.get(sharedWith)?.keyRange.startLine;
          sink.add('env/shared-secret-across-environments', entry.valueRange, `${key} has the same value as ${sharedWith} in ${fileName(other.path)}${line ? ` (line ${line})` : ''}`, `${key}:${other.path}:secret`, { evidence: redact(entry.value) });
        }
        const u = SERVICE_SCHEME.test(entry.value) ? parseUrl(entry.value) : undefined;
        if (u && !localness(hostOf(u))) {
          const service = servicesElsewhere.get(`${u.protocol}//${hostOf(u)}:${u.port}${u.pathname}`);
          if (service !== undefined) {
            sink.add('env/shared-service-url', entry.valueRange, `${key} points at the same ${u.protocol.replace(/:$/, '')} instance (${hostOf(u)}) as ${service} in ${fileName(other.path)}`, `${key}:${other.path}:service`);
          }
        }
      }
    }
    findings.push(...sink.findings);
  }
  return findings;
}

/** A finding about a whole file (exposure, unreadable), located at its first line. */
export function fileFinding(ruleId: string, path: string, message: string, config: Pick<ScanConfig, 'rules'> | undefined, commit?: string): Finding | undefined {
  const sink = new FindingSink(path, config, undefined);
  const finding = sink.add(ruleId, WHOLE_FILE, message, commit ?? path, {}, commit);
  if (finding && commit) finding.fingerprint = fingerprint(ruleId, path, commit);
  return finding;
}
