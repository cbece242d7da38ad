/*
 * Real HTTP and HTTPS servers on loopback for the live web checks. One HTTPS server serves a
 * certificate per host name (SNICallback, wildcards allowed) and one HTTP server answers plain
 * requests; both hand every request to the test's `handle(request, response, scheme)`. Host names
 * are real names: the loopback DNS server's zones point them at 127.0.0.1, and `connectTo` sends
 * :443 and :80 to the ephemeral ports while the name stays the name (as `--connect-to` does).
 *
 *   const world = await startWebWorld({ certificates: { 'www.acme.test': cert }, handle });
 *   createHttpClient({ resolver, connectTo: world.connectTo, extraCaPem: ca.certPem });
 *
 * Fault helpers: `closedPort()` (connection refused), `startGarbageServer()` (TLS handshake
 * failure: answers a ClientHello with bytes that are not TLS), `startLegacyTlsServer()` (accepts
 * TLS 1.0/1.1). Per-host `extraConnectTo` entries go before the catch-all ones.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { ConnectTo } from '../../src/engine/net/http-connect';
import type { IssuedCertificate } from './ca';

export type Scheme = 'http' | 'https';
export type Handler = (request: http.IncomingMessage, response: http.ServerResponse, scheme: Scheme) => void;

export interface WebWorldOptions {
  /** Host name (or `*.suffix`) → certificate; the first is also served to unknown names. */
  certificates: Record<string, IssuedCertificate & { chainPem?: string }>;
  handle: Handler;
}

export interface RunningWebWorld {
  httpsPort: number;
  httpPort: number;
  /** Catch-all entries: :443 → httpsPort and :80 → httpPort, names resolved through DNS. */
  connectTo: ConnectTo[];
  /** Requests received, as `scheme://host/path`. */
  requests: string[];
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function closeServer(server: net.Server & { closeAllConnections?: () => void }): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

function contextFor(certificate: IssuedCertificate & { chainPem?: string }): tls.SecureContext {
  return tls.createSecureContext({ key: certificate.keyPem, cert: certificate.certPem + (certificate.chainPem ?? '') });
}

export async function startWebWorld(options: WebWorldOptions): Promise<RunningWebWorld> {
  const contexts = new Map(Object.entries(options.certificates).map(([name, certificate]) => [name, contextFor(certificate)]));
  const fallback = contexts.values().next().value as tls.SecureContext;
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  const pick = (servername: string): tls.SecureContext => {
    const exact = contexts.get(servername);
    if (exact) return exact;
    const wildcard = contexts.get(`*.${servername.split('.').slice(1).join('.')}`);
    return wildcard ?? fallback;
  };
  const wrap =
    (scheme: Scheme): http.RequestListener =>
    (request, response) => {
      requests.push(`${scheme}://${request.headers.host ?? ''}${request.url ?? ''}`);
      options.handle(request, response, scheme);
    };
  const secure = https.createServer({ SNICallback: (servername, callback) => callback(null, pick(servername)) }, wrap('https'));
  const plain = http.createServer(wrap('http'));
  for (const server of [secure, plain]) server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const httpsPort = await listen(secure);
  const httpPort = await listen(plain);
  return {
    httpsPort,
    httpPort,
    requests,
    connectTo: [
      { host: '', port: 443, address: '', toPort: httpsPort },
      { host: '', port: 80, address: '', toPort: httpPort },
    ],
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all([closeServer(secure), closeServer(plain)]);
    },
  };
}

/** A port nothing listens on: connecting is refused at once. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** Accepts TCP and answers with bytes that are not TLS, so every handshake fails. */
export async function startGarbageServer(): Promise<RunningServer> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end('this is not TLS\r\n\r\n'));
  });
  const port = await listen(server);
  return { port, close: () => closeServer(server) };
}

/** An HTTPS server that still accepts TLS 1.0 and 1.1 (as old origins do). */
export async function startLegacyTlsServer(certificate: IssuedCertificate & { chainPem?: string }, handle: http.RequestListener): Promise<RunningServer> {
  const server = https.createServer(
    { key: certificate.keyPem, cert: certificate.certPem + (certificate.chainPem ?? ''), minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' },
    handle,
  );
  const port = await listen(server);
  return { port, close: () => closeServer(server) };
}

export interface RunningProxy extends RunningServer {
  url: string;
  /** `host:port` of every CONNECT received. */
  connects: string[];
}

/** An HTTP CONNECT proxy that tunnels every request to one loopback port (it resolves nothing). */
export async function startConnectProxy(targetPort: number): Promise<RunningProxy> {
  const connects: string[] = [];
  const server = http.createServer((_request, response) => void response.writeHead(405).end());
  server.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(request.url ?? '');
    client.on('error', () => undefined);
    const upstream = net.connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
  });
  const port = await listen(server);
  return { port, url: `http://127.0.0.1:${port}`, connects, close: () => closeServer(server) };
}
