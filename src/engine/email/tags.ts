// The `tag=value; tag=value` lists DKIM (RFC 6376 §3.2) and DMARC records share, with offsets.

export interface Tag {
  name: string;
  value: string;
  /** Offsets of the whole `name=value` within the record. */
  start: number;
  end: number;
}

export interface TagList {
  tags: Tag[];
  errors: { message: string; start: number; end: number }[];
  duplicates: Tag[];
}

export function parseTagList(record: string): TagList {
  const list: TagList = { tags: [], errors: [], duplicates: [] };
  const seen = new Set<string>();
  let offset = 0;
  for (const piece of record.split(';')) {
    const start = offset;
    offset += piece.length + 1;
    if (piece.trim() === '') continue;
    const equals = piece.indexOf('=');
    const leading = piece.length - piece.trimStart().length;
    const end = start + piece.trimEnd().length;
    if (equals < 0) {
      list.errors.push({ message: `"${piece.trim()}" is not a tag=value pair`, start: start + leading, end });
      continue;
    }
    const name = piece.slice(0, equals).trim();
    const value = piece.slice(equals + 1).trim();
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      list.errors.push({ message: `"${name}" is not a valid tag name`, start: start + leading, end });
      continue;
    }
    const tag: Tag = { name, value, start: start + leading, end };
    if (seen.has(name.toLowerCase())) list.duplicates.push(tag);
    else list.tags.push(tag);
    seen.add(name.toLowerCase());
  }
  return list;
}

export function tagValue(list: TagList, name: string): Tag | undefined {
  return list.tags.find((tag) => tag.name.toLowerCase() === name);
}
