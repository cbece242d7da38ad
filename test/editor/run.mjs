#!/usr/bin/env node
/* global fetch, setTimeout, clearTimeout */
// `npm run test:editor`: the extension in a real VS Code 1.100 (code-server 4.100.3, its Node
// extension host) driven through Debian's Chromium, offline.
//
//   1. installs what it needs (setup.sh: apt packages, code-server and playwright-core into a cache
//      folder outside the repository; a second run does nothing) and builds the extension and tests;
//   2. UI phase: loads the extension under development into a throwaway workspace with planted fake
//      secrets, opens the sidebar, runs the workspace scan from the command palette, opens the
//      Problems panel and a quick-fix menu, and saves screenshots to .launch-ready-output/editor/;
//   3. test phase: reloads with `extensionTestsPath` = the bundled test/host/index.ts, so mocha runs
//      test/host/*.test.ts inside the extension host; the exit code comes back through
//      window.codeAutomationExit, as in VS Code's own browser integration tests. Three sessions,
//      each on a code-server of its own: a single folder (trusted), a `.code-workspace` of two
//      folders (multi-root.test.ts) and a folder in restricted mode (untrusted.test.ts).
// Exits non-zero on any failure.
//
// Flags: --skip-setup, --no-ui, --no-tests, --keep (leave code-server running and the session dir),
//   --sessions=trusted,multi-root,untrusted (the extension-host sessions to run; all by default),
//   --test-cli: also what `npm run test:vscode` runs, with code-server in place of the VS Code it
//   would download: @vscode/test-cli's own mocha runner, files and options from .vscode-test.mjs
//   (`vscode-test --list-configuration`), one code-server per configuration for its environment,
//   --vsix: the PACKAGED extension instead of the development folder: `npm run package` builds
//   dist/launch-ready.vsix, code-server installs it into the session's extensions folder, and the
//   UI checks run with no extensionDevelopmentPath (artifacts in .launch-ready-output/editor-vsix/;
//   the extension-host tests need a development host, so this mode skips them)
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildHostTests, makeGitWorkspace, prepareHostWorkspaces, REPO } from './host-setup.mjs';

const CACHE = process.env.LAUNCH_READY_EDITOR_CACHE || path.join(os.homedir(), '.cache', 'launch-ready-editor');
const VSIX = process.argv.includes('--vsix') ? path.join(REPO, 'dist', 'launch-ready.vsix') : undefined;
// Overridable so that two runs in one tree (two engineers, or CI and a developer) do not share a folder.
const ARTIFACTS = process.env.LAUNCH_READY_EDITOR_ARTIFACTS
  ? path.resolve(process.env.LAUNCH_READY_EDITOR_ARTIFACTS)
  : path.join(REPO, '.launch-ready-output', VSIX ? 'editor-vsix' : 'editor');
const CODE_SERVER = path.join(CACHE, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Three host sessions on a 2-core machine, possibly beside another run: minutes, not seconds.
const TIMEOUT_MS = Number(process.env.LAUNCH_READY_EDITOR_TIMEOUT_MS || 480_000);
const flags = new Set(process.argv.slice(2));
const SESSIONS = (process.argv.find((arg) => arg.startsWith('--sessions='))?.slice('--sessions='.length) ?? 'trusted,multi-root,untrusted').split(',');

const started = Date.now();
const log = (...parts) => console.log(`[test:editor +${((Date.now() - started) / 1000).toFixed(1)}s]`, ...parts);
const checks = [];
/** Per extension-host session, its mocha counts (each session is also two checks). */
const hostTests = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok: !!ok });
  log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` -- ${detail}` : ''}`);
  return !!ok;
}

function runStep(title, command, args, options = {}) {
  log(title);
  const result = spawnSync(command, args, { cwd: REPO, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    console.error(`[test:editor] ${title} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

