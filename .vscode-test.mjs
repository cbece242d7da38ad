// `npm run test:vscode`: the extension-host tests (test/host) in a desktop VS Code that
// @vscode/test-cli downloads through @vscode/test-electron, for machines that can reach
// update.code.visualstudio.com. test/editor/prepare-vscode-test.mjs builds what this names first.
// Offline, `npm run test:editor` runs the same tests in code-server instead (README, "Tests").
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@vscode/test-cli';

const HOST_TESTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '.vscode-test', 'host-tests');
/**
 * In name order, as test/host/index.ts runs them in the code-server harness (a glob's order is the
 * file system's, and the suites share a workspace). Before the first build, the glob.
 */
const allTests = fs.existsSync(HOST_TESTS)
  ? fs.readdirSync(HOST_TESTS).filter((file) => file.endsWith('.test.js')).sort().map((file) => path.join(HOST_TESTS, file))
  : '.vscode-test/host-tests/*.test.js';

// The VS Code of the code-server harness (4.100.3), and the oldest engines.vscode accepts (^1.100.0).
const version = '1.100.3';
const mocha = { ui: 'bdd', timeout: 30_000, color: true };
// Other extensions installed on the machine stay out of the test instance.
const launchArgs = ['--disable-extensions'];

export default defineConfig([
  {
    label: 'host',
    // Every suite; the untrusted and multi-root ones skip themselves here, saying what they need.
    files: allTests,
    workspaceFolder: '.vscode-test/workspaces/host-tests',
    version,
    mocha,
    launchArgs,
  },
  {
    label: 'multi-root',
    files: '.vscode-test/host-tests/multi-root.test.js',
    workspaceFolder: '.vscode-test/workspaces/multi-root/launch-ready.code-workspace',
    version,
    mocha,
    launchArgs,
  },
]);
