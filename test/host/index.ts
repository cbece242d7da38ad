import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

// Entry point VS Code calls inside the extension host (the `extensionTestsPath` of the harness).
// Results also go to a JSON file, because the exit code is all the workbench passes back.

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 30_000, reporter: 'spec' });
  // The untrusted suite needs a server with workspace trust on; the harness says which one this is.
  const untrusted = process.env.LAUNCH_READY_HOST_SUITE === 'untrusted';
  for (const file of readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js') && file.startsWith('untrusted.') === untrusted) mocha.addFile(join(__dirname, file));
  }
  const passed: string[] = [];
  const failed: { title: string; error: string }[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const resultsFile = process.env.LAUNCH_READY_HOST_RESULTS;
      if (resultsFile) writeFileSync(resultsFile, JSON.stringify({ passed, failed, failures, vscode: process.env.VSCODE_VERSION, node: process.version }, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => passed.push(test.fullTitle()));
    runner.on('fail', (test, error: Error) => failed.push({ title: test.fullTitle(), error: String(error?.stack ?? error) }));
  });
}
