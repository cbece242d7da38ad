// Serves zone files on loopback for demos and manual runs, until interrupted:
//   node out/test/world/serve-dns.js [--port 5353] world.zone [more.zone…]
//   launch-ready audit . --dns 127.0.0.1:5353
// Each received query is printed, so a demo shows what the audit asked.
import { readFileSync } from 'node:fs';
import { parseZoneFile, startDnsServer, type ZoneSpec } from './dns-server';

async function main(args: string[]): Promise<void> {
  let port = 0;
  const files: string[] = [];
  for (let index = 0; index < args.length; index++) {
    if (args[index] === '--port') port = Number(args[++index]);
    else files.push(args[index]);
  }
  if (files.length === 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('usage: serve-dns [--port N] ZONEFILE…\n');
    process.exitCode = 2;
    return;
  }
  const zones: ZoneSpec[] = files.flatMap((file) => parseZoneFile(readFileSync(file, 'utf8')));
  const server = await startDnsServer(zones, {
    port,
    onQuery: (query) => process.stdout.write(`${query.transport} ${query.type} ${query.name}\n`),
  });
  process.stdout.write(`DNS server on ${server.server} (UDP and TCP), zones: ${zones.map((zone) => zone.origin).join(', ')}\n`);
  process.once('SIGINT', () => void server.close());
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
