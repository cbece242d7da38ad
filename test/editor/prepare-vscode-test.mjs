#!/usr/bin/env node
// Before `vscode-test` (npm run test:vscode): builds the extension, bundles test/host into
// .vscode-test/host-tests/ and prepares fresh workspaces in .vscode-test/workspaces/, the ones the
// code-server harness (run.mjs) makes for each of its runs. .vscode-test/ is where test-electron
// keeps its VS Code download; it is git-ignored and left out of the .vsix.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildHostTests, prepareHostWorkspaces, REPO } from './host-setup.mjs';

const OUT = path.join(REPO, '.vscode-test');
const HOST_TESTS = path.join(OUT, 'host-tests');
const WORKSPACES = path.join(OUT, 'workspaces');

const build = spawnSync(process.execPath, ['build.mjs'], { cwd: REPO, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
fs.rmSync(HOST_TESTS, { recursive: true, force: true });
await buildHostTests(HOST_TESTS);
// The tests write into their workspaces: each run starts from new ones.
fs.rmSync(WORKSPACES, { recursive: true, force: true });
const prepared = prepareHostWorkspaces(WORKSPACES, HOST_TESTS);
console.log(`test:vscode: host tests in ${path.relative(REPO, HOST_TESTS)}/, workspaces ${path.relative(REPO, prepared.single)} and ${path.relative(REPO, prepared.multiRoot.workspaceFile)}`);
