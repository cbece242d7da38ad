// Environment variables the code reads, found by reading source text (no execution): the names
// and where they are read, and whether the read has a fallback (then a missing variable does not
// crash the app, so it is not "required").

export interface EnvRead {
  name: string;
  /** Offsets of the name in the text. */
  start: number;
  end: number;
  hasDefault: boolean;
}

const NAME = '([A-Za-z_][A-Za-z0-9_]*)';
const Q = '[\'"`]';

interface ReadPattern {
  languages: RegExp;
  pattern: RegExp;
  /** Text right after the read that gives it a fallback. */
  fallbackAfter?: RegExp;
}

const JS_FILES = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;
const JS_FALLBACK = /^\s*(?:\?\?|\|\|)|^\s*\?\s*[^.?]/;

const PATTERNS: readonly ReadPattern[] = [
  { languages: JS_FILES, pattern: new RegExp(`\\bprocess\\.env\\.${NAME}`, 'g'), fallbackAfter: JS_FALLBACK },
  { languages: JS_FILES, pattern: new RegExp(`\\bprocess\\.env\\[\\s*${Q}${NAME}${Q}\\s*\\]`, 'g'), fallbackAfter: JS_FALLBACK },
  { languages: JS_FILES, pattern: new RegExp(`\\bimport\\.meta\\.env\\.${NAME}`, 'g'), fallbackAfter: JS_FALLBACK },
  { languages: JS_FILES, pattern: new RegExp(`\\bDeno\\.env\\.get\\(\\s*${Q}${NAME}${Q}\\s*\\)`, 'g'), fallbackAfter: JS_FALLBACK },
  { languages: /\.py$/i, pattern: new RegExp(`\\bos\\.environ\\[\\s*['"]${NAME}['"]\\s*\\]`, 'g') },
  { languages: /\.py$/i, pattern: new RegExp(`\\bos\\.(?:environ\\.get|getenv)\\(\\s*['"]${NAME}['"]\\s*(\\)|,)`, 'g') },
  { languages: /\.(?:rb|rake|erb)$/i, pattern: new RegExp(`\\bENV\\[\\s*['"]${NAME}['"]\\s*\\]`, 'g'), fallbackAfter: /^\s*\|\|/ },
  { languages: /\.(?:rb|rake|erb)$/i, pattern: new RegExp(`\\bENV\\.fetch\\(\\s*['"]${NAME}['"]\\s*(\\)|,)`, 'g'), fallbackAfter: /^\s*(?:\{|do\b)/ },
  { languages: /\.go$/i, pattern: new RegExp(`\\bos\\.(?:Getenv|LookupEnv)\\(\\s*"${NAME}"\\s*\\)`, 'g') },
];

/** Set by the platform or the runtime, never by the app's env files. */
const PROVIDED = new Set([
  'NODE_ENV', 'PORT', 'HOME', 'PATH', 'PWD', 'USER', 'SHELL', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'TZ', 'CI', 'DEBUG', 'NODE_OPTIONS',
  'HOSTNAME', 'TERM', 'NO_COLOR', 'FORCE_COLOR', 'VERCEL', 'VERCEL_ENV', 'VERCEL_URL', 'VERCEL_REGION', 'NETLIFY', 'RENDER', 'DYNO',
  'K_SERVICE', 'K_REVISION', 'NEXT_RUNTIME', 'NEXT_PHASE', 'MODE', 'DEV', 'PROD', 'SSR', 'BASE_URL', 'AWS_REGION',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_EXECUTION_ENV', 'LAMBDA_TASK_ROOT', 'GITHUB_ACTIONS', 'GOOGLE_CLOUD_PROJECT', 'APPDATA', 'USERPROFILE',
]);
const PROVIDED_PREFIX = /^(?:npm_|GITHUB_|RUNNER_|VERCEL_GIT_|RAILWAY_|FLY_|RENDER_|HEROKU_|CF_PAGES|NETLIFY_|AWS_LAMBDA_)/;

export function isProvidedByPlatform(name: string): boolean {
  return PROVIDED.has(name) || PROVIDED_PREFIX.test(name);
}

export function isCodeFile(path: string): boolean {
  return PATTERNS.some((p) => p.languages.test(path));
}

/** Every env read in a source file (the language comes from the file name). */
export function findEnvReads(path: string, text: string): EnvRead[] {
  const reads: EnvRead[] = [];
  for (const { languages, pattern, fallbackAfter } of PATTERNS) {
    if (!languages.test(path)) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const name = m[1];
      const start = m.index + m[0].lastIndexOf(name);
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
      // Python `.get("X", default)` and Ruby `fetch("X", default)` continue with `,`.
      const hasDefault = m[2] === ',' || (fallbackAfter?.test(after) ?? false);
      reads.push({ name, start, end: start + name.length, hasDefault });
    }
  }
  return reads.sort((a, b) => a.start - b.start);
}
