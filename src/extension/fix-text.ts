// Text decisions behind the quick fixes, kept free of `vscode` so plain mocha tests cover them:
// which comment and env-access syntax a language uses, what to call the variable, and how an env
// file grows by one key.

const SLASH_COMMENT = new Set([
  'javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'go', 'java', 'c', 'cpp', 'csharp',
  'rust', 'php', 'swift', 'kotlin', 'scala', 'dart', 'groovy', 'jsonc', 'vue', 'svelte',
]);
const HASH_COMMENT = new Set([
  'python', 'ruby', 'shellscript', 'yaml', 'dotenv', 'properties', 'toml', 'dockerfile', 'perl', 'r',
  'makefile', 'terraform', 'hcl', 'powershell', 'elixir', 'coffeescript', 'julia', 'nix', 'plaintext', 'ignore',
]);
const DASH_COMMENT = new Set(['sql', 'lua', 'haskell']);

/** The line-comment opener of a language, or undefined when it has none (JSON). */
export function lineCommentFor(languageId: string): string | undefined {
  if (SLASH_COMMENT.has(languageId)) return '//';
  if (HASH_COMMENT.has(languageId)) return '#';
  if (DASH_COMMENT.has(languageId)) return '--';
  if (languageId === 'ini') return ';';
  return undefined;
}

interface EnvSyntax {
  access: (name: string) => string;
  /** Characters that open and close a plain string literal in the language. */
  quotes: string;
}

const JS: EnvSyntax = { access: (name) => `process.env.${name}`, quotes: `'"\`` };
const ENV_SYNTAX: Readonly<Record<string, EnvSyntax>> = {
  javascript: JS,
  javascriptreact: JS,
  typescript: JS,
  typescriptreact: JS,
  python: { access: (name) => `os.environ["${name}"]`, quotes: `'"` },
  ruby: { access: (name) => `ENV["${name}"]`, quotes: `'"` },
  go: { access: (name) => `os.Getenv("${name}")`, quotes: '"`' },
  java: { access: (name) => `System.getenv("${name}")`, quotes: '"' },
};

export function envAccessFor(languageId: string, name: string): string | undefined {
  return ENV_SYNTAX[languageId]?.access(name);
}

/**
 * The literal's bounds when the secret is the whole content of a string literal on its line
 * (`"…"` exactly around it), else undefined: replacing a larger literal would change the code's
 * meaning, so the fix is not offered.
 */
export function literalAround(line: string, start: number, end: number, languageId: string): { start: number; end: number } | undefined {
  const quotes = ENV_SYNTAX[languageId]?.quotes;
  if (!quotes || start < 1 || end >= line.length) return undefined;
  const open = line[start - 1];
  if (!quotes.includes(open) || line[end] !== open) return undefined;
  // A prefix letter glued to the quote (Python's f"…", b"…") makes it a different kind of literal.
  if (start >= 2 && /[A-Za-z0-9_]/.test(line[start - 2])) return undefined;
  return { start: start - 1, end: end + 1 };
}

/** `stripeKey` → `STRIPE_KEY`, `api-token` → `API_TOKEN`. */
export function toEnvName(raw: string): string {
  return raw
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_$-]/;

/**
 * The variable name for a secret: the key it is assigned to on its line (`const stripeKey = "…"`,
 * `api_key: "…"`, `"token" => "…"`), else one derived from the rule (`secret/stripe-secret-key`).
 */
export function envNameFor(textBeforeLiteral: string, ruleId: string): string {
  let i = textBeforeLiteral.length;
  const skipSpaces = () => {
    while (i > 0 && /\s/.test(textBeforeLiteral[i - 1])) i--;
  };
  skipSpaces();
  const operators = [':=', '=>', '=', ':'];
  const operator = operators.find((op) => textBeforeLiteral.slice(0, i).endsWith(op));
  if (operator) {
    i -= operator.length;
    skipSpaces();
    while (i > 0 && `'"\`]`.includes(textBeforeLiteral[i - 1])) i--;
    const end = i;
    while (i > 0 && IDENTIFIER_CHAR.test(textBeforeLiteral[i - 1])) i--;
    const name = toEnvName(textBeforeLiteral.slice(i, end).replace(/^\$/, ''));
    if (/^[A-Z_][A-Z0-9_]*$/.test(name)) return name;
  }
  const fromRule = toEnvName(ruleId.replace(/^[a-z]+\//, ''));
  return /^[A-Z]/.test(fromRule) ? fromRule : `SECRET_${fromRule}`;
}

/** The line with the rule silenced: joins an existing marker's list or adds a trailing comment. */
export function withIgnoreComment(line: string, ruleId: string, comment: string): string {
  const marker = 'launch-ready-ignore';
  const at = line.indexOf(marker);
  if (at !== -1 && !line.startsWith('-next-line', at + marker.length)) {
    const rest = line.slice(at + marker.length);
    if (rest.includes(ruleId)) return line;
    const ids = rest.trimEnd();
    return ids.length === 0 ? line : `${line.slice(0, at + marker.length)}${ids}, ${ruleId}`;
  }
  const body = line.trimEnd();
  return `${body}${body.length > 0 ? ' ' : ''}${comment} ${marker} ${ruleId}`;
}

/** Does the env file already define `name`? */
export function envFileHasKey(content: string, name: string): boolean {
  return content.split(/\r?\n/).some((line) => {
    const trimmed = line.trimStart().replace(/^export\s+/, '');
    return trimmed.startsWith(name) && /^\s*=/.test(trimmed.slice(name.length));
  });
}

/** Quotes a value only when dotenv parsers would otherwise misread it. */
export function envValue(value: string): string {
  if (/^[A-Za-z0-9_./+=:@-]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The env file with `NAME=value` appended, or undefined when the key is already there. */
export function appendEnvKey(content: string, name: string, value: string): string | undefined {
  if (envFileHasKey(content, name)) return undefined;
  const separator = content.length === 0 || content.endsWith('\n') ? '' : '\n';
  return `${content}${separator}${name}=${envValue(value)}\n`;
}
