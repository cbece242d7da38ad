// The one resolver every live check goes through, built from what the user configured, plus the
// per-audit wrappers: a cache that also merges identical lookups in flight, and a concurrency bound.
import type { Dispatcher } from 'undici';
import type { DnsResolver, LookupOptions, LookupResult, RecordType } from './dns-types';
import { exchangeOverDoh, validateDohUrl } from './dns-doh';
import { lookupViaSystem } from './dns-system';
import { exchangeWithServers, parseServerAddress, type ExchangeTuning } from './dns-udp';
import { failure, toQueryName } from './dns-wire';

export const DEFAULT_TIMEOUT_MS = 3000;
export const DEFAULT_RETRIES = 2;

export interface ResolverTuning {
  /** The whole lookup, retries and TCP fallback included, ends with status `timeout` after this. */
  timeoutMs?: number;
  /** Extra attempts within timeoutMs (UDP retransmissions, or DoH retries after a failure). */
  retries?: number;
}

export type ResolverConfig =
  | ({ kind: 'system' } & ResolverTuning)
  | ({ kind: 'servers'; servers: string[] } & ResolverTuning)
  | ({ kind: 'doh'; url: string; dispatcher?: Dispatcher } & ResolverTuning);

/**
 * Reads a `--dns` value: `system`, an `https://` (or `http://`) DoH URL, or comma-separated
 * servers such as `127.0.0.1:5353,[::1]:53`. Throws with a message fit for a usage error.
 */
export function parseResolverSpec(spec: string, tuning: ResolverTuning = {}): ResolverConfig {
  const trimmed = spec.trim();
  if (trimmed === '' || trimmed === 'system') return { kind: 'system', ...tuning };
  if (/^https?:\/\//i.test(trimmed)) {
    validateDohUrl(trimmed);
    return { kind: 'doh', url: trimmed, ...tuning };
  }
  const servers = trimmed.split(',').map((part) => part.trim()).filter((part) => part !== '');
  for (const server of servers) parseServerAddress(server);
  return { kind: 'servers', servers, ...tuning };
}

/** Throws on a malformed configuration (bad server address or URL), before any lookup is made. */
export function createResolver(config: ResolverConfig): DnsResolver {
  const tuning: ExchangeTuning = {
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: config.retries ?? DEFAULT_RETRIES,
  };
  if (!(tuning.timeoutMs > 0) || !Number.isInteger(tuning.retries) || tuning.retries < 0) {
    throw new Error('DNS timeout must be positive and retries a whole number');
  }
  let exchange: (name: string, type: RecordType, signal?: AbortSignal) => Promise<LookupResult>;
  switch (config.kind) {
    case 'system':
      exchange = (name, type, signal) => lookupViaSystem(name, type, tuning, signal);
      break;
    case 'servers': {
      if (config.servers.length === 0) throw new Error('no DNS servers configured');
      const servers = config.servers.map(parseServerAddress);
      exchange = (name, type, signal) => exchangeWithServers(servers, name, type, tuning, signal);
      break;
    }
    case 'doh': {
      const url = validateDohUrl(config.url);
      exchange = (name, type, signal) => exchangeOverDoh(url, name, type, tuning, config.dispatcher, signal);
      break;
    }
  }
  return {
    async lookup(name, type, options) {
      const queryName = toQueryName(name);
      if ('error' in queryName) return failure(name, type, 'error', `cannot look up "${name}": ${queryName.error}`);
      try {
        return await exchange(queryName.name, type, options?.signal);
      } catch (error) {
        // Only cancellation rejects; anything else the transport throws becomes a result, not a crash.
        if (options?.signal?.aborted) throw error;
        return failure(queryName.name, type, 'error', `lookup failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

interface CacheEntry {
  promise: Promise<LookupResult>;
  controller: AbortController;
  waiters: number;
  settled: boolean;
}

export interface CachingResolver extends DnsResolver {
  /** Distinct lookups held (finished or in flight). */
  readonly size: number;
}

/**
 * Remembers every answer for the life of one audit, so the same record reads the same everywhere in
 * the report, and merges identical lookups that are still in flight. Timeouts and failures are
 * remembered too: asking again within one audit would only add waiting. A lookup is cancelled only
 * when every caller waiting for it has aborted; aborted lookups are not remembered.
 */
export function cachingResolver(inner: DnsResolver): CachingResolver {
  const entries = new Map<string, CacheEntry>();
  return {
    get size() {
      return entries.size;
    },
    lookup(name, type, options?: LookupOptions) {
      const signal = options?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      const queryName = toQueryName(name);
      if ('error' in queryName) return inner.lookup(name, type, options);
      const key = `${queryName.name} ${type}`;
      let entry = entries.get(key);
      if (!entry) {
        const controller = new AbortController();
        const created: CacheEntry = { controller, waiters: 0, settled: false, promise: inner.lookup(name, type, { signal: controller.signal }) };
        created.promise.then(
          () => {
            created.settled = true;
          },
          () => {
            created.settled = true;
            if (entries.get(key) === created) entries.delete(key);
          },
        );
        entries.set(key, created);
        entry = created;
      }
      const shared = entry;
      // A caller without a signal can never let go, so its lookup is never cancelled for it.
      shared.waiters++;
      if (!signal) return shared.promise;
      return new Promise<LookupResult>((resolve, reject) => {
        const onAbort = (): void => {
          shared.waiters--;
          if (shared.waiters === 0 && !shared.settled) {
            if (entries.get(key) === shared) entries.delete(key);
            shared.controller.abort(signal.reason);
          }
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        shared.promise.then(
          (result) => {
            signal.removeEventListener('abort', onAbort);
            resolve(result);
          },
          (error: unknown) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
          },
        );
      });
    },
  };
}

/** At most `limit` lookups of `inner` run at once; the rest wait in order. A waiting lookup can be aborted. */
export function limitConcurrency(inner: DnsResolver, limit: number): DnsResolver {
  if (!Number.isInteger(limit) || limit < 1) throw new Error('concurrency limit must be a positive whole number');
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    active--;
    const next = waiting.shift();
    if (next) next();
  };
  return {
    lookup(name, type, options) {
      const signal = options?.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<LookupResult>((resolve, reject) => {
        const start = (): void => {
          signal?.removeEventListener('abort', onAbort);
          active++;
          // A resolver that throws instead of rejecting must still give its slot back.
          Promise.resolve()
            .then(() => inner.lookup(name, type, options))
            .then(resolve, reject)
            .finally(release);
        };
        const onAbort = (): void => {
          const index = waiting.indexOf(start);
          if (index >= 0) waiting.splice(index, 1);
          reject(signal?.reason);
        };
        if (active < limit) {
          start();
          return;
        }
        waiting.push(start);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/** What an audit uses: one cache in front of a bounded pool of lookups through the configured resolver. */
export function createAuditResolver(config: ResolverConfig, concurrency = 8): CachingResolver {
  return cachingResolver(limitConcurrency(createResolver(config), concurrency));
}
