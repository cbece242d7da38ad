import { joinBlocks } from './markdown';

// Hand-written parts of a generated document survive regeneration. A part is marked
//   <!-- launch-ready:keep:start name -->
//   …anything…
//   <!-- launch-ready:keep:end -->
// The generator emits empty named blocks where notes belong; merging puts the old text back in
// the block of the same name. A block the template no longer has is appended under "Kept
// sections" rather than dropped, so nothing a person wrote is ever lost.

const START = /^<!-- launch-ready:keep:start ([A-Za-z0-9_.-]+) -->[ \t]*$/;
const END = /^<!-- launch-ready:keep:end -->[ \t]*$/;

export interface KeptBlock {
  name: string;
  /** The lines between the markers, joined with `\n`. */
  body: string;
}

/** Kept blocks in document order; an unterminated block runs to the end of the text. */
export function readKeptBlocks(markdown: string): KeptBlock[] {
  const blocks: KeptBlock[] = [];
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = START.exec(lines[i]);
    if (!start) continue;
    let end = i + 1;
    while (end < lines.length && !END.test(lines[end])) end++;
    blocks.push({ name: start[1], body: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** The generated document with every named block's body taken from `previous` where it has one. */
export function mergeKeptBlocks(generated: string, previous: string | undefined): string {
  if (!previous) return generated;
  const kept = new Map<string, string>();
  for (const block of readKeptBlocks(previous)) if (!kept.has(block.name)) kept.set(block.name, block.body);
  const used = new Set<string>();
  const lines = generated.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = START.exec(lines[i]);
    if (!start) {
      out.push(lines[i]);
      continue;
    }
    let end = i + 1;
    while (end < lines.length && !END.test(lines[end])) end++;
    const name = start[1];
    out.push(lines[i]);
    if (kept.has(name)) {
      used.add(name);
      out.push(...(kept.get(name) as string).split('\n'));
    } else {
      out.push(...lines.slice(i + 1, end));
    }
    if (end < lines.length) out.push(lines[end]);
    i = end;
  }
  const orphans = [...kept.entries()].filter(([name]) => !used.has(name));
  const merged = out.join('\n');
  if (orphans.length === 0) return merged;
  return joinBlocks([
    merged,
    '## Kept sections',
    'Hand-written blocks whose place is no longer in the generated document; move them where they belong.',
    ...orphans.map(([name, body]) => `<!-- launch-ready:keep:start ${name} -->\n${body}\n<!-- launch-ready:keep:end -->`),
  ]);
}
