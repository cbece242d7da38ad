// The one HTTP client of the live checks, on undici. It never follows redirects (the checks walk
// chains hop by hop), resolves names through the audit's resolver and `--connect-to` entries,
// bounds every request in time and every body in bytes (a 10 GB body is cut after the cap, not
// read), and refuses hosts launch.yaml does not name before a single byte is sent.
import { rootCertificates } from 'node:tls';
import { isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import type { DnsResolver } from './dns-types';
import { connectTarget, ResolveError, type ConnectTarget, type ConnectTo } from './http-connect';
import { bypassesProxy, tunnel } from './http-tls';

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export interface ProxySettings {
  /** `http://proxy:3128`; used for both http and https URLs. */
  url: string;
  /** NO_PROXY syntax: comma-separated hosts, `.suffix`, `*`, optional ports. */
  noProxy?: string;
}

export interface HttpClientOptions {
  resolver: DnsResolver;
  connectTo?: readonly ConnectTo[];
  /** PEM text of extra CA certificates trusted on top of the system roots (`--ca`). */
  extraCaPem?: string;
  /** Connect + headers + body of one request, in milliseconds. */
  timeoutMs?: number;
  maxBodyBytes?: number;
  /** Only these hosts (lower-case ASCII) are contacted; everything else is refused unsent. */
  allowedHosts?: Iterable<string>;
  proxy?: ProxySettings;
  /** Cancels every request of the client. */
  signal?: AbortSignal;
  userAgent?: string;
}

export type HttpFailureKind = 'dns' | 'refused' | 'reset' | 'timeout' | 'tls' | 'not-allowed' | 'invalid-url' | 'protocol' | 'error';

export interface HttpResponse {
  ok: true;
  url: string;
  status: number;
  /** Lower-case names; every value the server sent, in order. */
  headers: Record<string, string[]>;
  body: Buffer;
  /** The body was longer than the cap and was cut off unread. */
  bodyTruncated: boolean;
  /** Time to the response headers, in milliseconds. */
  headersMs: number;
  elapsedMs: number;
  target?: ConnectTarget;
}

export interface HttpFailure {
  ok: false;
  url: string;
  kind: HttpFailureKind;
  message: string;
  /** The underlying error code (ECONNREFUSED, CERT_HAS_EXPIRED, UND_ERR_SOCKET …). */
  code?: string;
  elapsedMs: number;
  target?: ConnectTarget;
}

export type HttpOutcome = HttpResponse | HttpFailure;

export interface HttpRequestOptions {
  method?: 'GET' | 'HEAD' | 'OPTIONS';
  headers?: Record<string, string>;
  signal?: AbortSignal;
  maxBodyBytes?: number;
}

export interface HttpClient {
  request(url: string, options?: HttpRequestOptions): Promise<HttpOutcome>;
  isAllowed(host: string): boolean;
  /** How the client reaches the internet, for findings: `direct` or the proxy URL without credentials. */
  readonly route: string;
  close(): Promise<void>;
}

/** The proxy the CLI should use, from HTTPS_PROXY/HTTP_PROXY/NO_PROXY (either case), if any. */
export function proxyFromEnvironment(env: NodeJS.ProcessEnv): ProxySettings | undefined {
  const url = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  if (!url) return undefined;
  return { url, noProxy: env.NO_PROXY ?? env.no_proxy };
}

export function trustedCas(extraCaPem: string | undefined): string[] | undefined {
  if (!extraCaPem) return undefined;
  return [...rootCertificates, extraCaPem];
}

/** The dispatcher for the settings: a direct agent through our resolver, or undici's proxy agent. */
export function selectDispatcher(options: HttpClientOptions, onTarget: (key: string, target: ConnectTarget) => void): Dispatcher {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const ca = trustedCas(options.extraCaPem);
  const inner = buildConnector({ ca, timeout: timeoutMs, maxCachedSessions: 0 });
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
    const hostname = connectOptions.hostname.replace(/^\[|\]$/g, '');
    connectTarget(options.resolver, options.connectTo ?? [], hostname, port, options.signal).then(
      (target) => {
        onTarget(`${hostname}:${port}`, target);
        // The name stays the TLS server name, so SNI and the certificate check are about the host, not the address.
        inner({ ...connectOptions, hostname: target.address, port: String(target.port), servername: isIP(hostname) ? undefined : hostname }, callback);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  };
  const agentOptions = { connect, keepAliveTimeout: 1000, connections: 4 };
  const proxy = options.proxy;
  if (proxy) {
    // The tunnel is ours rather than undici's ProxyAgent: a proxy that accepts CONNECT and then
    // drops the tunnel made ProxyAgent reconnect in a tight loop that no deadline stopped. Here a
    // dropped tunnel fails the connection, so the request fails within its timeout. Through the
    // proxy the proxy resolves names; the NO_PROXY hosts keep our own resolver and --connect-to.
    const viaProxy: buildConnector.connector = (connectOptions, callback) => {
      const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
      const hostname = connectOptions.hostname.replace(/^\[|\]$/g, '');
      if (bypassesProxy(hostname, port, proxy.noProxy)) return connect(connectOptions, callback);
      tunnel(proxy, hostname, port, timeoutMs, options.signal).then(
        (socket) => {
          if (connectOptions.protocol !== 'https:') return callback(null, socket);
          inner({ ...connectOptions, httpSocket: socket, servername: isIP(hostname) ? undefined : hostname }, callback);
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
      );
    };
    return new Agent({ ...agentOptions, connect: viaProxy });
  }
  return new Agent(agentOptions);
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const allowed = options.allowedHosts ? new Set([...options.allowedHosts].map((host) => host.toLowerCase().replace(/\.$/, ''))) : undefined;
  const targets = new Map<string, ConnectTarget>();
  const dispatcher = selectDispatcher(options, (key, target) => targets.set(key, target));
  const isAllowed = (host: string): boolean => !allowed || allowed.has(host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, ''));

  return {
    isAllowed,
    route: options.proxy ? redactProxy(options.proxy.url) : 'direct',
    // After cancellation nothing in flight is worth waiting for.
    close: () => (options.signal?.aborted ? dispatcher.destroy() : dispatcher.close()),
    async request(url, requestOptions = {}) {
      const started = performance.now();
      const elapsed = (): number => Math.round((performance.now() - started) * 10) / 10;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return { ok: false, url, kind: 'invalid-url', message: `"${url}" is not a valid URL`, elapsedMs: 0 };
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        return { ok: false, url, kind: 'invalid-url', message: `${parsed.protocol} URLs are not checked`, elapsedMs: 0 };
      }
      const host = parsed.hostname.replace(/^\[|\]$/g, '');
      if (!isAllowed(host)) {
        return { ok: false, url, kind: 'not-allowed', message: `${host} is not named in launch.yaml, so nothing was sent to it`, elapsedMs: 0 };
      }
      const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(new TimeoutError(timeoutMs)), timeoutMs);
      const signals = [deadline.signal, options.signal, requestOptions.signal].filter((signal): signal is AbortSignal => signal !== undefined);
      const signal = AbortSignal.any(signals);
      const cap = requestOptions.maxBodyBytes ?? maxBodyBytes;
      try {
        const response = await dispatcher.request({
          origin: parsed.origin,
          path: `${parsed.pathname}${parsed.search}`,
          method: requestOptions.method ?? 'GET',
          headers: { 'user-agent': options.userAgent ?? 'launch-ready (readiness check)', accept: '*/*', ...requestOptions.headers },
          signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const headersMs = elapsed();
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        for await (const chunk of response.body) {
          const buffer = chunk as Buffer;
          const room = cap - size;
          if (buffer.length >= room) {
            if (room > 0) chunks.push(buffer.subarray(0, room));
            size = cap;
            truncated = buffer.length > room || !response.body.readableEnded;
            break;
          }
          chunks.push(buffer);
          size += buffer.length;
        }
        // Leaving the loop early must not leave the socket reading: a body past the cap is destroyed.
        if (truncated || !response.body.readableEnded) response.body.destroy();
        return {
          ok: true,
          url: parsed.href,
          status: response.statusCode,
          headers: normaliseHeaders(response.headers),
          body: Buffer.concat(chunks),
          bodyTruncated: truncated,
          headersMs,
          elapsedMs: elapsed(),
          target: targets.get(`${host}:${port}`),
        };
      } catch (error) {
        const external = [options.signal, requestOptions.signal].find((candidate) => candidate?.aborted);
        if (external) throw external.reason;
        return { ok: false, url: parsed.href, ...classify(error, deadline.signal.aborted, timeoutMs), elapsedMs: elapsed(), target: targets.get(`${host}:${port}`) };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

class TimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

function redactProxy(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return 'proxy';
  }
}

function normaliseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value : [value];
  }
  return out;
}

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH|ERR_OSSL)/;

/** Turns whatever undici or the socket threw into a precise kind and message. */
export function classify(error: unknown, timedOut: boolean, timeoutMs: number): { kind: HttpFailureKind; message: string; code?: string } {
  if (timedOut) return { kind: 'timeout', message: `no complete answer within ${timeoutMs} ms`, code: 'TIMEOUT' };
  const chain: (Error & { code?: string })[] = [];
  let current: unknown = error;
  while (current instanceof Error && chain.length < 5) {
    chain.push(current as Error & { code?: string });
    current = (current as { cause?: unknown }).cause;
  }
  const resolveError = chain.find((entry) => entry instanceof ResolveError) as ResolveError | undefined;
  if (resolveError) return { kind: 'dns', message: resolveError.message, code: resolveError.status };
  const coded = chain.find((entry) => typeof entry.code === 'string');
  const code = coded?.code;
  const message = (coded ?? chain[0])?.message ?? String(error);
  if (code === 'ECONNREFUSED') return { kind: 'refused', message: 'connection refused', code };
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return { kind: 'reset', message: `the connection was closed before the response was complete (${message})`, code };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return { kind: 'timeout', message: `no complete answer within ${timeoutMs} ms (${code})`, code };
  }
  if (code && TLS_CODES.test(code)) return { kind: 'tls', message: `TLS: ${message}`, code };
  if (code === 'HPE_INVALID_HEADER_TOKEN' || code?.startsWith('HPE_') || code === 'UND_ERR_INFO') return { kind: 'protocol', message: `malformed HTTP response (${message})`, code };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'dns', message, code };
  return { kind: 'error', message, code };
}
