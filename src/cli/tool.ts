import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// The version comes from the package.json above this file: one level up from the bundled
// dist/cli.js, three from the transpiled out/src/cli/tool.js the tests import. Reading it at run
// time (rather than bundling the JSON) keeps both layouts working.
function packageVersion(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = dirname(dir)) {
    try {
      const data = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (data.name === 'launch-ready' && typeof data.version === 'string') return data.version;
    } catch {
      // Not here: keep looking upwards.
    }
  }
  return '0.0.0';
}

export const TOOL = { name: 'launch-ready', version: packageVersion() };
