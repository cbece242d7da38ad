import { redact } from '../redact';
import { detectSecrets } from '../secrets/detector';

// Defence in depth for the documents: launch.yaml is written by people, and a token pasted into a
// release command or an owner's note would otherwise be printed as a command to copy. Every
// string that goes into a document, and the finished document itself, is passed through the
// secret detector; whatever it recognises is replaced by its redacted form.

const MIN_SECRET_LENGTH = 8;

export function scrubText(value: string, path = 'launch.yaml'): string {
  if (value.length < MIN_SECRET_LENGTH) return value;
  const hits = detectSecrets(value, { path });
  if (hits.length === 0) return value;
  let out = value;
  // Longest first, so a secret that contains another is replaced whole.
  for (const hit of [...hits].sort((a, b) => b.secret.length - a.secret.length)) {
    if (hit.secret.length < MIN_SECRET_LENGTH) continue;
    out = out.split(hit.secret).join(redact(hit.secret, hit.publicPrefix));
  }
  return out;
}

/** A copy of plain data (objects, arrays, strings, numbers) with every string scrubbed. */
export function scrubDeep<T>(value: T): T {
  if (typeof value === 'string') return scrubText(value) as T;
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = scrubDeep(item);
    return out as T;
  }
  return value;
}

/** The finished markdown: each line on its own, as a reader sees it. */
export function scrubDocument(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => scrubText(line, 'DOCUMENT.md'))
    .join('\n');
}