// ------------------------------------------------------------------ install and build
if (!flags.has('--skip-setup')) runStep('installing the editor host (idempotent)', 'bash', [path.join(REPO, 'test', 'editor', 'setup.sh')]);
runStep('building the extension', process.execPath, ['build.mjs']);
if (VSIX) runStep('packaging the extension (npm run package)', process.execPath, [path.join(REPO, 'scripts', 'package-vsix.mjs')]);
// The host tests get their own bundle in the artifacts folder rather than out/, which every
// `npm run test:unit` in the same tree deletes and rebuilds (the bundle names mocha by its path in
// this repository, so the folder may be anywhere).
fs.rmSync(ARTIFACTS, { recursive: true, force: true });
fs.mkdirSync(ARTIFACTS, { recursive: true });
const HOST_TESTS = path.join(ARTIFACTS, 'host-tests');
await buildHostTests(HOST_TESTS);
const requireFromCache = createRequire(path.join(CACHE, 'driver', 'package.json'));
const { chromium } = requireFromCache('playwright-core');
const { Fakes } = createRequire(import.meta.url)(path.join(HOST_TESTS, 'fakes.js'));
const { startDnsServer, parseZoneFile } = createRequire(import.meta.url)(path.join(HOST_TESTS, 'dns-server.js'));
// The shop's DNS for the UI audit: docs points at a Heroku app nobody holds (a dangling CNAME).
const SHOP_DNS = await startDnsServer(parseZoneFile(`
$ORIGIN shop.test
@      A     127.0.0.1
@      NS    ns1.cloudflare.com.
@      NS    ns2.cloudflare.com.
www    CNAME shop.test.
docs   CNAME shop-docs.herokuapp.com.

$ORIGIN herokuapp.com
other  A     192.0.2.77
`));
const SHOP_LAUNCH_YAML = `app: { name: Shop, stage: launch }
domain:
  primary: shop.test
  subdomains:
    www: { cname: shop.test }
    docs: { cname: shop-docs.herokuapp.com }
  dnssec: false
attestations:
  H3: { by: Sam, date: 2026-01-05, evidence: walked through in the launch review }
`;

// ------------------------------------------------------------------ throwaway session
const SESSION = fs.mkdtempSync(path.join(os.tmpdir(), 'launch-ready-editor-'));
const PROFILE = path.join(SESSION, 'chromium');
fs.mkdirSync(PROFILE, { recursive: true });

function userSettings(trusted) {
  return {
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.enableExperiments': false,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.commandCenter.enabled': false,
    'git.enabled': false,
    // The untrusted server opens every folder in restricted mode, without asking.
    'security.workspace.trust.enabled': !trusted,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
  };
}

const makeWorkspace = (name, files, gitignore) => makeGitWorkspace(path.join(SESSION, name), files, gitignore);
const fakes = new Fakes(42);
const paymentsLines = [
  '// Charges go through the payment provider’s REST API.',
  `const stripeKey = "${fakes.stripeKey()}";`,
  '',
  'export function paymentHeaders(): Record<string, string> {',
  '  return { Authorization: `Bearer ${stripeKey}` };',
  '}',
  '',
];
const UI_WORKSPACE = makeWorkspace('shop', {
  'src/payments.ts': paymentsLines.join('\n'),
  'config/deploy.js': `module.exports = {\n  region: 'eu-west-1',\n  githubToken: '${fakes.githubToken()}',\n};\n`,
  'README.md': '# Shop\n',
  // Live checks the loopback world can answer: DNS from the server above, no HTTPS or email.
  '.vscode/settings.json': JSON.stringify({ 'launchReady.dns.resolver': SHOP_DNS.server, 'launchReady.checks.web': false, 'launchReady.checks.email': false }, null, 2),
});
// The same workspaces `npm run test:vscode` prepares (test/editor/prepare-vscode-test.mjs).
const HOST_WORKSPACES = prepareHostWorkspaces(SESSION, HOST_TESTS);
// Here only git's own configuration ignores .env (core.excludesFile), which the .gitignore files
// do not show: the move quick fix must not ask git in restricted mode, so it must not write the value.
const UNTRUSTED_WORKSPACE = makeWorkspace('untrusted', { 'README.md': '# untrusted\n' }, 'node_modules/\n');
fs.writeFileSync(path.join(SESSION, 'git-excludes'), '.env\n');
spawnSync('git', ['config', 'core.excludesFile', path.join(SESSION, 'git-excludes')], { cwd: UNTRUSTED_WORKSPACE });

