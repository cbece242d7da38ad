/*
 * `npm start`: the whole job on loopback, no internet needed. Starts the Acme Invoices world
 * (world.ts: DNS server, HTTP and HTTPS servers, a CA made now), materialises the demo workspace
 * with fake secrets generated now (the repository holds only `@@FAKE:…@@` markers), runs the real
 * CLI as a user would (`launch-ready audit`, then `launch-ready docs`), and stops everything it
 * started, also on Ctrl-C, on an error, or when a step overruns its time.
 *
 *   node out/test/demo/run.js [--out DIR]     (default: .launch-ready-output in the repository)
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { Fakes } from '../support/fakes';
import { startDemoWorld, type DemoWorld } from './world';

const REPO = resolve(__dirname, '..', '..', '..');
const TEMPLATE = join(REPO, 'test', 'fixtures', 'demo-workspace');
const CLI = join(REPO, 'dist', 'cli.js');

/** Each CLI step is killed after this long; the audit's own lookups and requests time out well before. */
const STEP_TIMEOUT_MS = 45_000;
/** Per DNS lookup and HTTP request: loopback answers in milliseconds, so a hang is a bug to surface fast. */
const REQUEST_TIMEOUT_MS = 3000;
/** The whole demo, servers included; past it the process exits whatever is still open. */
const DEMO_TIMEOUT_MS = 100_000;

/** The fake secrets planted in the workspace, generated now (seeded, so runs are comparable). */
export function demoSecrets(seed = 2026): Record<string, string> {
  const fakes = new Fakes(seed);
  return {
    'stripe-live': fakes.stripeKey('live'),
    'stripe-test': fakes.stripeKey('test'),
    github: fakes.githubToken(),
    sendgrid: `SG.${fakes.alnum(22)}.${fakes.alnum(43)}`,
    password: `${fakes.alnum(6)}!${fakes.alnum(5)}7`,
    'db-password': fakes.alnum(20),
    'aws-id': fakes.awsKeyId(),
    'aws-secret': fakes.awsSecret(),
  };
}

function fill(dir: string, values: Record<string, string>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      fill(path, values);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    const filled = text.replace(/@@FAKE:([a-z-]+)@@/g, (marker, kind: string) => values[kind] ?? marker);
    if (filled !== text) writeFileSync(path, filled);
  }
}

interface StepResult {
  code: number;
  stdout: string;
}

/** Runs the CLI, echoing its output; kills it when it overruns or the demo is stopped. */
function runCli(args: string[], cwd: string, signal: AbortSignal): Promise<StepResult> {
  return new Promise((resolveStep, reject) => {
    signal.throwIfAborted();
    // Output goes through a pipe (to keep audit.txt), so colour is asked for when a person watches.
    const color = process.stdout.isTTY && !process.env.NO_COLOR ? { FORCE_COLOR: '1' } : {};
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...color }, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    const stop = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`launch-ready ${args[0]} did not finish within ${STEP_TIMEOUT_MS / 1000} s and was stopped`));
    }, STEP_TIMEOUT_MS);
    signal.addEventListener('abort', stop, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      process.stdout.write(chunk);
    });
    child.on('error', (error) => {
      done();
      reject(error);
    });
    child.on('close', (code, killedBy) => {
      done();
      if (signal.aborted) reject(signal.reason);
      else resolveStep({ code: code ?? (killedBy ? 128 : 1), stdout: stripVTControlCharacters(Buffer.concat(chunks).toString('utf8')) });
    });
  });
}

/** What a person would type, shown before each step (ports and paths are this run's), one option a line. */
function shellLine(args: string[]): string {
  const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);
  const words: string[] = ['launch-ready'];
  for (const arg of args.map(quote)) {
    if (arg.startsWith('--') || words.length < 3) words.push(arg);
    else words[words.length - 1] += ` ${arg}`;
  }
  return words.length <= 3 ? words.join(' ') : `${words.slice(0, 3).join(' ')} \\\n    ${words.slice(3).join(' \\\n    ')}`;
}

export interface DemoResult {
  /** 0 when the demo ran through (the audit finding problems is the point, not a failure). */
  exitCode: number;
  output: string;
}

