import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  auditFromReport,
  GENERATED_AT_LINE,
  generateHandover,
  generateRunbook,
  loadDocsInput,
  mergeKeptBlocks,
  readLastAudit,
  writeDocs,
  type DocsAudit,
  type DocsInput,
} from '../../src/engine/docs';
import { buildReport, type Report } from '../../src/engine/audit/report';
import { code, table, text } from '../../src/engine/docs/markdown';
import { parseLaunchYaml } from '../../src/engine/launch';
import type { Finding } from '../../src/engine/model';
import { scanText } from '../../src/engine/secrets/scan';
import { ensureCliBuilt, REPO_ROOT, removeDir, runCli, tempDir, writeFiles } from '../support/cli';
import { cat, Fakes } from '../support/fakes';

// RUNBOOK.md and HANDOVER.md: golden files for a complete workspace, a structural markdown check
// on every generated document, "not checked" without an audit, kept hand-written blocks, links to
// launch.yaml lines, and no secret value in any section however many are planted.

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'docs', 'workspace');
const GOLDEN = join(REPO_ROOT, 'test', 'fixtures', 'docs', 'golden');
const PINNED = '2026-11-25T10:00:00.000Z';

function normalise(markdown: string): string {
  return markdown.replace(GENERATED_AT_LINE, '<!-- generated-at: (normalised) -->');
}

function fixtureInput(overrides: Partial<DocsInput> = {}): DocsInput {
  return { ...loadDocsInput(FIXTURE, { generatedAt: PINNED }), ...overrides };
}

/** Splits a GFM table row on unescaped pipes (a `\|` stays inside its cell). */
function cellsOf(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\' && i + 1 < inner.length) {
      current += inner[i] + inner[i + 1];
      i++;
    } else if (inner[i] === '|') {
      cells.push(current);
      current = '';
    } else {
      current += inner[i];
    }
  }
  cells.push(current);
  return cells;
}

/**
 * What markdownlint's core rules and GFM rendering need: one H1 first, heading levels that step
 * down one at a time, blank lines around headings, tables, lists and fences, tables whose every
 * row has the header's column count, balanced fences, no trailing whitespace or tabs, one final
 * newline, and unique heading anchors.
 */
