import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { AUDIT_RULES, auditToText, openFindings, runAudit, saveReport } from '../engine/audit';
import { ConfigError, loadConfig } from '../engine/config';
import { DNS_RULES } from '../engine/dns';
import { EMAIL_RULES } from '../engine/email';
import { ENV_RULES } from '../engine/env/rules';
import { LAUNCH_RULES } from '../engine/launch';
import { parseResolverSpec, type ResolverConfig } from '../engine/net/dns-resolver';
import { proxyFromEnvironment } from '../engine/net/http-client';
import { parseConnectTo, type ConnectTo } from '../engine/net/http-connect';
import { sarifRoot, toSarif } from '../engine/report/sarif';
import { SECRET_RULES } from '../engine/secrets/catalog';
import { WEB_RULES } from '../engine/web';
import { EXIT_OK, folderArgument, type Output, UsageError, writeUserFile } from './io';
import { exitCodeFor, parseFailOn, parseFormat } from './scan';
import { TOOL } from './tool';

export const AUDIT_HELP = `Usage: launch-ready audit [dir] [options]

Runs every check over the workspace: launch.yaml validation, secrets, env files, and, against what
launch.yaml declares, live DNS, email authentication and HTTPS. Prints readiness per stage, what to
fix first and every finding, and saves the report to .launch-ready/last-audit.json (the editor
shows it at startup). Values of secrets are never printed or stored.

Options:
  --dns SPEC            Resolver: system (default), host:port[,host:port…] or an https:// DoH URL
  --connect-to H:P:A:P  Send connections for host H port P to address A port P (repeatable; curl syntax),
                        to audit a server before DNS points at it
  --ca FILE             Trust the CA certificates in this PEM file too (staging or internal CAs)
  --offline             Skip DNS, email and HTTPS: they show as not checked
  --timeout MS          Per DNS lookup and per HTTP request (default 3000 for DNS, 10000 for HTTP)
  --format FORMAT       text (default), json (the report) or sarif
  --output FILE         Write the output to FILE instead of standard output
  --fail-on SEVERITY    Exit 1 when an open finding at or above it remains: blocker, high (default), medium,
                        low, none (findings covered by an accepted risk in launch.yaml do not count)
  --no-save             Do not write .launch-ready/last-audit.json
  --no-git              Decide "ignored" from .gitignore files instead of asking git
  --no-color            No colours (also: NO_COLOR=1)
  -h, --help            This help

Exit codes: 0 nothing open at or above --fail-on, 1 findings at or above it, 2 usage or configuration error.
`;

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const timeout = Number(value);
  if (!/^[0-9]+$/.test(value) || timeout < 1 || timeout > 600_000) throw new UsageError(`--timeout must be a whole number of milliseconds between 1 and 600000 (got "${value}")`);
  return timeout;
}

export async function runAuditCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      dns: { type: 'string' },
      'connect-to': { type: 'string', multiple: true },
      ca: { type: 'string' },
      offline: { type: 'boolean' },
      timeout: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      'no-save': { type: 'boolean' },
      'no-git': { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(AUDIT_HELP);
    return EXIT_OK;
  }
  const format = parseFormat(values.format);
  const failOn = parseFailOn(values['fail-on']);
  const timeoutMs = parseTimeout(values.timeout);
  const root = folderArgument(positionals, 'takes one folder (the workspace root)');

  let resolverConfig: ResolverConfig;
  try {
    resolverConfig = parseResolverSpec(values.dns ?? 'system', timeoutMs ? { timeoutMs } : {});
  } catch (error) {
    throw new UsageError(`--dns: ${(error as Error).message}`);
  }
  let connectTo: ConnectTo[];
  try {
    connectTo = (values['connect-to'] ?? []).map(parseConnectTo);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let extraCaPem: string | undefined;
  if (values.ca !== undefined) {
    try {
      extraCaPem = readFileSync(values.ca, 'utf8');
    } catch (error) {
      throw new UsageError(`--ca: cannot read ${values.ca} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!extraCaPem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca: ${values.ca} holds no PEM certificate`);
  }
  let config;
  try {
    config = loadConfig(root);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }

  const { report } = await runAudit({
    root,
    tool: TOOL,
    config,
    resolver: resolverConfig,
    offline: values.offline === true,
    connectTo,
    extraCaPem,
    timeoutMs,
    // A bundled undici does not read the proxy variables by itself: honour them deliberately.
    proxy: proxyFromEnvironment(process.env),
    useGit: !values['no-git'],
  });
  let savedTo: string | undefined;
  if (!values['no-save']) {
    try {
      const file = saveReport(root, report);
      savedTo = relative(process.cwd(), file) || file;
    } catch (error) {
      // A read-only checkout still gets its audit; only the saved copy is missing.
      io.err(`launch-ready audit: could not save the report (${(error as NodeJS.ErrnoException).code ?? 'error'})\n`);
    }
  }
  const open = openFindings(report);
  const text =
    format === 'json'
      ? JSON.stringify(report, null, 2) + '\n'
      : format === 'sarif'
        ? toSarif({
            tool: TOOL,
            findings: open,
            skipped: report.skipped,
            notes: report.notes,
            rules: [...LAUNCH_RULES, ...AUDIT_RULES, ...SECRET_RULES, ...ENV_RULES, ...DNS_RULES, ...EMAIL_RULES, ...WEB_RULES],
            ...sarifRoot(root),
          }) + '\n'
        : auditToText(report, { color: io.color && !values.output, savedTo });
  if (values.output) writeUserFile(values.output, text, writeFileSync);
  else io.out(text);
  return exitCodeFor(open, failOn);
}
