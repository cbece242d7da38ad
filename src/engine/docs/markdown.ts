// Small CommonMark/GFM writers for the generated documents. Every piece of text that came from
// launch.yaml, a finding or a file name goes through one of these, so a `|` in a message cannot
// break a table and a `<` cannot open an HTML tag.

/** Text written between code spans: CommonMark punctuation that could start markup is escaped. */
function escapePlain(text: string): string {
  // An underscore inside a word (SESSION_SECRET) never starts emphasis in CommonMark; leaving it
  // bare keeps variable names readable in the raw file.
  return text.replace(/[\\*_[\]<>|~]/g, (c, offset: number) => (c === '_' && /[\p{L}\p{N}]/u.test(text[offset - 1] ?? '') && /[\p{L}\p{N}_]/u.test(text[offset + 1] ?? '') ? c : `\\${c}`));
}

/** One line: runs of whitespace (newlines included) become one space, ends trimmed. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Prose from checks and launch.yaml. Backtick code spans written by the rules are kept as code;
 * everything else is escaped. An unpaired backtick is escaped like any other character.
 */
export function text(value: string): string {
  const flat = oneLine(value);
  const ticks = (flat.match(/`/g) ?? []).length;
  // `#` only starts a heading at the start of a line, where a cell or list item never puts it.
  const start = flat.startsWith('#') ? '\\' : '';
  if (ticks === 0 || ticks % 2 === 1) return start + escapePlain(flat).replace(/`/g, '\\`');
  return start + flat
    .split('`')
    .map((part, index) => (index % 2 === 1 ? code(part) : escapePlain(part)))
    .join('');
}

/** An inline code span that survives backticks in its content (CommonMark §6.1). */
export function code(value: string): string {
  const flat = oneLine(value);
  if (flat === '') return '` `';
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * A table cell: the cell's markdown with `|` escaped. GFM splits rows on unescaped pipes before
 * inline parsing, so the escape is needed inside code spans too (GitHub and VS Code render `\|`
 * there as `|`).
 */
function cell(markdown: string): string {
  const flat = oneLine(markdown);
  return flat === '' ? ' ' : flat.replace(/(^|[^\\])\|/g, '$1\\|').replace(/(^|[^\\])\|/g, '$1\\|');
}

/** A GFM table; cells are markdown already built with text()/code()/link(). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  const out = [line(headers), `|${headers.map(() => ' --- ').join('|')}|`];
  for (const row of rows) {
    if (row.length !== headers.length) throw new Error(`table row has ${row.length} cells, header has ${headers.length}`);
    out.push(line(row));
  }
  return out.join('\n');
}

export function link(label: string, target: string): string {
  const safe = target.replace(/[<>\s]/g, encodeURIComponent);
  // Angle brackets only when the destination holds parentheses, which would end a bare one.
  return /[()]/.test(safe) ? `[${text(label)}](<${safe}>)` : `[${text(label)}](${safe})`;
}

export function bullets(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}

/** A list whose items hold blocks (a code fence) is written loose throughout, as markdownlint expects. */
export function numbered(items: readonly string[]): string {
  const loose = items.some((item) => item.includes('\n'));
  return items.map((item, index) => `${index + 1}. ${item}`).join(loose ? '\n\n' : '\n');
}

export function checklist(items: readonly string[]): string {
  return items.map((item) => `- [ ] ${item}`).join('\n');
}

/** A fenced block for commands a person copies; the fence outgrows any backtick run inside. */
export function codeBlock(lines: readonly string[], language = 'sh'): string {
  let longest = 2;
  for (const line of lines) for (const run of line.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${language}`, ...lines.map((line) => line.replace(/\s+$/, '')), fence].join('\n');
}

/** GitHub's heading anchor (also what VS Code's preview uses): lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/**
 * Joins blocks with one blank line between them and no trailing whitespace on any line: the
 * spacing markdownlint asks for around headings, lists, tables and fences.
 */
export function joinBlocks(blocks: readonly (string | undefined | false)[]): string {
  const kept = blocks.filter((block): block is string => typeof block === 'string' && block.trim() !== '');
  return `${kept.map((block) => block.replace(/[ \t]+$/gm, '').replace(/^\n+|\n+$/g, '')).join('\n\n')}\n`;
}
