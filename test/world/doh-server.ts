// A DNS-over-HTTPS endpoint (RFC 8484) on loopback that answers from a running test DNS server's
// zones and faults. Plain HTTP by default (the client code path is the same and tests need no
// certificates); pass `tls: { key, cert }` for https.
//   const doh = await startDohServer(dns);   // POST and GET on doh.url (http://127.0.0.1:PORT/dns-query)
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { RunningDnsServer } from './dns-server';

export interface RunningDohServer {
  url: string;
  /** HTTP requests received, including ones that were not valid DoH. */
  requests: number;
  close(): Promise<void>;
}

const MAX_BODY = 65535;

export interface DohServerOptions {
  path?: string;
  tls?: { key: string; cert: string };
}

export async function startDohServer(dns: RunningDnsServer, options: DohServerOptions = {}): Promise<RunningDohServer> {
  const path = options.path ?? '/dns-query';
  const state: RunningDohServer = {
    url: '',
    requests: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const handler: http.RequestListener = (request, response) => {
    state.requests++;
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      response.writeHead(404).end();
      return;
    }
    const reply = (message: Buffer | null): void => {
      // A dropped query stays unanswered, like a resolver that never replies.
      if (!message) return;
      response.writeHead(200, { 'content-type': 'application/dns-message', 'content-length': message.length }).end(message);
    };
    if (request.method === 'GET') {
      const encoded = url.searchParams.get('dns');
      if (!encoded) {
        response.writeHead(400).end();
        return;
      }
      void dns.handleMessage(Buffer.from(encoded, 'base64url'), 'doh').then(reply);
      return;
    }
    if (request.method !== 'POST' || request.headers['content-type'] !== 'application/dns-message') {
      response.writeHead(415).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => void dns.handleMessage(Buffer.concat(chunks), 'doh').then(reply));
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return state;
}
