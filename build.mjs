// Bundles the extension and the CLI as separate entry points. The CLI bundle does NOT mark
// `vscode` as external: if an engine file ever imports it, this build fails, which keeps the
// engine editor-free (the same trick vscode-eslint uses for its server bundle).
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync, chmodSync, cpSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
// `npm run package` builds into its own folder, so a concurrent development build cannot swap
// unminified bundles into the .vsix (and packaging never replaces the bundles others are running).
const outdir = process.argv.find((arg) => arg.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist';
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

await esbuild.build({
  ...common,
  entryPoints: { extension: 'src/extension/extension.ts' },
  outdir,
  external: ['vscode'],
});
// The CLI is three bundles: cli.js (dispatch and the secret commands), cli-commands.js (the
// commands that need YAML, DNS and HTTP, loaded when one runs: a scan then parses 0.2 MB of
// script instead of 2 MB) and the worker of parallel workspace scans, which workspace-scan.ts
// loads from beside the bundle.
const commandsApart = {
  name: 'cli-commands-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/commands\.js$/ }, (args) =>
      args.importer.endsWith(join('src', 'cli', 'main.ts')) ? { path: './cli-commands.js', external: true } : undefined,
    );
  },
};
await esbuild.build({
  ...common,
  entryPoints: { cli: 'src/cli/main.ts', 'cli-commands': 'src/cli/commands.ts', 'scan-worker': 'src/engine/secrets/scan-worker.ts' },
  outdir,
  plugins: [commandsApart],
  banner: { js: '#!/usr/bin/env node' },
});
chmodSync(join(outdir, 'cli.js'), 0o755);

// Tests and benchmarks run from plain transpiled files (one output per input, no bundling) so
// that mocha reports real file names and each test imports the engine modules it exercises.
if (args.has('--tests')) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'fixtures' && !name.startsWith('.')) walk(path); // bench/.tree is generated data
      } else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) {
        files.push(path);
      }
    }
  };
  for (const root of ['src', 'test', 'bench']) walk(root);
  rmSync('out', { recursive: true, force: true });
  await esbuild.build({
    entryPoints: files,
    outdir: 'out',
    outbase: '.',
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // Transpiled engine files require JSON from media/ (the launch.yaml schema) by relative path.
  cpSync('media', 'out/media', { recursive: true });
}