// ------------------------------------------------------------------ code-server
for (const needed of [CODE_SERVER, CHROMIUM, path.join(REPO, 'dist', 'extension.js'), path.join(HOST_TESTS, 'index.js')]) {
  if (!fs.existsSync(needed)) {
    console.error(`[test:editor] missing ${needed}`);
    process.exit(2);
  }
}
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
async function waitForHttp(url, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

const servers = [];
/** A code-server of its own per trust mode (trust is a server-wide switch). */
async function startCodeServer(name, { trusted, env = {} }) {
  const userData = path.join(SESSION, `${name}-user-data`);
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings(trusted), null, 2));
  const host = `127.0.0.1:${await freePort()}`;
  const logFile = fs.openSync(path.join(SESSION, `${name}-code-server.log`), 'w');
  const entry = { name, host, exited: false };
  const xdg = {
    XDG_CONFIG_HOME: path.join(SESSION, 'xdg-config'),
    XDG_DATA_HOME: path.join(SESSION, 'xdg-data'),
    XDG_CACHE_HOME: path.join(SESSION, 'xdg-cache'),
  };
  if (VSIX) {
    // What a user does: `code-server --install-extension file.vsix` into the extensions folder
    // this server then runs with.
    const install = spawnSync(process.execPath, [CODE_SERVER,
      '--config', path.join(SESSION, `${name}-code-server.yaml`),
      '--user-data-dir', userData, '--extensions-dir', path.join(SESSION, `${name}-extensions`),
      '--install-extension', VSIX,
    ], { cwd: SESSION, encoding: 'utf8', env: { ...process.env, ...xdg, EXTENSIONS_GALLERY: '{}' } });
    const said = `${install.stdout}${install.stderr}`.trim().split('\n').pop();
    if (!check(`code-server ${name} installs ${path.relative(REPO, VSIX)}`, install.status === 0 && /successfully installed/.test(install.stdout), said)) throw new Error('the .vsix did not install');
  }
  entry.process = spawn(process.execPath, [CODE_SERVER,
    '--config', path.join(SESSION, `${name}-code-server.yaml`), // absent: code-server writes its default here, not in ~/.config
    '--bind-addr', host, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    ...(trusted ? ['--disable-workspace-trust'] : []),
    '--disable-getting-started-override', '--disable-proxy',
    '--ignore-last-opened', '--user-data-dir', userData, '--extensions-dir', path.join(SESSION, `${name}-extensions`),
  ], {
    cwd: SESSION,
    detached: true,
    stdio: ['ignore', logFile, logFile],
    env: {
      ...process.env,
      ...xdg,
      EXTENSIONS_GALLERY: '{}', // no marketplace lookups
      LAUNCH_READY_HOST_RESULTS_DIR: SESSION, // index.ts writes <suite>-results.json there
      LAUNCH_READY_HOST_SUITE: trusted ? 'trusted' : 'untrusted',
      ...env,
    },
  });
  entry.process.on('exit', (code, signal) => {
    entry.exited = true;
    log(`code-server ${name} exited (${code ?? signal})`);
  });
  servers.push(entry);
  log(`code-server ${name} pid ${entry.process.pid} on http://${host}/ (session ${SESSION})`);
  if (!check(`code-server ${name} answers /healthz`, await waitForHttp(`http://${host}/healthz`, 60_000))) throw new Error('code-server did not start');
  return entry;
}

