import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { LAST_AUDIT_FILE, MissingLaunchFileError, readLastAudit, writeDocs } from '../engine/docs';
import { EXIT_OK, folderArgument, type Output, UsageError } from './io';

export const DOCS_HELP = `Usage: launch-ready docs [dir] [options]

Writes RUNBOOK.md and HANDOVER.md for the workspace in dir (default: the current directory), from
its launch.yaml and the last audit (${LAST_AUDIT_FILE}). Without an audit every audited item
reads "not checked". Secret values never appear: variables are listed by name only.

Text between <!-- launch-ready:keep:start NAME --> and <!-- launch-ready:keep:end --> in an
existing RUNBOOK.md or HANDOVER.md is kept when the documents are written again. Links such as
launch.yaml#L12 open launch.yaml at that line on GitHub and in VS Code's markdown preview.

Options:
  --out DIR     Folder to write to, relative to dir (default: dir itself, beside launch.yaml)
  -h, --help    This help

Exit codes: 0 written, 2 no readable launch.yaml or a folder that cannot be written.
`;

export async function runDocs(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string' },
      'no-color': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(DOCS_HELP);
    return EXIT_OK;
  }
  const root = folderArgument(positionals, 'takes at most one folder');

  let written;
  try {
    written = writeDocs(root, values.out);
  } catch (error) {
    if (error instanceof MissingLaunchFileError) throw new UsageError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new UsageError(`cannot write the documents (${code}: ${(error as Error).message})`);
    throw error;
  }
  const audit = readLastAudit(root);
  const shown = (path: string) => relative(process.cwd(), path) || path;
  io.out(
    `Wrote ${shown(written.runbook)}\nWrote ${shown(written.handover)}\n` +
      (audit ? `  from launch.yaml and the audit of ${audit.generatedAt}\n` : `  from launch.yaml; no audit yet (${LAST_AUDIT_FILE}), so audited items read "not checked"\n`),
  );
  return EXIT_OK;
}
