import schemaJson from '../../../media/launch.schema.json';

// The JSON Schema shipped to editors (media/launch.schema.json) is also what the engine validates
// against, so completion, hover and the engine's own diagnostics never disagree.

export type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

/** The subset of JSON Schema (draft-07) that launch.schema.json uses and the validator understands. */
export interface SchemaNode {
  $ref?: string;
  type?: JsonType | JsonType[];
  description?: string;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  propertyNames?: SchemaNode;
  required?: string[];
  items?: SchemaNode;
  enum?: (string | number | boolean)[];
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  examples?: unknown[];
}

export interface LaunchSchema extends SchemaNode {
  definitions: Record<string, SchemaNode>;
}

export const LAUNCH_SCHEMA = schemaJson as unknown as LaunchSchema;

/** Follows a local `#/definitions/name` reference; returns the node and the definition's name. */
export function resolveRef(node: SchemaNode): { node: SchemaNode; definition?: string } {
  if (!node.$ref) return { node };
  const name = node.$ref.replace(/^#\/definitions\//, '');
  const target = LAUNCH_SCHEMA.definitions[name];
  if (!target) throw new Error(`launch.schema.json: unresolved $ref ${node.$ref}`);
  return { node: target, definition: name };
}

/** Readiness item ids (A1 … H6) as the schema lists them for attestation keys. */
export const READINESS_ITEM_IDS: readonly string[] = (LAUNCH_SCHEMA.definitions.readinessItem.enum ?? []) as string[];

/**
 * Every key name in the schema with the sections it may appear in, so a key written at the wrong
 * level (`primary:` at the top instead of under `domain:`) can be pointed to its home.
 */
export const KEY_HOMES: ReadonlyMap<string, string[]> = (() => {
  const homes = new Map<string, string[]>();
  const visit = (node: SchemaNode, where: string, depth: number) => {
    const resolved = resolveRef(node).node;
    if (depth > 4) return;
    for (const [key, child] of Object.entries(resolved.properties ?? {})) {
      if (key.startsWith('$')) continue;
      const list = homes.get(key) ?? [];
      if (!list.includes(where)) list.push(where);
      homes.set(key, list);
      visit(child, where ? `${where}.${key}` : key, depth + 1);
    }
    if (resolved.items) visit(resolved.items, `${where}[]`, depth + 1);
    if (typeof resolved.additionalProperties === 'object') visit(resolved.additionalProperties, `${where}.<name>`, depth + 1);
  };
  visit(LAUNCH_SCHEMA, '', 0);
  return homes;
})();
