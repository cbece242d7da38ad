import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { hostSuite, suiteOfTestFile } from './helpers';

// Entry point VS Code calls inside the extension host (the `extensionTestsPath` of the code-server
// harness, test/editor/run.mjs). Each session runs its own files: the trusted single folder, the
// untrusted one, the multi-root workspace. Results also go to a JSON file per session, because the
// exit code is all the workbench passes back. `npm run test:vscode` does not come here: the
// @vscode/test-cli runner loads the files itself, and the suites skip themselves (helpers.ts).

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  const suite = hostSuite();
  for (const file of readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js') && suiteOfTestFile(file) === suite) mocha.addFile(join(__dirname, file));
  }
  const passed: string[] = [];
  const failed: { title: string; error: string }[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultsDir = process.env.LAUNCH_READY_HOST_RESULTS_DIR;
      if (resultsDir) {
        writeFileSync(join(resultsDir, `${suite}-results.json`), JSON.stringify({ suite, passed, failed, failures, vscode: process.env.VSCODE_VERSION, node: process.version }, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => passed.push(test.fullTitle()));
    runner.on('fail', (test, error: Error) => failed.push({ title: test.fullTitle(), error: String(error?.stack ?? error) }));
  });
}
