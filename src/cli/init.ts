import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { parseLaunchYaml } from '../engine/launch/parse';
import { existingLaunchFile, starterForWorkspace } from '../engine/launch/starter';
import { EXIT_OK, folderArgument, type Output, UsageError, writeUserFile } from './io';

export const INIT_HELP = `Usage: launch-ready init [dir] [options]

Writes a commented starter launch.yaml into dir (default: the current directory), filled with what
the workspace already says: the app name and homepage from package.json, the git remote, the
hosting platform's config file, and the env files with their variable NAMES (values are never
copied). Everything else is left as commented examples to fill in.

Options:
  --force       Overwrite an existing launch.yaml
  --stdout      Print the starter instead of writing it
  -h, --help    This help

Exit codes: 0 written, 2 launch.yaml already exists (without --force) or dir is not a folder.
`;

export async function runInit(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      force: { type: 'boolean' },
      stdout: { type: 'boolean' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(INIT_HELP);
    return EXIT_OK;
  }
  const root = folderArgument(positionals, 'takes at most one folder');

  const { text, facts } = starterForWorkspace(root);
  // The starter must pass its own validator; if it ever does not, that is our bug, not the user's.
  const check = parseLaunchYaml(text, 'launch.yaml');
  if (check.findings.length > 0) {
    throw new Error(`the generated launch.yaml does not validate: ${check.findings.map((f) => `${f.ruleId} ${f.message}`).join('; ')}`);
  }
  if (values.stdout) {
    io.out(text);
    return EXIT_OK;
  }
  const existing = existingLaunchFile(root);
  if (existing && !values.force) throw new UsageError(`${join(root, existing)} already exists; use --force to overwrite it`);
  const target = join(root, existing ?? 'launch.yaml');
  writeUserFile(target, text, (path, content) => writeFileSync(path, content));

  const variables = new Set(facts.envFiles.flatMap((f) => f.keys)).size;
  const inferred = [
    facts.homepage ? `primary host from package.json homepage` : 'no homepage in package.json (fill in domain.primary)',
    facts.envFiles.length > 0 ? `${facts.envFiles.length} env file(s), ${variables} variable name(s), no values` : 'no env files found',
    facts.platform ? `platform ${facts.platform}` : undefined,
    facts.repository ? `repository ${facts.repository}` : undefined,
  ].filter(Boolean);
  io.out(`Wrote ${target}\n  ${inferred.join('\n  ')}\nFill in the commented sections, then run an audit.\n`);
  return EXIT_OK;
}