export async function runDemo(outputDir: string, signal: AbortSignal = new AbortController().signal): Promise<DemoResult> {
  const output = resolve(outputDir);
  const workspace = join(output, 'demo-workspace');
  const worldDir = join(output, 'world');
  const shown = (path: string) => {
    const near = relative(process.cwd(), path);
    return near === '' ? '.' : near.startsWith('..') ? path : near;
  };
  const say = (text: string) => process.stdout.write(text);

  rmSync(workspace, { recursive: true, force: true });
  rmSync(worldDir, { recursive: true, force: true });
  mkdirSync(worldDir, { recursive: true });
  cpSync(TEMPLATE, workspace, { recursive: true });
  fill(workspace, demoSecrets());

  const started = Date.now();
  let world: DemoWorld | undefined;
  try {
    world = await startDemoWorld();
    signal.throwIfAborted();
    const caFile = join(worldDir, 'ca.pem');
    writeFileSync(caFile, world.caPem);
    writeFileSync(join(worldDir, 'zones.txt'), world.zones);
    say(
      `Launch Ready demo: auditing "Acme Invoices" against a simulated internet on this machine.\n` +
        `  DNS server   ${world.dns.server} (zones in ${shown(join(worldDir, 'zones.txt'))})\n` +
        `  HTTPS/HTTP   127.0.0.1:${world.web.httpsPort} / 127.0.0.1:${world.web.httpPort}, certificates from a CA made just now (${shown(caFile)})\n` +
        `  Workspace    ${shown(workspace)} (launch.yaml, env files, source with fake secrets)\n\n`,
    );

    const auditArgs = [
      'audit',
      workspace,
      '--dns',
      world.dns.server,
      ...world.connectTo.flatMap((entry) => ['--connect-to', entry]),
      '--ca',
      caFile,
      '--timeout',
      String(REQUEST_TIMEOUT_MS),
      '--no-git',
      '--fail-on',
      'none',
    ];
    say(`$ ${shellLine(auditArgs)}\n\n`);
    const audit = await runCli(auditArgs, output, signal);
    writeFileSync(join(output, 'audit.txt'), audit.stdout);
    if (audit.code !== 0) throw new Error(`launch-ready audit exited with ${audit.code}`);

    const docsArgs = ['docs', workspace];
    say(`\n$ ${shellLine(docsArgs)}\n`);
    const docs = await runCli(docsArgs, output, signal);
    if (docs.code !== 0) throw new Error(`launch-ready docs exited with ${docs.code}`);

    say(
      `\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s; the simulated servers are stopped. Output in ${shown(output)}/:\n` +
        `  audit.txt                                the report above\n` +
        `  demo-workspace/RUNBOOK.md                how to release, roll back and answer alerts\n` +
        `  demo-workspace/HANDOVER.md               owners, environments, what is still open\n` +
        `  demo-workspace/.launch-ready/last-audit.json  the report as JSON (what the editor shows)\n` +
        `  demo-workspace/launch.yaml               the launch description the checks read\n` +
        `  world/zones.txt, world/ca.pem            the simulated DNS zones and the CA the audit trusted\n`,
    );
    return { exitCode: 0, output };
  } finally {
    await world?.close();
  }
}

function parseOut(args: string[]): string {
  const index = args.indexOf('--out');
  if (index >= 0 && args[index + 1]) return args[index + 1];
  return join(REPO, '.launch-ready-output');
}

if (require.main === module) {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${signal}: stopping the demo and its servers…\n`);
    process.exitCode = 130;
    controller.abort(new Error(`stopped by ${signal}`));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  runDemo(parseOut(process.argv.slice(2)), controller.signal).then(
    (result) => {
      if (!controller.signal.aborted) process.exitCode = result.exitCode;
    },
    (error: unknown) => {
      if (controller.signal.aborted) return;
      process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
  // unref: it never keeps the process alive, but fires if something else does past the limit.
  setTimeout(() => {
    process.stderr.write(`demo: still running after ${DEMO_TIMEOUT_MS / 1000} s, exiting\n`);
    process.exit(1);
  }, DEMO_TIMEOUT_MS).unref();
}
