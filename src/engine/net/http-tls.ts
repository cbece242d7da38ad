// TLS facts of one host, read by a handshake of our own through the same resolver and connect-to
// mapping as the HTTP client: the chain as served, whether it verifies against the system roots
// plus `--ca`, whether the name matches, dates, key, SANs and protocol. The handshake accepts any
// certificate so that a broken one can be described rather than only refused.
import { X509Certificate } from 'node:crypto';
import * as http from 'node:http';
import * as tls from 'node:tls';
import { isIP, type Socket } from 'node:net';
import type { DnsResolver } from './dns-types';
import { classify, trustedCas, type HttpFailureKind, type ProxySettings } from './http-client';
import { connectTarget, type ConnectTarget, type ConnectTo } from './http-connect';

export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  /** DNS names from subjectAltName (IP SANs as `IP:…`). */
  subjectAltNames: string[];
  keyType?: string;
  /** RSA modulus bits, or EC curve bits. */
  keyBits?: number;
  curve?: string;
  fingerprint256: string;
  selfSigned: boolean;
}

export interface TlsFacts {
  ok: true;
  host: string;
  port: number;
  protocol: string | null;
  /** The chain verifies to a trusted root (system roots plus extra CAs). */
  trusted: boolean;
  /** OpenSSL's reason when not trusted (CERT_HAS_EXPIRED, UNABLE_TO_GET_ISSUER_CERT_LOCALLY …). */
  trustError?: string;
  hostnameMatches: boolean;
  hostnameError?: string;
  /** Leaf first, as the server sent it. */
  chain: CertificateFacts[];
  target: ConnectTarget;
}

export interface TlsFailure {
  ok: false;
  host: string;
  port: number;
  kind: HttpFailureKind;
  message: string;
  code?: string;
  target?: ConnectTarget;
}

export interface TlsProbeOptions {
  resolver: DnsResolver;
  connectTo?: readonly ConnectTo[];
  extraCaPem?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Offer only these versions (the legacy-protocol probe offers TLSv1–TLSv1.1). */
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** When it applies to the host (NO_PROXY aside), the handshake goes through an HTTP CONNECT tunnel. */
  proxy?: ProxySettings;
}

/** NO_PROXY as curl reads it: `*`, or names (a leading dot or `*.` optional) matching the host and the names below it, with an optional port. */
export function bypassesProxy(host: string, port: number, noProxy: string | undefined): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  for (const raw of (noProxy ?? '').split(/[,\s]+/)) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const portMatch = /^(.*):([0-9]+)$/.exec(entry);
    if (portMatch && Number(portMatch[2]) !== port) continue;
    const suffix = (portMatch ? portMatch[1] : entry).replace(/^\*?\./, '');
    if (name === suffix || name.endsWith(`.${suffix}`)) return true;
  }
  return false;
}

/** A TCP stream to host:port through the proxy's CONNECT method. */
export function tunnel(proxy: ProxySettings, host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<Socket> {
  const proxyUrl = new URL(proxy.url);
  const headers: Record<string, string> = { host: `${host}:${port}` };
  if (proxyUrl.username) headers['proxy-authorization'] = `Basic ${Buffer.from(`${decodeURIComponent(proxyUrl.username)}:${decodeURIComponent(proxyUrl.password)}`).toString('base64')}`;
  return new Promise((resolve, reject) => {
    const request = http.request({ host: proxyUrl.hostname.replace(/^\[|\]$/g, ''), port: Number(proxyUrl.port) || 80, method: 'CONNECT', path: `${host}:${port}`, headers, timeout: timeoutMs, signal });
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200) resolve(socket);
      else {
        socket.destroy();
        reject(Object.assign(new Error(`the proxy answered CONNECT with ${response.statusCode}`), { code: 'EPROXY' }));
      }
    });
    request.once('timeout', () => request.destroy(Object.assign(new Error('the proxy did not answer CONNECT in time'), { code: 'ETIMEDOUT' })));
    request.once('error', reject);
    request.end();
  });
}

export type TlsOutcome = TlsFacts | TlsFailure;