function checkMarkdown(markdown: string, label: string): void {
  assert.ok(markdown.endsWith('\n') && !markdown.endsWith('\n\n'), `${label}: ends with exactly one newline`);
  const lines = markdown.slice(0, -1).split('\n');
  let inFence = false;
  let fence = '';
  let previousLevel = 0;
  let h1 = 0;
  const anchors = new Set<string>();
  let tableColumns: number | undefined;
  lines.forEach((line, index) => {
    const where = `${label}:${index + 1}: ${line}`;
    assert.doesNotMatch(line, /[ \t]+$/, `trailing whitespace at ${where}`);
    assert.doesNotMatch(line, /\t/, `tab at ${where}`);
    const before = lines[index - 1];
    const after = lines[index + 1];
    const fenceMatch = /^\s*(`{3,})/.exec(line);
    if (fenceMatch) {
      if (!inFence) {
        inFence = true;
        fence = fenceMatch[1];
        assert.ok(before === undefined || before.trim() === '' || /^\s*\d+\. /.test(before) === false, `blank line before fence at ${where}`);
        assert.ok(before === undefined || before.trim() === '', `blank line before fence at ${where}`);
      } else if (fenceMatch[1] === fence) {
        inFence = false;
        assert.ok(after === undefined || after.trim() === '', `blank line after fence at ${where}`);
      }
      return;
    }
    if (inFence) return;
    const heading = /^(#{1,6}) (.+)$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      if (level === 1) h1++;
      if (index === 0) assert.equal(level, 1, `${label}: the first line is the H1`);
      assert.ok(level <= previousLevel + 1, `heading level jumps at ${where}`);
      previousLevel = level;
      const anchor = heading[2].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
      assert.ok(!anchors.has(anchor), `duplicate heading anchor #${anchor} at ${where}`);
      anchors.add(anchor);
      if (before !== undefined) assert.equal(before, '', `blank line before heading at ${where}`);
      if (after !== undefined) assert.equal(after, '', `blank line after heading at ${where}`);
      return;
    }
    if (line.startsWith('|')) {
      const cells = cellsOf(line);
      if (tableColumns === undefined) {
        assert.ok(before === undefined || before === '', `blank line before table at ${where}`);
        assert.match(after ?? '', /^\|( --- \|)+$/, `delimiter row after table header at ${where}`);
        tableColumns = cells.length;
      } else {
        assert.equal(cells.length, tableColumns, `column count at ${where}`);
      }
      for (const cell of cells) assert.ok(cell.startsWith(' ') && cell.endsWith(' '), `cell padding at ${where}`);
      if (!after?.startsWith('|')) {
        tableColumns = undefined;
        // A kept block's end marker may follow a table a person wrote; an HTML block ends the table.
        assert.ok(after === undefined || after === '' || after.startsWith('<!-- launch-ready:keep:end'), `blank line after table at ${where}`);
      }
      return;
    }
    const listItem = /^(?:- |\d+\. )/.test(line);
    if (listItem) {
      const previousIsList = before !== undefined && (/^(?:- |\d+\. )/.test(before) || before === '');
      assert.ok(before === undefined || previousIsList || /^ {3}/.test(before), `blank line before list at ${where}`);
    }
  });
  assert.equal(inFence, false, `${label}: every fence is closed`);
  assert.equal(h1, 1, `${label}: exactly one H1`);
  // Links to anchors in the same document point at a heading that exists.
  for (const match of markdown.matchAll(/\]\(#([^)]+)\)/g)) assert.ok(anchors.has(match[1]), `${label}: anchor #${match[1]} exists`);
}

describe('docs: RUNBOOK.md and HANDOVER.md', () => {
  describe('markdown writers', () => {
    it('escape pipes in cells, markup in text, and backticks in code', () => {
      const row = table(['A', 'B'], [[text('a | b <b>x</b> *y* [z]'), code('x|y')]]).split('\n')[2];
      assert.equal(cellsOf(row).length, 2);
      assert.equal(row, '| a \\| b \\<b\\>x\\</b\\> \\*y\\* \\[z\\] | `x\\|y` |');
      assert.equal(code('a`b'), '``a`b``');
      assert.equal(code('`x'), '`` `x ``');
      assert.equal(text('use `npm run | tee` now'), 'use `npm run | tee` now');
      assert.equal(text('odd ` tick'), 'odd \\` tick');
      assert.equal(text('# not a heading'), '\\# not a heading');
      assert.equal(text('SESSION_SECRET is _emphasis_ and a__b'), 'SESSION_SECRET is \\_emphasis\\_ and a_\\_b');
      assert.throws(() => table(['A', 'B'], [['only one']]), /1 cells/);
    });
  });

  describe('golden files', () => {
    for (const [name, generate] of [
      ['RUNBOOK.md', generateRunbook],
      ['HANDOVER.md', generateHandover],
    ] as const) {
      it(`${name} matches the golden file (set UPDATE_GOLDEN=1 to rewrite it after a deliberate change)`, () => {
        const actual = generate(fixtureInput());
        const path = join(GOLDEN, name);
        if (process.env.UPDATE_GOLDEN === '1') {
          mkdirSync(GOLDEN, { recursive: true });
          writeFileSync(path, actual);
        }
        assert.equal(normalise(actual), normalise(readFileSync(path, 'utf8')));
      });
    }

    it('is byte-identical across runs except for the one generated-at line', () => {
      for (const generate of [generateRunbook, generateHandover]) {
        const first = generate(fixtureInput());
        const second = generate({ ...loadDocsInput(FIXTURE, { generatedAt: '2030-01-01T00:00:00.000Z' }) });
        assert.equal(generate(fixtureInput()), first);
        const a = first.split('\n');
        const b = second.split('\n');
        assert.equal(a.length, b.length);
        const differing = a.map((line, index) => (line === b[index] ? -1 : index)).filter((index) => index !== -1);
        assert.equal(differing.length, 1);
        assert.match(a[differing[0]], GENERATED_AT_LINE);
        assert.equal(normalise(first), normalise(second));
      }
    });

    it('has every section issue 6 and the READINESS skeletons ask for', () => {
      const runbook = generateRunbook(fixtureInput());
      for (const heading of ['Service', 'Quick links', 'Architecture and dependencies', 'Release', 'Pre-release checks', 'Rollback', 'Health endpoints and routine checks', 'Who is alerted for what', 'Incident playbooks', 'Site down', 'Broken login', 'Emails not arriving or in spam', 'Expired certificate', 'Bad DNS change', 'Leaked secret', 'Certificate, domain and DNS changes', 'Backups and restore', 'Emergency guidelines and customer communication']) {
        assert.match(runbook, new RegExp(`^#{2,3} ${heading}$`, 'm'), heading);
      }
      const handover = generateHandover(fixtureInput());
      for (const heading of ['Service overview', 'Account ownership', 'DNS map', 'Redirect map', 'Edge, SSL and caching', 'Email authentication', 'Environment variables', 'Monitoring', 'Known risks', 'What must never be edited casually', 'Launch-day checklist', 'Week-two follow-ups', 'Renewal dates']) {
        assert.match(handover, new RegExp(`^## ${heading}$`, 'm'), heading);
      }
    });

    it('puts the commands, the measured p95 and the audit observations where a reader looks for them', () => {
      const runbook = generateRunbook(fixtureInput());
      assert.match(runbook, /```sh\n\s*npm run release\n/);
      assert.match(runbook, /```sh\nvercel rollback\n```/);
      assert.match(runbook, /\| \[https:\/\/api\.acme\.co\.uk\/v1\/invoices\]\(https:\/\/api\.acme\.co\.uk\/v1\/invoices\) \| api \| 500 ms \| 812 ms \| over budget \|/);
      assert.match(runbook, /\| \[https:\/\/api\.acme\.co\.uk\/health\]\(https:\/\/api\.acme\.co\.uk\/health\) \| health \| 250 ms \| 143 ms \| within budget \|/);
      assert.match(runbook, /\| \[https:\/\/www\.acme\.co\.uk\/\]\(https:\/\/www\.acme\.co\.uk\/\) \| page \| 2000 ms \| not measured \| no finding at the last audit \|/);
      assert.match(runbook, /\| Stripe \| Stripe secret or restricted key \| \[src\/billing\.ts:12\]/);
      assert.match(runbook, /\| OpenAI \| OpenAI API key \|/);
      assert.match(runbook, /\| site down \| critical \| pager: on-call founder \| \[RUNBOOK\.md#site-down\]\(#site-down\)/);
      const handover = generateHandover(fixtureInput());
      assert.match(handover, /lookups: 12; failing/);
      assert.match(handover, /`20240101pm` \(1024-bit\)/);
      assert.match(handover, /\| `https:\/\/old-acme\.com\/pricing` \| `https:\/\/www\.acme\.co\.uk\/pricing` \| 301 \| no \| 2 \| failing:/);
      assert.match(handover, /\| `acme\.co\.uk` \| `https:\/\/www\.acme\.co\.uk` \| 301 \| yes \| not measured \| verified at the last audit \|/);
      assert.match(handover, /\| Certificate for `app\.acme\.co\.uk` \| 2026-12-10 \| 15 \|/);
      assert.match(handover, /1Password vault Ops \\\| item Namecheap/);
      assert.match(handover, /\| `www\.acme\.co\.uk` \| CNAME \| `acme\.vercel-dns\.com` \| no \| public \| `acme\.vercel-dns\.com`, `76\.76\.21\.21` \| 3600 s \|/);
      assert.match(handover, /nameservers at the last audit: `ana\.ns\.cloudflare\.com`, `bob\.ns\.cloudflare\.com`/);
      // The accepted CAA risk is listed as accepted, not as an open risk.
      assert.doesNotMatch(handover.split('## Known risks')[1].split('| Accepted risk')[0], /CAA/);
      // Blockers rank first in the risk table.
      const risks = handover.split('## Known risks')[1].split('\n').filter((line) => /^\| \d+ \|/.test(line));
      assert.deepEqual(risks.map((line) => cellsOf(line)[1].trim()), ['blocker', 'blocker', 'high', 'high', 'high', 'medium', 'medium', 'medium', 'low']);
    });
  });

  describe('structure', () => {
    const cases: [string, () => DocsInput][] = [
      ['fixture with audit', () => fixtureInput()],
      ['fixture without audit', () => fixtureInput({ audit: undefined })],
      ['minimal launch.yaml', () => minimalInput()],
    ];
    for (const [label, input] of cases) {
      it(`is lint-clean GFM: ${label}`, () => {
        checkMarkdown(generateRunbook(input()), `RUNBOOK (${label})`);
        checkMarkdown(generateHandover(input()), `HANDOVER (${label})`);
      });
    }

    it('caps the blocker and risk tables of a very large audit and stays lint-clean', () => {
      const input = fixtureInput();
      const base = input.audit?.findings ?? [];
      const findings = Array.from({ length: 400 }, (_, index) => {
        const finding = base[index % base.length];
        return { ...finding, fingerprint: String(index), message: `${finding.message} #${index}`, location: finding.location.kind === 'file' ? { ...finding.location, path: `src/f${index}.ts` } : finding.location };
      });
      const large = { ...input, audit: { ...(input.audit as DocsAudit), findings } };
      const runbook = generateRunbook(large);
      const handover = generateHandover(large);
      checkMarkdown(runbook, 'large RUNBOOK');
      checkMarkdown(handover, 'large HANDOVER');
      assert.match(runbook, /And 50 more blockers: run `npx launch-ready audit` for the full list\./);
      assert.match(handover, /And 300 more findings: run `npx launch-ready audit`/);
    });

    it('links to launch.yaml lines that hold what the link is about, relative to the output folder', () => {
      const yaml = readFileSync(join(FIXTURE, 'launch.yaml'), 'utf8').split('\n');
      const runbook = generateRunbook(fixtureInput());
      const releaseLink = /Release \(\[launch\.yaml line (\d+)\]\(launch\.yaml#L(\d+)\)\)/.exec(runbook);
      assert.ok(releaseLink, 'release step links to launch.yaml');
      assert.equal(releaseLink[1], releaseLink[2]);
      assert.match(yaml[Number(releaseLink[1]) - 1], /^\s*releaseCommand:/);
      const rollbackLink = /known-good release \(\[launch\.yaml line (\d+)\]\(launch\.yaml#L\d+\)\)/.exec(runbook);
      assert.ok(rollbackLink);
      assert.match(yaml[Number(rollbackLink[1]) - 1], /^\s*rollbackCommand:/);
      const handover = generateHandover(fixtureInput());
      for (const match of handover.matchAll(/\| `([^`]+)` \| [A-Z]+ \| [^\n]*\[launch\.yaml line (\d+)\]/g)) {
        const host = match[1].split('.')[0];
        const line = yaml[Number(match[2]) - 1];
        assert.ok(line.includes(`${host}:`) || line.includes('"@":'), `DNS map row ${match[1]} links to line ${match[2]}: ${line}`);
      }
      const nested = generateRunbook(loadDocsInput(FIXTURE, { generatedAt: PINNED, outDir: join(FIXTURE, 'docs', 'launch') }));
      assert.match(nested, /\]\(\.\.\/\.\.\/launch\.yaml#L\d+\)/);
      assert.doesNotMatch(nested, /\]\(launch\.yaml/);
      assert.match(nested, /\]\(\.\.\/\.\.\/src\/billing\.ts#L12\)/);
    });
  });

  describe('without an audit', () => {
    it('shows every audited item as not checked, never as passing', () => {
      const input = fixtureInput({ audit: undefined });
      const runbook = generateRunbook(input);
      const handover = generateHandover(input);
      for (const doc of [runbook, handover]) {
        assert.doesNotMatch(doc, /no finding at the last audit|verified at the last audit|within budget|\| pass \|/);
      }
      assert.match(runbook, /No audit has run, so no check is known to pass/);
      const stageRows = runbook.split('## Service')[1].split('## Quick links')[0].split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Stage') && !line.startsWith('| Item'));
      const statusRows = stageRows.filter((line) => cellsOf(line).length === 3 && !line.startsWith('| ---'));
      assert.equal(statusRows.length, 9);
      for (const row of statusRows) assert.equal(cellsOf(row)[1].trim(), 'not checked', row);
      assert.match(handover, /\| `acme\.co\.uk` \| `https:\/\/www\.acme\.co\.uk` \| 301 \| yes \| not measured \| not checked \|/);
      assert.match(handover, /not checked: no audit has run, so the open risks are unknown/);
      assert.match(handover, /lookups: not measured; not checked/);
      assert.match(runbook, /\*\*Keys found in the workspace:\*\* not checked/);
    });

    it('treats a stage the audit skipped as not checked even when others ran', () => {
      const audit: DocsAudit = { generatedAt: '2026-11-24T09:30:00.000Z', findings: [], stages: { secrets: 'pass' } };
      const handover = generateHandover(fixtureInput({ audit }));
      assert.match(handover, /\| `acme\.co\.uk` \| `https:\/\/www\.acme\.co\.uk` \| 301 \| yes \| not measured \| not checked \|/);
      assert.doesNotMatch(handover, /verified at the last audit/);
      assert.match(generateRunbook(fixtureInput({ audit })), /\*\*Keys found in the workspace:\*\* none at the last audit\./);
    });

    it('trusts per-item answers over a stage status that an attestation alone made "pass" (offline audit)', () => {
      const report = JSON.parse(readFileSync(join(FIXTURE, '.launch-ready', 'last-audit.json'), 'utf8')) as Report;
      const offline = {
        ...report,
        findings: report.findings.filter((finding) => finding.stage === 'secrets'),
        stages: Object.fromEntries(
          Object.entries(report.stages).map(([stage, entry]) => [stage, { ...entry, status: stage === 'email' ? 'pass' : stage === 'secrets' ? 'fail' : 'not-checked', items: stage === 'email' ? [{ id: 'M1', status: 'not-checked' }, { id: 'M6', status: 'not-applicable' }] : stage === 'secrets' ? [{ id: 'S1', status: 'fail' }] : [] }]),
        ),
      } as unknown as Report;
      const handover = generateHandover(loadDocsInput(FIXTURE, { generatedAt: PINNED, audit: offline }));
      assert.match(handover, /lookups: not measured; not checked/);
      assert.doesNotMatch(handover, /no finding at the last audit|verified at the last audit/);
      const runbook = generateRunbook(loadDocsInput(FIXTURE, { generatedAt: PINNED, audit: offline }));
      assert.match(runbook, /\| Stripe \| Stripe secret or restricted key \|/);
      assert.match(runbook, /\| Email \| not checked \| not checked \|/);
      assert.match(runbook, /\| Secrets and env \| fail \|/);
    });

    it('takes the Report the editor holds in memory as well as the saved one', () => {
      const report = JSON.parse(readFileSync(join(FIXTURE, '.launch-ready', 'last-audit.json'), 'utf8')) as Report;
      const fromMemory = loadDocsInput(FIXTURE, { generatedAt: PINNED, audit: report });
      assert.equal(generateRunbook(fromMemory), generateRunbook(fixtureInput()));
      assert.equal(generateHandover(loadDocsInput(FIXTURE, { generatedAt: PINNED, audit: null })), generateHandover(fixtureInput({ audit: undefined })));
    });

    it('reads no audit from a missing, broken or foreign last-audit.json', () => {
      const dir = tempDir('docs-audit');
      try {
        assert.equal(readLastAudit(dir), undefined);
        writeFiles(dir, { '.launch-ready/last-audit.json': '{ not json' });
        assert.equal(readLastAudit(dir), undefined);
        writeFiles(dir, { '.launch-ready/last-audit.json': JSON.stringify({ generatedAt: 'x', findings: [], stages: {} }) });
        assert.equal(readLastAudit(dir), undefined, 'not a launch-ready report');
        writeFiles(dir, { '.launch-ready/last-audit.json': JSON.stringify({ kind: 'launch-ready-audit', version: 1, generatedAt: 'x', findings: [{ ruleId: 'a' }, null], stages: { dns: { status: 'pass' }, edge: { status: 'bogus' } } }) });
        assert.deepEqual(readLastAudit(dir), { generatedAt: 'x', findings: [], stages: { dns: 'pass' } });
      } finally {
        removeDir(dir);
      }
    });
  });

  describe('follow-ups from what the audit saw', () => {
    const hostFinding = (ruleId: string, stage: Finding['stage'], host: string, subject: string, message: string, observed: Record<string, unknown>): Finding => ({
      ruleId,
      severity: 'medium',
      stage,
      message,
      location: { kind: 'host', host, subject },
      remediation: 'fix it',
      fingerprint: `${ruleId}-${host}`.padEnd(32, '0'),
      observed,
    });
    const weekTwoOf = (handover: string): string => handover.split('## Week-two follow-ups')[1].split('## Renewal dates')[0];
    const withAudit = (findings: Finding[]): DocsInput => {
      const input = fixtureInput();
      assert.ok(input.audit);
      return { ...input, audit: { ...input.audit, findings: [...input.audit.findings, ...findings] } };
    };

    it('states the HSTS header and DMARC policy the site really published, not what launch.yaml declares', () => {
      const dmarcRecord = { record: 'v=DMARC1; p=none', raw: [] };
      const handover = generateHandover(
        withAudit([
          hostFinding('web/hsts-weak', 'edge', 'www.acme.co.uk', 'https://www.acme.co.uk/', 'HSTS on www.acme.co.uk: max-age is 86400 (under one year, 31536000); includeSubDomains is missing.', { header: 'max-age=86400', count: 1 }),
          hostFinding('email/dmarc-policy-none', 'email', '_dmarc.acme.co.uk', 'TXT', 'DMARC for acme.co.uk is p=none without rua.', dmarcRecord),
          hostFinding('email/dmarc-policy-mismatch', 'email', '_dmarc.acme.co.uk', 'TXT', 'DMARC for acme.co.uk is p=none; launch.yaml declares quarantine.', dmarcRecord),
        ]),
      );
      const weekTwo = weekTwoOf(handover);
      // launch.yaml declares a year of max-age and p=quarantine; the site sent a day and p=none.
      assert.match(weekTwo, /HSTS: at the last audit `www\.acme\.co\.uk` sent `max-age=86400`; raise max-age to one year \(`31536000`\) and add `includeSubDomains` once HTTPS is stable\./);
      // p=none without rua= has no reports to read yet: the first step is to ask for them.
      assert.match(weekTwo, /DMARC: `_dmarc\.acme\.co\.uk` published `p=none` at the last audit \(launch\.yaml intends `p=quarantine`\); add `rua=mailto:<address>` so reports arrive, read them for two weeks, then move to `p=quarantine`\./);
      assert.doesNotMatch(weekTwo, /already a year|move to `p=reject`/);
      // The email table's next step starts from the published policy too.
      const apexRow = handover.split('## Email authentication')[1].split('\n').find((line) => line.startsWith('| `acme.co.uk` |'));
      assert.ok(apexRow);
      assert.equal(cellsOf(apexRow)[5].trim(), 'add `rua=mailto:<address>` so reports arrive, read them for two weeks, then move to `p=quarantine`');
      // A sending subdomain with no DMARC finding of its own is not "fine": it inherits the organisational record.
      const mailRow = handover.split('## Email authentication')[1].split('\n').find((line) => line.startsWith('| `mail.acme.co.uk` |'));
      assert.ok(mailRow);
      assert.match(cellsOf(mailRow)[4], /no finding at `_dmarc\.mail\.acme\.co\.uk`; without a record of its own it inherits `p=none` from `_dmarc\.acme\.co\.uk` $/);
      assert.equal(cellsOf(mailRow)[5].trim(), 'if it has no record of its own: add `rua=mailto:<address>` so reports arrive, read them for two weeks, then move to `p=quarantine`');
      const withReports = weekTwoOf(generateHandover(withAudit([hostFinding('email/dmarc-policy-none', 'email', '_dmarc.acme.co.uk', 'TXT', 'DMARC for acme.co.uk is only monitoring.', { record: 'v=DMARC1; p=none; rua=mailto:d@acme.co.uk', raw: [] })])));
      assert.match(withReports, /published `p=none` at the last audit \(launch\.yaml intends `p=quarantine`\); read the aggregate reports for two weeks, then move to `p=quarantine`\./);
    });

    it('dates every certificate the audit saw from its TLS facts, in launch.yaml order, and names the first to expire', () => {
      const input = fixtureInput();
      assert.ok(input.audit);
      const tls = {
        'www.acme.co.uk': { issuer: 'CN=R11', notAfter: '2027-01-20T12:00:00.000Z', daysLeft: 56 },
        'api.acme.co.uk': { issuer: 'CN=E6', notAfter: '2026-12-02T12:00:00.000Z', daysLeft: 7 },
      };
      const handover = generateHandover({ ...input, audit: { ...input.audit, tls } });
      const rows = handover.split('## Renewal dates')[1].split('\n').filter((line) => line.startsWith('| Certificate for'));
      assert.deepEqual(rows.map((line) => cellsOf(line).map((cell) => cell.trim())), [
        ['Certificate for `acme.co.uk`', 'not recorded (no TLS handshake completed at the last audit)', '—', '—'],
        ['Certificate for `www.acme.co.uk`', '2027-01-20', '56', 'issued by CN=R11'],
        // The fixture's expiry finding still dates a host the facts do not cover.
        ['Certificate for `app.acme.co.uk`', '2026-12-10', '15', "issued by C=US, O=Let's Encrypt, CN=R11"],
        ['Certificate for `api.acme.co.uk`', '2026-12-02', '7', 'issued by CN=E6'],
        ['Certificate for `mail.acme.co.uk`', 'not recorded (no TLS handshake completed at the last audit)', '—', '—'],
      ]);
      assert.match(weekTwoOf(handover), /Certificates: the first to expire is `api\.acme\.co\.uk`'s, on 2026-12-02 \(7 days left at the last audit\); check that renewal ran before then\./);
      const report = JSON.parse(readFileSync(join(FIXTURE, '.launch-ready', 'last-audit.json'), 'utf8')) as Report;
      const fromReport = loadDocsInput(FIXTURE, { generatedAt: PINNED, audit: { ...report, facts: { ...report.facts, tls: { 'www.acme.co.uk': { host: 'www.acme.co.uk', subject: 'CN=www.acme.co.uk', notBefore: '2026-10-22T12:00:00.000Z', subjectAltNames: [], trusted: true, hostnameMatches: true, fingerprint256: 'AA', ...tls['www.acme.co.uk'] }, 'bad.acme.co.uk': { host: 'bad.acme.co.uk' } as never } } } });
      assert.deepEqual(fromReport.audit?.tls, { 'www.acme.co.uk': tls['www.acme.co.uk'] });
    });

    it('lists a host whose name had no address as not reachable, not as a certificate left unread', () => {
      const renewals = (input: DocsInput): string => generateHandover(input).split('## Renewal dates')[1];
      const dead = renewals(withAudit([hostFinding('web/unreachable', 'edge', 'api.acme.co.uk', 'A/AAAA', 'api.acme.co.uk is not reachable: DNS has no address for it (nxdomain).', { kind: 'dns', code: 'nxdomain' })]));
      assert.match(dead, /^\| Host `api\.acme\.co\.uk` \| not reachable at the last audit: DNS has no address for it, so no certificate was served \|/m);
      assert.doesNotMatch(dead, /Certificate for `api\.acme\.co\.uk`/);
      // A lookup that timed out says nothing about the address.
      const slow = renewals(withAudit([hostFinding('web/unreachable', 'edge', 'api.acme.co.uk', 'https://api.acme.co.uk/', 'timed out', { kind: 'dns', code: 'timeout' })]));
      assert.match(slow, /^\| Certificate for `api\.acme\.co\.uk` \|/m);
    });

    it('says the audit saw nothing to raise when it found no HSTS or DMARC problem', () => {
      const weekTwo = weekTwoOf(generateHandover(fixtureInput()));
      assert.match(weekTwo, /HSTS: every checked host sent max-age of a year or more with includeSubDomains at the last audit; nothing to raise\./);
      assert.match(weekTwo, /DMARC: no DMARC finding at the last audit, so the published policy is at least the declared `p=quarantine`; when reports show only your own senders passing, move to `p=reject`\./);
    });

    it('labels launch.yaml values as declared and unchecked when no audit exists', () => {
      const weekTwo = weekTwoOf(generateHandover(fixtureInput({ audit: undefined })));
      assert.match(weekTwo, /HSTS \(declared in launch\.yaml, not checked by an audit\): `max-age=31536000; includeSubDomains`; confirm the site really sends it with `npx launch-ready audit`\./);
      assert.match(weekTwo, /DMARC \(declared in launch\.yaml, not checked by an audit\): `p=quarantine`; when reports show only your own senders passing, move to `p=reject`\./);
      assert.doesNotMatch(weekTwo, /already a year|at the last audit/);
    });

    it('shows an edge provider of "none" as a decision in the ownership table, not as missing', () => {
      const parsed = parseLaunchYaml('version: 1\napp:\n  name: Tiny\n  stage: launch\nedge:\n  provider: none\n', 'launch.yaml');
      assert.ok(parsed.config, JSON.stringify(parsed.findings));
      const handover = generateHandover({ ...minimalInput(), config: parsed.config, lineOf: (path) => parsed.positionOf(path, 'key')?.startLine });
      const row = handover.split('\n').find((line) => line.startsWith('| Edge / CDN |'));
      assert.ok(row);
      assert.deepEqual(cellsOf(row).map((cell) => cell.trim()), ['Edge / CDN', 'none (no CDN)', '—', '—', '—', '—', '—', '[launch.yaml line 6](launch.yaml#L6)']);
      // An owner without a provider of its own takes the provider edge.provider declares.
      assert.match(generateHandover(fixtureInput()), /^\| Edge \/ CDN \| cloudflare \| Ana \|/m);
    });

    it('without a CDN, the runbook sends certificate problems to the hosting owner and drops the Cloudflare advice', () => {
      const yaml = 'version: 1\napp:\n  name: Tiny\n  stage: launch\ndomain:\n  primary: tiny.test\ndeploy:\n  platform: heroku\nedge:\n  provider: none\nowners:\n  hosting: { provider: heroku, owner: Tom }\n';
      const parsed = parseLaunchYaml(yaml, 'launch.yaml');
      assert.ok(parsed.config, JSON.stringify(parsed.findings));
      const runbook = generateRunbook({ ...minimalInput(), config: parsed.config, lineOf: (path) => parsed.positionOf(path, 'key')?.startLine });
      const expired = runbook.split('### Expired certificate')[1].split('### ')[0];
      assert.match(expired, /\*\*Escalate:\*\* Tom;/);
      assert.doesNotMatch(expired, /Cloudflare|edge owner/);
      assert.match(runbook, /^\| Edge \/ CDN \| none \(no CDN\) \| — \|/m);
      assert.match(runbook, /^- Edge \/ CDN console: none \(no CDN\)$/m);
      const handover = generateHandover({ ...minimalInput(), config: parsed.config, lineOf: (path) => parsed.positionOf(path, 'key')?.startLine });
      assert.match(handover, /^\| Edge provider \| none \(no CDN\) \| nothing to check: no CDN sits in front \|$/m);
    });

    it('counts a finding in the stage of the item it bears on, and a failing stage always shows the findings that make it fail', () => {
      const input = fixtureInput();
      // The audit's own report, so the statuses are the ones the CLI prints: a public staging host
      // (filed under Edge, answers A7 in Audit) and plain HTTP not upgraded (filed under Edge,
      // answers D3 in DNS and redirects).
      const exposed = { ...hostFinding('web/private-host-exposed', 'edge', 'staging.acme.co.uk', 'https://staging.acme.co.uk/', 'staging is public', {}), severity: 'blocker' as const };
      const plain = { ...hostFinding('web/http-not-upgraded', 'edge', 'www.acme.co.uk', 'http://www.acme.co.uk/', 'http stays http', {}), severity: 'high' as const };
      const report = buildReport({
        tool: { name: 'launch-ready', version: '0' },
        generatedAt: new Date(PINNED),
        checkedFrom: 'test',
        root: FIXTURE,
        offline: false,
        findings: [exposed, plain],
        checks: [{ id: 'web', status: 'ran', findings: 2, items: ['D2', 'D3', 'E1', 'E3', 'E5', 'E6', 'A7', 'A8', 'P1', 'P2', 'P3'] }],
        attestations: [],
        acceptedRisks: [],
      });
      const runbook = generateRunbook({ ...input, audit: auditFromReport(report) });
      const rows = runbook.split('## Quick links')[0].split('\n');
      assert.ok(rows.includes('| Audit | fail | 1 / 0 / 0 / 0 |'), rows.join('\n'));
      assert.ok(rows.includes('| DNS and redirects | fail | 0 / 1 / 0 / 0 |'), rows.join('\n'));
      // Edge's own items pass: neither finding counts there, and the stage does not fail.
      assert.ok(rows.includes('| Edge and SSL | pass | 0 / 0 / 0 / 0 |'), rows.join('\n'));
      for (const row of rows.filter((line) => /^\| [A-Z][^|]* \| (fail|warn|pass) \|/.test(line))) {
        const [, status, counted] = cellsOf(row).map((cell) => cell.trim());
        const [blocker, high, medium, low] = counted.split(' / ').map(Number);
        if (status === 'fail') assert.ok(blocker + high > 0, row);
        if (status === 'warn') assert.ok(blocker + high === 0 && medium + low > 0, row);
        if (status === 'pass') assert.equal(blocker + high + medium + low, 0, row);
      }
      // Every open finding counts in exactly one stage here, so the rows add up to the total.
      const total = rows.filter((line) => /^\| [A-Z][^|]* \| (fail|warn|pass) \|/.test(line)).reduce((sum, row) => sum + cellsOf(row)[2].split(' / ').map(Number).reduce((a, b) => a + b, 0), 0);
      assert.equal(total, 2);
      // The risk table names the stage the finding counts in.
      assert.match(generateHandover({ ...input, audit: auditFromReport(report) }), /^\| 1 \| blocker \| Audit \| staging is public \|/m);
    });
  });

  describe('kept sections', () => {
    it('keeps hand-written blocks across regeneration and never drops an orphaned one', () => {
      const dir = tempDir('docs-keep');
      try {
        cpSync(FIXTURE, dir, { recursive: true });
        const first = writeDocs(dir, undefined, { generatedAt: PINNED });
        const original = readFileSync(first.runbook, 'utf8');
        const edited = original.replace(
          /(<!-- launch-ready:keep:start notes -->\n)[^]*?(\n<!-- launch-ready:keep:end -->)/,
          '$1Call Ana first: +44 20 0000 0000\n\n| Who | When |\n| --- | --- |\n| Ana | days |$2',
        ) + '\n<!-- launch-ready:keep:start old-contacts -->\nBo is on holiday in December.\n<!-- launch-ready:keep:end -->\n';
        writeFileSync(first.runbook, edited);
        writeDocs(dir, undefined, { generatedAt: '2026-12-01T00:00:00.000Z' });
        const regenerated = readFileSync(first.runbook, 'utf8');
        assert.match(regenerated, /<!-- launch-ready:keep:start notes -->\nCall Ana first: \+44 20 0000 0000\n\n\| Who \| When \|\n\| --- \| --- \|\n\| Ana \| days \|\n<!-- launch-ready:keep:end -->/);
        assert.match(regenerated, /## Kept sections[^]*<!-- launch-ready:keep:start old-contacts -->\nBo is on holiday in December\.\n<!-- launch-ready:keep:end -->/);
        assert.match(regenerated, /<!-- launch-ready:keep:start quick-links -->\nAdd dashboard and log links here/);
        // Regenerating again changes nothing but the generated-at line.
        writeDocs(dir, undefined, { generatedAt: '2026-12-02T00:00:00.000Z' });
        assert.equal(normalise(readFileSync(first.runbook, 'utf8')), normalise(regenerated));
        checkMarkdown(regenerated, 'regenerated RUNBOOK');
      } finally {
        removeDir(dir);
      }
    });

    it('merges by name and leaves a document without kept blocks untouched', () => {
      const generated = 'a\n<!-- launch-ready:keep:start x -->\ndefault\n<!-- launch-ready:keep:end -->\nb\n';
      assert.equal(mergeKeptBlocks(generated, undefined), generated);
      assert.equal(mergeKeptBlocks(generated, 'nothing kept'), generated);
      assert.equal(mergeKeptBlocks(generated, '<!-- launch-ready:keep:start x -->\nmine\n<!-- launch-ready:keep:end -->'), generated.replace('default', 'mine'));
      // An unterminated block in the old file keeps everything after its start.
      assert.equal(mergeKeptBlocks(generated, '<!-- launch-ready:keep:start x -->\nmine\nmore'), generated.replace('default', 'mine\nmore'));
    });
  });

  describe('secrets', () => {
    it('never prints a planted secret value, in any section', () => {
      const fakes = new Fakes(606);
      const planted: { value: string; random: string }[] = [];
      const plant = (value: string, random: string) => {
        planted.push({ value, random });
        return value;
      };
      const stripe = plant(fakes.stripeKey('live'), '');
      planted[planted.length - 1].random = stripe.slice(8);
      const github = fakes.githubToken();
      plant(github, github.slice(4));
      const openai = fakes.openAiKey();
      plant(openai, openai.slice(8));
      const sendgrid = fakes.sendgridKey();
      plant(sendgrid, sendgrid.slice(3));
      const password = fakes.strongPassword(20);
      plant(password, password);
      const session = fakes.alnum(40);
      plant(session, session);
      const slack = fakes.slackWebhook();
      plant(slack, slack.slice(-24));
      const aws = fakes.awsKeyId();
      plant(aws, aws.slice(4));
      const awsSecret = fakes.awsSecret();
      plant(awsSecret, awsSecret);

      const dir = tempDir('docs-secrets');
      try {
        cpSync(FIXTURE, dir, { recursive: true });
        const yaml = readFileSync(join(dir, 'launch.yaml'), 'utf8')
          .replace('releaseCommand: npm run release', `releaseCommand: "STRIPE_KEY=${stripe} npm run release"`)
          .replace('note: "1Password vault Ops | item Namecheap"', `note: "token ${github}"`)
          .replace('rollbackCommand: vercel rollback', `rollbackCommand: "vercel rollback --token ${cat('ghp', '_')}${github.slice(4)}"`)
          .replace('description: Invoicing for small agencies', `description: "Invoicing; key ${openai}"`);
        const files: Record<string, string> = {
          'launch.yaml': yaml,
          '.env.production': `STRIPE_SECRET_KEY=${stripe}\nOPENAI_API_KEY=${openai}\nDATABASE_URL=postgres://app:${password}@db.internal:5432/app\nSESSION_SECRET=${session}\nSLACK_WEBHOOK_URL=${slack}\n`,
          '.env.staging': `SENDGRID_API_KEY=${sendgrid}\nAWS_ACCESS_KEY_ID=${aws}\nAWS_SECRET_ACCESS_KEY=${awsSecret}\n`,
          'src/billing.ts': `export const stripe = "${stripe}";\nconst gh = "${github}";\n`,
          'src/mail.py': `SENDGRID_API_KEY = "${sendgrid}"\npassword = "${password}"\n`,
        };
        writeFiles(dir, files);
        // The audit's findings as the scanner makes them (redacted evidence), plus findings whose
        // messages a careless check might have filled with the value.
        const findings: Finding[] = Object.entries(files).flatMap(([path, content]) => scanText(content, { path }));
        assert.ok(findings.length >= 6, `the scanner finds the planted keys (${findings.length})`);
        findings.push({ ...findings[0], ruleId: 'web/version-banner', stage: 'audit', message: `Server header says ${stripe}`, remediation: `Rotate ${github}`, fingerprint: 'f'.repeat(32), location: { kind: 'host', host: 'api.acme.co.uk', subject: `https://api.acme.co.uk/?token=${openai}` } });
        writeFiles(dir, { '.launch-ready/last-audit.json': JSON.stringify({ kind: 'launch-ready-audit', version: 1, generatedAt: PINNED, stages: { secrets: { status: 'fail' }, dns: { status: 'pass' } }, findings }) });

        const written = writeDocs(dir, undefined, { generatedAt: PINNED });
        const docs = [readFileSync(written.runbook, 'utf8'), readFileSync(written.handover, 'utf8')];
        for (const doc of docs) {
          for (const { value, random } of planted) {
            assert.ok(!doc.includes(value), 'a planted value appears whole');
            for (let i = 0; i + 8 <= random.length; i++) assert.ok(!doc.includes(random.slice(i, i + 8)), 'an 8-character slice of a planted value appears');
          }
          assert.deepEqual(scanText(doc, { path: 'RUNBOOK.md' }).map((finding) => finding.ruleId), []);
        }
        // The variables are listed by name, and the found keys by provider.
        assert.match(docs[0], /\| Stripe \| Stripe secret or restricted key \|/);
        assert.match(docs[0], /\| GitHub \|/);
        assert.match(docs[1], /\| `STRIPE_SECRET_KEY` \| yes \| yes \| `\.env\.production` \|/);
        assert.match(docs[1], /\| `AWS_SECRET_ACCESS_KEY` \| yes \| no \| `\.env\.staging` \|/);
      } finally {
        removeDir(dir);
      }
    });
  });

  describe('launch-ready docs', () => {
    before(() => ensureCliBuilt());

    it('writes both documents beside launch.yaml, or into --out, and says where', async () => {
      const dir = tempDir('docs-cli');
      try {
        cpSync(FIXTURE, dir, { recursive: true });
        const result = await runCli(['docs'], { cwd: dir });
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, 'Wrote RUNBOOK.md\nWrote HANDOVER.md\n  from launch.yaml and the audit of 2026-11-24T09:30:00.000Z\n');
        assert.equal(normalise(readFileSync(join(dir, 'RUNBOOK.md'), 'utf8')), normalise(readFileSync(join(GOLDEN, 'RUNBOOK.md'), 'utf8')));
        const nested = await runCli(['docs', '.', '--out', 'docs/launch'], { cwd: dir });
        assert.equal(nested.code, 0, nested.stderr);
        assert.match(nested.stdout, /Wrote docs\/launch\/RUNBOOK\.md\nWrote docs\/launch\/HANDOVER\.md/);
        assert.match(readFileSync(join(dir, 'docs', 'launch', 'HANDOVER.md'), 'utf8'), /\]\(\.\.\/\.\.\/launch\.yaml#L\d+\)/);
      } finally {
        removeDir(dir);
      }
    });

    it('exits 2 without a launch.yaml, and says so without an audit', async () => {
      const dir = tempDir('docs-cli-empty');
      try {
        const missing = await runCli(['docs'], { cwd: dir });
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /no launch\.yaml/);
        assert.ok(!existsSync(join(dir, 'RUNBOOK.md')));
        writeFiles(dir, { 'launch.yaml': 'version: 1\napp:\n  name: Tiny\n  stage: prototype\n' });
        const bare = await runCli(['docs'], { cwd: dir });
        assert.equal(bare.code, 0, bare.stderr);
        assert.match(bare.stdout, /no audit yet/);
        checkMarkdown(readFileSync(join(dir, 'HANDOVER.md'), 'utf8'), 'CLI HANDOVER');
      } finally {
        removeDir(dir);
      }
    });
  });
});

function minimalInput(): DocsInput {
  const parsed = parseLaunchYaml('version: 1\napp:\n  name: "Tiny | App <beta>"\n  stage: prototype\n', 'launch.yaml');
  assert.ok(parsed.config, JSON.stringify(parsed.findings));
  return { config: parsed.config, configPath: 'launch.yaml', lineOf: (path) => parsed.positionOf(path, 'key')?.startLine, envInventory: [], generatedAt: PINNED };
}
