import { parseArgs } from 'node:util';
import { isIP } from 'node:net';
import { checkHost } from '../engine/email/spf/check-host';
import { createResolver, parseResolverSpec } from '../engine/net/dns-resolver';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type Output } from './io';

export const SPF_HELP = `Usage: launch-ready spf <domain> --ip <addr> [options]

Evaluates SPF for one connection exactly as a receiving mail server would (RFC 7208 check_host(),
macros and exp= explanations included) and prints the result.

Options:
  --ip ADDR          The sending server's IPv4 or IPv6 address (required)
  --sender ADDR      MAIL FROM address (default: postmaster@<domain>); used by macros
  --helo NAME        HELO/EHLO name; used by the %{h} macro
  --dns SPEC         Resolver: system (default), host:port[,host:port…] or an https:// DoH URL
  --format FORMAT    text (default) or json: {result, explanation, mechanism, lookups, …}
  -h, --help         This help

Exit codes: 0 pass, 1 any other result (fail, softfail, neutral, none, permerror, temperror),
2 usage error.
`;

export async function runSpf(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ip: { type: 'string' },
      sender: { type: 'string' },
      helo: { type: 'string' },
      dns: { type: 'string' },
      format: { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(SPF_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('give exactly one domain');
  const domain = positionals[0];
  if (!values.ip || isIP(values.ip) === 0) throw new UsageError(`--ip must be an IPv4 or IPv6 address${values.ip ? ` (got "${values.ip}")` : ''}`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json (got "${format}")`);
  let resolver;
  try {
    resolver = createResolver(parseResolverSpec(values.dns ?? 'system'));
  } catch (error) {
    throw new UsageError(`--dns: ${(error as Error).message}`);
  }
  const outcome = await checkHost(resolver, { ip: values.ip, domain, sender: values.sender || `postmaster@${domain}`, helo: values.helo ?? '' });
  if (format === 'json') {
    io.out(
      JSON.stringify(
        {
          domain,
          ip: values.ip,
          result: outcome.result,
          explanation: outcome.explanation ?? null,
          mechanism: outcome.mechanism ?? null,
          decidedBy: outcome.domain,
          lookups: outcome.lookups,
          voidLookups: outcome.voidLookups,
          reason: outcome.reason ?? null,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    const detail = outcome.mechanism ? `matched ${outcome.mechanism} in ${outcome.domain}` : (outcome.reason ?? '');
    io.out(`${outcome.result}${detail ? `: ${detail}` : ''} (${outcome.lookups} DNS-querying term${outcome.lookups === 1 ? '' : 's'})\n`);
    if (outcome.explanation) io.out(`explanation: ${outcome.explanation}\n`);
  }
  return outcome.result === 'pass' ? EXIT_OK : EXIT_FINDINGS;
}