async function stopCodeServer(entry) {
  if (entry.exited) return;
  try {
    process.kill(-entry.process.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const deadline = Date.now() + 5000;
  while (!entry.exited && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!entry.exited) {
    try {
      process.kill(-entry.process.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

let browser;
let finishing = false;
async function finish(code) {
  if (finishing) return;
  finishing = true;
  clearTimeout(watchdog);
  try {
    await browser?.close();
  } catch (error) {
    log('closing the browser:', error.message);
  }
  if (!flags.has('--keep')) for (const entry of servers) await stopCodeServer(entry);
  await SHOP_DNS.close().catch(() => {});
  checkLogsHoldNoSecrets();
  const failed = checks.filter((c) => !c.ok).length;
  for (const file of fs.readdirSync(SESSION)) {
    if (/-(code-server\.log|results\.json)$/.test(file)) fs.copyFileSync(path.join(SESSION, file), path.join(ARTIFACTS, file));
  }
  const ok = code === 0 && failed === 0 && checks.length > 0;
  if (ok && !flags.has('--keep')) fs.rmSync(SESSION, { recursive: true, force: true });
  for (const { suite, passed, failed: failedTests, pending } of hostTests) {
    console.log(`test:editor: extension-host session ${suite}: ${passed} tests passed, ${failedTests} failed${pending ? `, ${pending} skipped` : ''}`);
  }
  console.log(`test:editor: ${checks.length - failed} passed, ${failed} failed in ${((Date.now() - started) / 1000).toFixed(1)}s; artifacts in ${path.relative(REPO, ARTIFACTS)}/`);
  process.exit(ok ? 0 : 1);
}
/** The extension's own log files (the `Launch Ready` output channel) must hold no token-shaped value. */
function checkLogsHoldNoSecrets() {
  const logs = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'Launch Ready.log') logs.push(full);
    }
  };
  walk(SESSION);
  if (logs.length === 0) return;
  const text = logs.map((file) => fs.readFileSync(file, 'utf8')).join('\n');
  const leaked = /sk_live_[A-Za-z0-9]{24}|gh[pousr]_[A-Za-z0-9]{36}/.test(text);
  check(`the Launch Ready log (${logs.length} file(s), ${text.split('\n').length} lines) holds no secret value`, !leaked && text.includes('activated'));
}

const watchdog = setTimeout(() => {
  check(`finished within ${TIMEOUT_MS / 1000}s`, false);
  void finish(1);
}, TIMEOUT_MS);
process.on('SIGINT', () => void finish(130));
process.on('SIGTERM', () => void finish(143));

/** `folder` is a folder or a `.code-workspace` file (opened as a multi-root workspace). */
const workbenchUrl = (host, folder, payload) =>
  `http://${host}/?${folder.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
const remote = (host, file) => `vscode-remote://${host}${file}`;

async function newPage(tag) {
  const page = await browser.newPage();
  page.on('pageerror', (error) => log(`[${tag}] page error:`, error.message));
  page.on('console', (message) => {
    const text = message.text().replace(/%c|color: [#\w]+;?/g, '').trim();
    if (/Launch Ready|launch-ready|passing|failing|pending|skipped|✔|^\s*\d+\) /.test(text)) log(`[${tag}]`, text.slice(0, 400));
  });
  return page;
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(title);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/** The rows of a view, by its title. */
const viewRows = (page, viewName) => page.locator(`.pane:has(.pane-header[aria-label*="${viewName}"]) .monaco-list-row`);

async function expandRow(page, rows, label) {
  const row = rows.filter({ hasText: label }).first();
  // Locators, not element handles: the tree re-renders when results arrive and replaces its rows.
  const expanded = rows.filter({ hasText: label }).and(page.locator('[aria-expanded="true"]')).first();
  await row.waitFor({ timeout: 15_000 });
  // A click can land on a row that is being replaced; the second one meets the new row.
  for (let attempt = 1; ; attempt++) {
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
    const done = await expanded.waitFor({ timeout: 5_000 }).then(() => true, () => false);
    if (done) return;
    if (attempt === 2) throw new Error(`the "${label}" row did not expand`);
  }
}

async function uiPhase(server) {
  const page = await newPage('ui');
  const development = VSIX ? [] : [['extensionDevelopmentPath', remote(server.host, REPO)]];
  await page.goto(workbenchUrl(server.host, UI_WORKSPACE, [...development, ['skipWelcome', 'true']]));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  if (VSIX) {
    const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
    const installed = path.join(SESSION, `${server.name}-extensions`, `${publisher}.${name}-${version}`);
    check('workbench loaded with the installed .vsix, not a development host',
      !/Extension Development Host/.test(await page.title()) && fs.existsSync(path.join(installed, 'dist', 'extension.js')) && !fs.existsSync(path.join(installed, 'src')),
      `${await page.title()}; ${path.basename(installed)}: ${fs.existsSync(installed) ? fs.readdirSync(installed).join(', ') : 'missing'}`);
  } else {
    check('workbench loaded as an Extension Development Host', /Extension Development Host/.test(await page.title()), await page.title());
  }

  // Opening a TypeScript file activates the extension (onLanguage) and lints it.
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type('payments.ts');
  await page.locator('.quick-input-list .monaco-list-row[aria-label*="payments.ts"]').first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  const status = page.locator('.statusbar-item', { hasText: '1 blocker' }).first();
  check('status bar counts the blocker in the open file', await status.waitFor({ timeout: 30_000 }).then(() => true, () => false));

  const icon = page.locator('.activitybar .action-item:has(.action-label[aria-label^="Launch Ready"])').first();
  await icon.waitFor({ timeout: 30_000 });
  await icon.click();
  const rows = viewRows(page, 'Launch Readiness');
  const topRows = page.locator('.pane:has(.pane-header[aria-label*="Launch Readiness"]) .monaco-list-row[aria-level="1"]');
  const tenRows = await topRows.nth(9).waitFor({ timeout: 20_000 }).then(() => true, () => false);
  const labels = await topRows.locator('.label-name').allInnerTexts();
  check('sidebar lists the nine stages in order', tenRows && JSON.stringify(labels.slice(1, 10)) === JSON.stringify(
    ['Audit', 'DNS and redirects', 'Edge and SSL', 'Email', 'Deployment', 'Secrets and env', 'Performance and caching', 'Monitoring', 'Handover'],
  ), labels.join(' | '));
  const welcome = page.locator('.pane:has(.pane-header[aria-label*="Get Started"]) .welcome-view-content');
  check('Get Started offers "Create launch.yaml"', await welcome.getByText('Create launch.yaml').first().waitFor({ timeout: 10_000 }).then(() => true, () => false));

  await runCommand(page, 'Launch Ready: Scan Workspace for Secrets');
  const done = page.locator('.notifications-toasts .notification-toast', { hasText: 'possible secret' }).first();
  check('workspace scan reports its findings', await done.waitFor({ timeout: 30_000 }).then(() => true, () => false));
  await expandRow(page, rows, 'Secrets and env');
  await expandRow(page, rows, 'No secrets in the repo');
  const findingRow = rows.filter({ hasText: 'config/deploy.js:3' }).first();
  check('secrets stage lists the closed file found by the scan', await findingRow.waitFor({ timeout: 15_000 }).then(() => true, () => false));
  // A wider sidebar, the pointer off the activity bar (no hover tooltip), no toast: a readable screenshot.
  const sidebar = await page.locator('.part.sidebar').first().boundingBox().catch(() => null);
  if (sidebar) { // its right edge is the sash between sidebar and editor
    const edge = { x: sidebar.x + sidebar.width + 1, y: sidebar.y + sidebar.height / 2 };
    await page.mouse.move(edge.x, edge.y);
    await page.mouse.down();
    await page.mouse.move(edge.x + 180, edge.y, { steps: 8 });
    await page.mouse.up();
  }
  await page.mouse.move(900, 300);
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  await page.screenshot({ path: path.join(ARTIFACTS, 'sidebar.png') });

  await page.keyboard.press('Control+Shift+M');
  const markers = page.locator('.markers-panel .monaco-list-row');
  await markers.filter({ hasText: 'secret/stripe-secret-key' }).first().waitFor({ timeout: 15_000 }).catch(() => {});
  const markerTexts = await markers.allInnerTexts();
  check('Problems panel shows the redacted Stripe key from Launch Ready',
    markerTexts.some((t) => t.includes('Launch Ready') && t.includes('secret/stripe-secret-key') && t.includes('sk_live_…(32 chars)')),
    markerTexts.join(' / ').slice(0, 300));
  check('Problems panel never shows a secret value', !markerTexts.some((t) => /sk_live_[A-Za-z0-9]{24}|ghp_[A-Za-z0-9]{36}/.test(t)));
  await page.screenshot({ path: path.join(ARTIFACTS, 'problems.png') });

  // Put the cursor on the key (Go to Line) and open the quick-fix menu.
  const keyLine = paymentsLines.findIndex((line) => line.includes('sk_live_')) + 1;
  const keyColumn = paymentsLines[keyLine - 1].indexOf('sk_live_') + 4;
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(`${keyLine}:${keyColumn}`);
  await page.keyboard.press('Enter');
  await page.locator('.statusbar-item', { hasText: `Ln ${keyLine}, Col ${keyColumn}` }).first().waitFor({ timeout: 10_000 });
  // The workbench asks providers again after the cursor settles; until the light bulb shows, a
  // quick-fix request can still answer for the previous position.
  await page.locator('.lightBulbWidget').first().waitFor({ state: 'visible', timeout: 15_000 }).catch(() => {});
  const menu = page.locator('.action-widget');
  let moveOffered = false;
  for (const deadline = Date.now() + 20_000; !moveOffered && Date.now() < deadline;) {
    await page.keyboard.press('Control+.');
    moveOffered = await menu.getByText('Move to an environment variable').first().waitFor({ timeout: 3_000 }).then(() => true, () => false);
    if (!moveOffered) await page.keyboard.press('Escape');
  }
  const menuText = moveOffered ? await menu.first().innerText() : '';
  check('quick-fix menu offers the move and the ignore', moveOffered && menuText.includes('Ignore secret/stripe-secret-key on this line'), menuText.replace(/\n/g, ' | '));
  await page.screenshot({ path: path.join(ARTIFACTS, 'quick-fix.png') });
  await page.keyboard.press('Escape');

  // After a reload the last scan is restored without scanning again: the closed file's high
  // finding is counted only if its result came back.
  await page.reload();
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const restored = page.locator('.statusbar-item', { hasText: '1 blocker · 1 high' }).first();
  check('last scan restored after a window reload', await restored.waitFor({ timeout: 30_000 }).then(() => true, () => false));

  // The audit from the command palette once there is a launch.yaml, against the loopback DNS server.
  fs.writeFileSync(path.join(UI_WORKSPACE, 'launch.yaml'), SHOP_LAUNCH_YAML);
  await runCommand(page, 'Launch Ready: Run Audit');
  const auditRows = viewRows(page, 'Launch Readiness');
  const summary = auditRows.filter({ hasText: 'last audit' }).first();
  check('Run Audit fills the tree (summary shows the last audit)', await summary.waitFor({ timeout: 60_000 }).then(() => true, () => false));
  check('the audit asked the loopback DNS server', SHOP_DNS.queries.length > 0, `${SHOP_DNS.queries.length} queries`);
  await expandRow(page, auditRows, 'DNS and redirects').catch(() => {});
  await expandRow(page, auditRows, 'Apex, www and subdomains resolve').catch(() => {});
  const dangling = auditRows.filter({ hasText: 'docs.shop.test' }).first();
  check('the DNS finding is listed under its readiness item', await dangling.waitFor({ timeout: 15_000 }).then(() => true, () => false));
  await page.mouse.move(900, 300);
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  await page.screenshot({ path: path.join(ARTIFACTS, 'audit-tree.png') });

  // After a reload the tree comes back from .launch-ready/last-audit.json, without a lookup.
  const queriesBefore = SHOP_DNS.queries.length;
  await page.reload();
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const restoredSummary = viewRows(page, 'Launch Readiness').filter({ hasText: 'last audit' }).first();
  check('last audit restored after a reload without the network',
    await restoredSummary.waitFor({ timeout: 30_000 }).then(() => SHOP_DNS.queries.length === queriesBefore, () => false),
    `${SHOP_DNS.queries.length - queriesBefore} new queries`);
  await page.close();
}

/** One extension-host session: `suite` is the session test/host/helpers.ts hostSuite() will see. */
async function testPhase(server, workspace, suite) {
  const page = await newPage(`host/${suite}`);
  let exited;
  const exitCode = new Promise((resolve) => {
    exited = resolve;
  });
  await page.exposeFunction('codeAutomationLog', () => {});
  await page.exposeFunction('codeAutomationExit', (code) => exited(code));
  await page.goto(workbenchUrl(server.host, workspace, [
    ['extensionDevelopmentPath', remote(server.host, REPO)],
    ['extensionTestsPath', remote(server.host, path.join(HOST_TESTS, 'index.js'))],
    ['skipWelcome', 'true'],
  ]));
  const code = await exitCode;
  await page.screenshot({ path: path.join(ARTIFACTS, `host-tests-${suite}.png`) }).catch(() => {});
  let results;
  try {
    results = JSON.parse(fs.readFileSync(path.join(SESSION, `${suite}-results.json`), 'utf8'));
  } catch {
    // reported below
  }
  check(`extension-host tests (${suite}) exit 0`, code === 0, `codeAutomationExit(${code})`);
  check(`extension-host results (${suite}) written`, results && results.suite === suite && results.failures === 0 && results.passed.length > 0,
    results ? `${results.passed.length} passed, ${results.failures} failed (node ${results.node})` : 'no results file');
  hostTests.push({ suite, passed: results?.passed.length ?? 0, failed: results?.failures ?? 0 });
  for (const failure of results?.failed ?? []) log(`  failed: ${failure.title}\n${failure.error}`);
  await page.close();
}

/**
 * `--test-cli`: each configuration of .vscode-test.mjs as `vscode-test` would run it (its runner,
 * files, mocha options and environment), in code-server rather than a downloaded VS Code.
 */
async function testCliPhase() {
  runStep('preparing .vscode-test/ as npm run test:vscode does', process.execPath, [path.join(REPO, 'test', 'editor', 'prepare-vscode-test.mjs')]);
  const listed = spawnSync(process.execPath, [path.join(REPO, 'node_modules', '.bin', 'vscode-test'), '--list-configuration'], { cwd: REPO, encoding: 'utf8' });
  if (!check('vscode-test --list-configuration reads .vscode-test.mjs', listed.status === 0, listed.stderr.trim())) return;
  for (const run of JSON.parse(listed.stdout)) {
    const label = run.config.label;
    // A browser console is no terminal: mocha without colour codes, so its summary can be read.
    const options = JSON.parse(run.env.VSCODE_TEST_OPTIONS);
    options.mochaOpts.color = false;
    const server = await startCodeServer(`test-cli-${label}`, { trusted: true, env: { VSCODE_TEST_OPTIONS: JSON.stringify(options) } });
    const page = await newPage(`test-cli/${label}`);
    const counts = { passing: 0, failing: 0, pending: 0 };
    // The whole mocha output (failures included) for the artifacts: this runner writes no results file.
    const consoleLog = fs.openSync(path.join(ARTIFACTS, `test-cli-${label}-console.log`), 'w');
    page.on('console', (message) => {
      const text = message.text();
      fs.writeSync(consoleLog, `${text}\n`);
      const found = /%d (passing|failing|pending)\D*(\d+)/.exec(text);
      if (found) counts[found[1]] = Number(found[2]);
    });
    let exited;
    const exitCode = new Promise((resolve) => {
      exited = resolve;
    });
    await page.exposeFunction('codeAutomationLog', () => {});
    await page.exposeFunction('codeAutomationExit', (code) => exited(code));
    await page.goto(workbenchUrl(server.host, run.config.launchArgs.at(-1), [
      ...run.extensionDevelopmentPath.map((dir) => ['extensionDevelopmentPath', remote(server.host, dir)]),
      ['extensionTestsPath', remote(server.host, run.extensionTestsPath)],
      ['skipWelcome', 'true'],
    ]));
    const code = await exitCode;
    check(`test-cli runner, configuration ${label}: exit 0`, code === 0 && counts.passing > 0 && counts.failing === 0,
      `codeAutomationExit(${code}); ${counts.passing} passing, ${counts.failing} failing, ${counts.pending} pending`);
    hostTests.push({ suite: `test-cli ${label}`, passed: counts.passing, failed: counts.failing, pending: counts.pending });
    await page.close();
    fs.closeSync(consoleLog);
    await stopCodeServer(server);
  }
}

try {
  const trusted = await startCodeServer('trusted', { trusted: true });
  const context = await chromium.launchPersistentContext(PROFILE, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 860 },
    permissions: ['clipboard-read', 'clipboard-write'], // the workbench's clipboard is the browser's
    env: { ...process.env, XDG_CONFIG_HOME: path.join(SESSION, 'xdg-config'), XDG_CACHE_HOME: path.join(SESSION, 'xdg-cache') },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  browser = context;
  if (!flags.has('--no-ui')) await uiPhase(trusted);
  if (!flags.has('--no-tests') && !VSIX) {
    if (SESSIONS.includes('trusted')) await testPhase(trusted, HOST_WORKSPACES.single, 'trusted');
    // A server of its own: on one that already served a folder, code-server 4.100 opened the
    // .code-workspace without its folders.
    if (SESSIONS.includes('multi-root')) {
      const multiRoot = await startCodeServer('multi-root', { trusted: true });
      await testPhase(multiRoot, HOST_WORKSPACES.multiRoot.workspaceFile, 'multi-root');
      await stopCodeServer(multiRoot);
    }
    if (SESSIONS.includes('untrusted')) {
      const gitIgnoresEnv = spawnSync('git', ['check-ignore', '-q', '.env'], { cwd: UNTRUSTED_WORKSPACE }).status === 0;
      check('git itself ignores .env in the untrusted workspace (core.excludesFile only)', gitIgnoresEnv);
      const untrusted = await startCodeServer('untrusted', { trusted: false });
      await testPhase(untrusted, UNTRUSTED_WORKSPACE, 'untrusted');
    }
    if (flags.has('--test-cli')) await testCliPhase();
  }
} catch (error) {
  check('no unexpected error', false, error.stack || String(error));
  const pages = browser?.pages() ?? [];
  if (pages.length > 0) await pages[pages.length - 1].screenshot({ path: path.join(ARTIFACTS, 'failure.png') }).catch(() => {});
}
await finish(0);
