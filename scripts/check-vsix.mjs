// Checks a packaged .vsix against what the extension needs at run time, and nothing more: the
// allow-list in .vscodeignore can be widened by mistake (a `!media/**` that picks up screenshots,
// a `!dist/**` that ships source maps and the CLI), so the package itself is checked, not the
// ignore file. Usage: node scripts/check-vsix.mjs dist/launch-ready.vsix
import { readFileSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The budget the Marketplace page promises users; today's package is a fraction of it. */
export const MAX_VSIX_BYTES = 1024 * 1024;

/** Every file the package may hold (paths inside the zip). */
export const EXPECTED_ENTRIES = [
  '[Content_Types].xml',
  'extension.vsixmanifest',
  'extension/package.json',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  'extension/dist/extension.js',
  'extension/dist/scan-worker.js',
  'extension/media/icon.png',
  'extension/media/activity-bar.svg',
  'extension/media/launch.schema.json',
];
/** Walkthrough pages may come and go; any Markdown or image file under this folder is fine. */
const OPTIONAL_ENTRY = /^extension\/media\/walkthrough\/[a-z0-9-]+\.(md|png|svg)$/;

/**
 * Lists the names in a zip's central directory. A .vsix is a plain zip (no zip64, no multi-disk:
 * vsce writes it with yazl), so the end-of-central-directory record is enough to find them.
 */
export function zipEntryNames(buffer) {
  const min = Math.max(0, buffer.length - 0xffff - 22);
  let end = -1;
  for (let i = buffer.length - 22; i >= min; i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory record)');
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error(`corrupt central directory at entry ${n}`);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    names.push(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** Problems with a package's file list and size; empty when it is fine. */
export function vsixProblems(names, size) {
  const problems = [];
  const seen = new Set(names);
  for (const name of names) {
    if (!EXPECTED_ENTRIES.includes(name) && !OPTIONAL_ENTRY.test(name)) problems.push(`unexpected file in the package: ${name}`);
  }
  for (const name of EXPECTED_ENTRIES) if (!seen.has(name)) problems.push(`missing from the package: ${name}`);
  if (size > MAX_VSIX_BYTES) problems.push(`package is ${size} bytes, over the ${MAX_VSIX_BYTES}-byte budget`);
  return problems;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2] ?? 'dist/launch-ready.vsix';
  const names = zipEntryNames(readFileSync(file));
  const { size } = statSync(file);
  const problems = vsixProblems(names, size);
  if (problems.length > 0) {
    process.stderr.write(`${file}:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${file}: ${names.length} files, ${(size / 1024).toFixed(1)} KB (budget ${MAX_VSIX_BYTES / 1024} KB)\n${names.map((n) => `  ${n}`).join('\n')}\n`);
  }
}
