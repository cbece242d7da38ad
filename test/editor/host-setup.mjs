// What both extension-host harnesses share: `npm run test:editor` (code-server, offline) and
// `npm run test:vscode` (@vscode/test-cli, which downloads VS Code). One bundle of test/host, and
// the workspaces those tests open, with fake secrets assembled at run time (never in the repo).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const requireFromRepo = createRequire(path.join(REPO, 'package.json'));

/**
 * test/host/*.ts, one CommonJS file each, plus the fake-secret generator and the loopback DNS
 * server the harnesses use themselves. `vscode` stays external (the host provides it); `mocha`
 * too, required by its absolute path in this repository's node_modules, so the bundle may live
 * anywhere (a run's artifacts folder in /tmp, say).
 */
export async function buildHostTests(outdir) {
  const hostDir = path.join(REPO, 'test', 'host');
  const entries = Object.fromEntries(fs.readdirSync(hostDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f.replace(/\.ts$/, ''), path.join(hostDir, f)]));
  await esbuild.build({
    entryPoints: { ...entries, fakes: path.join(REPO, 'test', 'support', 'fakes.ts'), 'dns-server': path.join(REPO, 'test', 'world', 'dns-server.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    plugins: [{
      name: 'mocha-from-the-repository',
      setup(build) {
        build.onResolve({ filter: /^mocha$/ }, () => ({ path: requireFromRepo.resolve('mocha'), external: true }));
      },
    }],
    logLevel: 'warning',
  });
}

/** A git repository (so .gitignore and `git check-ignore` mean what they do for users). */
export function makeGitWorkspace(root, files, gitignore = '.env\nnode_modules/\n') {
  fs.mkdirSync(root, { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: root });
  for (const [file, text] of Object.entries({ '.gitignore': gitignore, ...files })) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

// Each folder's launch.yaml names a subdomain pointing at a Heroku app nobody holds, answered by
// the loopback DNS server multi-root.test.ts starts: a D1 finding per folder.
const launchYaml = (name, domain, sub) => `app: { name: ${name}, stage: launch }
domain:
  primary: ${domain}
  subdomains:
    ${sub}: { cname: ${domain.split('.')[0]}-${sub}.herokuapp.com }
  dnssec: false
`;

/**
 * Under `dir`: `host-tests/` (one folder, for the single-folder suites) and `multi-root/` (a
 * `.code-workspace` with an `app` and an `api` folder, each a git repository with its own
 * launch.yaml, one secret the tests open and one they never open). Needs the bundle from
 * buildHostTests in `hostTestsDir` (for the fake-secret generator).
 */
export function prepareHostWorkspaces(dir, hostTestsDir) {
  const { Fakes } = createRequire(import.meta.url)(path.join(hostTestsDir, 'fakes.js'));
  const fakes = new Fakes(5150);
  const single = makeGitWorkspace(path.join(dir, 'host-tests'), { 'README.md': '# host tests\n' });
  const multi = path.join(dir, 'multi-root');
  const app = makeGitWorkspace(path.join(multi, 'app'), {
    'README.md': '# app\n',
    'launch.yaml': launchYaml('Shop', 'shop.test', 'docs'),
    'src/payments.ts': `// Charges through the payment provider.\nconst stripeKey = "${fakes.stripeKey()}";\nexport const auth = { Authorization: \`Bearer \${stripeKey}\` };\n`,
    'config/mailer.js': `module.exports = {\n  sendgrid: '${fakes.sendgridKey()}',\n};\n`,
  });
  const api = makeGitWorkspace(path.join(multi, 'api'), {
    'README.md': '# api\n',
    'launch.yaml': launchYaml('Shop API', 'api.test', 'status'),
    'config/deploy.js': `module.exports = {\n  region: 'eu-west-1',\n  githubToken: '${fakes.githubToken()}',\n};\n`,
    'scripts/seed.py': `import os\nSLACK = "${fakes.slackWebhook()}"\n`,
  });
  const workspaceFile = path.join(multi, 'launch-ready.code-workspace');
  fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'app' }, { path: 'api' }], settings: {} }, null, 2));
  return { single, multiRoot: { workspaceFile, app, api } };
}
