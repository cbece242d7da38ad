import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Fakes } from '../support/fakes';

// `npm start`: materialises the demo workspace with fake secrets generated now (the repository
// holds only `@@FAKE:…@@` markers), then runs the real CLI over it as a user would.

const repo = resolve(__dirname, '..', '..', '..');
const template = join(repo, 'test', 'fixtures', 'demo-workspace');
const output = join(repo, '.launch-ready-output');
const workspace = join(output, 'demo-workspace');

const fakes = new Fakes(2026);
const values: Record<string, string> = {
  'stripe-live': fakes.stripeKey('live'),
  'stripe-test': fakes.stripeKey('test'),
  github: fakes.githubToken(),
  sendgrid: `SG.${fakes.alnum(22)}.${fakes.alnum(43)}`,
  password: `${fakes.alnum(6)}!${fakes.alnum(5)}7`,
  'db-password': fakes.alnum(20),
  'aws-id': fakes.awsKeyId(),
  'aws-secret': fakes.awsSecret(),
};

function fill(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      fill(path);
      continue;
    }
    const text = readFileSync(path, 'utf8');
    const filled = text.replace(/@@FAKE:([a-z-]+)@@/g, (marker, kind: string) => values[kind] ?? marker);
    if (filled !== text) writeFileSync(path, filled);
  }
}

rmSync(workspace, { recursive: true, force: true });
mkdirSync(output, { recursive: true });
cpSync(template, workspace, { recursive: true });
fill(workspace);

process.stdout.write(`Demo workspace: ${workspace}\n\n$ launch-ready scan\n`);
const result = spawnSync(process.execPath, [join(repo, 'dist', 'cli.js'), 'scan', workspace, '--fail-on', 'none'], {
  stdio: 'inherit',
});
process.exitCode = result.status ?? 1;