export async function probeTls(host: string, port: number, options: TlsProbeOptions): Promise<TlsOutcome> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const viaProxy = options.proxy && !bypassesProxy(host, port, options.proxy.noProxy) ? options.proxy : undefined;
  let target: ConnectTarget;
  let socket: Socket | undefined;
  try {
    if (viaProxy) {
      // The proxy resolves the name; what we know is where the tunnel goes.
      socket = await tunnel(viaProxy, host, port, timeoutMs, options.signal);
      target = { address: host, port, resolved: [], via: `proxy ${new URL(viaProxy.url).host}` };
    } else {
      target = await connectTarget(options.resolver, options.connectTo ?? [], host, port, options.signal);
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    return { ok: false, host, port, ...classify(error, false, timeoutMs) };
  }
  const legacy = options.maxVersion === 'TLSv1' || options.maxVersion === 'TLSv1.1';
  return new Promise<TlsOutcome>((resolve, reject) => {
    const secure = tls.connect({
      socket,
      host: socket ? undefined : target.address,
      port: socket ? undefined : target.port,
      servername: isIP(host) ? undefined : host,
      ca: trustedCas(options.extraCaPem),
      rejectUnauthorized: false,
      // Node folds a name mismatch into `authorized`; the name is checked separately below so
      // "untrusted chain" and "wrong name" stay two findings.
      checkServerIdentity: () => undefined,
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
      // OpenSSL 3 refuses TLS 1.0/1.1 ciphers and SHA-1 signatures at its default level; the probe
      // must be able to offer them to learn whether the server still accepts them.
      ciphers: legacy ? 'DEFAULT:@SECLEVEL=0' : undefined,
      ALPNProtocols: ['http/1.1'],
    });
    let settled = false;
    const finish = (outcome: TlsOutcome | { reject: unknown }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      secure.destroy();
      if ('reject' in outcome) reject(outcome.reject);
      else resolve(outcome);
    };
    const onAbort = (): void => finish({ reject: options.signal?.reason });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish({ ok: false, host, port, kind: 'timeout', message: `no TLS handshake within ${timeoutMs} ms`, code: 'TIMEOUT', target }), timeoutMs);
    secure.once('secureConnect', () => {
      const peer = secure.getPeerCertificate(true);
      const chain = peerChain(peer);
      const identityError = isIP(host) ? undefined : tls.checkServerIdentity(host, peer);
      finish({
        ok: true,
        host,
        port,
        protocol: secure.getProtocol(),
        trusted: secure.authorized,
        trustError: secure.authorized ? undefined : String(secure.authorizationError ?? 'unknown'),
        hostnameMatches: identityError === undefined,
        hostnameError: identityError?.message,
        chain,
        target,
      });
    });
    secure.once('error', (error) => finish({ ok: false, host, port, ...classify(error, false, timeoutMs), target }));
  });
}

function peerChain(leaf: tls.DetailedPeerCertificate): CertificateFacts[] {
  const chain: CertificateFacts[] = [];
  const seen = new Set<string>();
  let current: tls.DetailedPeerCertificate | undefined = leaf;
  while (current && current.raw && !seen.has(current.fingerprint256) && chain.length < 10) {
    seen.add(current.fingerprint256);
    chain.push(describe(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

export function describe(raw: Buffer): CertificateFacts {
  const certificate = new X509Certificate(raw);
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const curve = details.namedCurve;
  const curveBits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    issuer: certificate.issuer.replace(/\n/g, ', '),
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
    subjectAltNames: (certificate.subjectAltName ?? '')
      .split(/,\s*/)
      .filter((entry) => entry !== '')
      .map((entry) => (entry.startsWith('DNS:') ? entry.slice(4) : entry.replace(/^IP Address:/, 'IP:'))),
    keyType: key.asymmetricKeyType,
    keyBits: details.modulusLength ?? (curve ? curveBits[curve] : undefined),
    curve,
    fingerprint256: certificate.fingerprint256,
    selfSigned: certificate.subject === certificate.issuer && certificate.verify(key),
  };
}
