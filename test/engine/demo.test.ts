// `npm start` end to end: the demo process starts its loopback world, audits the demo workspace
// through the real CLI, writes the runbook and handover, and exits by itself. Its output is read
// the way a user reads it: findings in several stages, and no planted secret value anywhere.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isStageLevelFinding, stageStatusOf, type Report, type StageStatus } from '../../src/engine/audit';
import { STAGES, type Severity } from '../../src/engine/model';
import { readinessItemsFor } from '../../src/engine/readiness/catalog';
import { demoSecrets } from '../demo/run';
import { ensureCliBuilt, removeDir, REPO_ROOT, tempDir } from '../support/cli';

const DEMO = join(REPO_ROOT, 'out', 'test', 'demo', 'run.js');

interface DemoRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runDemo(out: string, onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    const child = spawn(process.execPath, [DEMO, '--out', out], { cwd: out, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onStdout?.(stdout, child);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('npm start (the demo)', function () {
  this.timeout(90_000);
  const secrets = Object.entries(demoSecrets());
  let out: string;
  let run: DemoRun;

  before(async () => {
    ensureCliBuilt();
    out = tempDir('demo');
    run = await runDemo(out);
  });
  after(() => removeDir(out));

  const assertNoSecret = (text: string, where: string) => {
    for (const [kind, value] of secrets) assert.ok(!text.includes(value), `the ${kind} fake secret leaked into ${where}`);
  };

  it('exits 0 by itself and says where the output is', () => {
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /the simulated servers are stopped\. Output in /);
    assert.match(run.stdout, /\$ launch-ready audit \S+demo-workspace \\\n +--dns 127\.0\.0\.1:\d+ \\\n +--connect-to acme-invoices\.com:443:127\.0\.0\.1:\d+ \\\n/);
  });

  it('prints a report with findings in DNS, edge, email, secrets and performance', () => {
    const report = run.stdout;
    assert.match(report, /^Launch readiness: Acme Invoices \(launch\)/m);
    for (const stage of ['Audit', 'DNS and redirects', 'Email', 'Secrets and env', 'Performance and caching']) {
      assert.match(report, new RegExp(`^ {2}${stage} +FAIL`, 'm'), stage);
    }
    // The public staging host is found by the HTTPS checks but answers A7: it fails Audit, not Edge,
    // whose own items only warn (a certificate close to expiry, weak HSTS, no CSP).
    assert.match(report, /^ {2}Edge and SSL +warn +5 medium; E1 warn, E3 warn, E5 warn, E6 pass$/m);
    // One planted mistake per area, each found by its rule.
    for (const rule of [
      'dns/dangling-cname',
      'dns/private-host-public',
      'web/redirect-temporary',
      'web/cert-expires-soon',
      'web/hsts-weak',
      'web/header-csp-missing',
      'web/private-host-exposed',
      'web/latency-over-budget',
      'email/spf-lookup-limit',
      'email/dmarc-policy-none',
      'email/dkim-weak-key',
      'secret/stripe-secret-key',
      'secret/aws-access-key-id',
      'env/not-ignored',
    ]) {
      assert.match(report, new RegExp(`${rule.replace('/', '\\/')}$`, 'm'), rule);
    }
    assert.match(report, /\[accepted by Maya until 2027-03-01\]/);
    assert.ok(!/launch\/[a-z-]+$/m.test(report), 'the demo launch.yaml is valid');
    assert.ok(!/could-not-verify/.test(report), 'every lookup was answered by the loopback DNS server');
    const unreachable = report.split('\n').filter((line) => line.endsWith('web/unreachable'));
    assert.ok(unreachable.every((line) => line.includes('help.acme-invoices.com')), `only the dangling host is unreachable:\n${unreachable.join('\n')}`);
    assert.equal(readFileSync(join(out, 'audit.txt'), 'utf8').trim(), report.slice(report.indexOf('Launch readiness:'), report.indexOf('\n$ launch-ready docs')).trim());
  });

  it('prints every stage with the status the editor\'s tree gives it, and lists under it exactly the findings it counts', () => {
    const report = JSON.parse(readFileSync(join(out, 'demo-workspace', '.launch-ready', 'last-audit.json'), 'utf8')) as Report;
    const text = readFileSync(join(out, 'audit.txt'), 'utf8');
    const label: Record<StageStatus, string> = { pass: 'pass', warn: 'warn', fail: 'FAIL', 'not-checked': 'not checked' };
    const statuses = new Set<string>();
    for (const stage of STAGES) {
      const entry = report.stages[stage];
      // As the tree decides it (readiness-tree.ts): each catalogue item's state from the saved
      // report, plus the open findings filed under the stage that bear on no item.
      const items = readinessItemsFor(stage).map((item) => entry.items.find((candidate) => candidate.id === item.id)?.status ?? 'not-checked');
      const stageLevel = report.findings.filter((finding) => finding.stage === stage && !finding.accepted && isStageLevelFinding(finding));
      const tree = stageStatusOf(items, stageLevel.map((finding) => finding.severity));
      statuses.add(tree);
      assert.equal(entry.status, tree, `${stage} in the JSON report`);
      assert.match(text, new RegExp(`^ {2}${entry.title} +${label[tree]}(?: |$)`, 'm'), `${stage} in the printed report`);
      // The stage's section lists the open findings its line counts, no more and no fewer.
      const section = text.split(`\n${entry.title}\n`)[1]?.split('\n\n')[0] ?? '';
      const listed: Record<Severity, number> = { blocker: 0, high: 0, medium: 0, low: 0 };
      for (const line of section.split('\n')) {
        const match = /^ {2}(BLOCKER|HIGH|MEDIUM|LOW) /.exec(line);
        if (match && !line.includes('[accepted by')) listed[match[1].toLowerCase() as Severity] += 1;
      }
      assert.deepEqual(listed, entry.counts, `${stage}: findings listed under the stage`);
    }
    // The demo shows every kind of stage line, so the comparison covers each.
    assert.deepEqual([...statuses].sort(), ['fail', 'not-checked', 'pass', 'warn']);
  });

  it('writes RUNBOOK.md and HANDOVER.md from the audit', () => {
    const runbook = readFileSync(join(out, 'demo-workspace', 'RUNBOOK.md'), 'utf8');
    const handover = readFileSync(join(out, 'demo-workspace', 'HANDOVER.md'), 'utf8');
    assert.match(runbook, /^# Runbook: Acme Invoices/);
    assert.match(runbook, /heroku rollback --app acme-invoices/);
    assert.match(handover, /^# Handover: Acme Invoices/);
    assert.match(handover, /acme-help\.herokuapp\.com/);
    assert.ok(existsSync(join(out, 'demo-workspace', '.launch-ready', 'last-audit.json')));
  });

  it('never shows a planted secret value', () => {
    const workspace = join(out, 'demo-workspace');
    // The secrets really were planted, so their absence from the output means something.
    assert.ok(readFileSync(join(workspace, 'src', 'server.js'), 'utf8').includes(demoSecrets()['stripe-live']));
    assertNoSecret(run.stdout + run.stderr, 'the demo output');
    for (const file of ['RUNBOOK.md', 'HANDOVER.md', '.launch-ready/last-audit.json']) assertNoSecret(readFileSync(join(workspace, file), 'utf8'), file);
    assertNoSecret(readFileSync(join(out, 'audit.txt'), 'utf8'), 'audit.txt');
  });

  it('stops its servers and exits on Ctrl-C in the middle of the audit', async () => {
    const interrupted = tempDir('demo-interrupted');
    try {
      let sent = false;
      const result = await runDemo(interrupted, (stdout, child) => {
        if (!sent && stdout.includes('$ launch-ready audit')) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      assert.ok(sent, result.stdout);
      assert.equal(result.code, 130, result.stderr);
      assert.match(result.stderr, /SIGINT: stopping the demo and its servers/);
      assert.ok(!existsSync(join(interrupted, 'demo-workspace', 'RUNBOOK.md')), 'the docs step never ran');
    } finally {
      removeDir(interrupted);
    }
  });
});
