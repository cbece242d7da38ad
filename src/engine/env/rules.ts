import type { Rule, Severity } from '../model';

// Every env rule as data: SARIF's `tool.driver.rules`, the README's rule list and the editor's
// documentation links come from this one list (as with the secret rules).

export interface EnvRule extends Rule {
  /** Off unless the user turns it on in `.launch-ready.json` (`"env/unordered-key": "low"`). */
  offByDefault?: boolean;
  /** Which part of the feature the rule belongs to, for documentation. */
  group: 'syntax' | 'data-loss' | 'exposure' | 'parity' | 'production' | 'required';
}

function rule(group: EnvRule['group'], id: string, defaultSeverity: Severity, title: string, description: string, remediation: string, offByDefault = false): EnvRule {
  return { id: `env/${id}`, title, stage: 'secrets', defaultSeverity, description, remediation, group, ...(offByDefault ? { offByDefault } : {}) };
}

export const ENV_RULES: readonly EnvRule[] = [
  // Syntax and style (parity with dotenv-linter).
  rule('syntax', 'duplicated-key', 'medium', 'Duplicated key', 'The key is set again later in the file; dotenv uses the last value, so this earlier one is dead and misleading.', 'Delete the earlier line (the quick fix does, keeping the value dotenv reads).'),
  rule('syntax', 'key-without-value', 'medium', 'Key without value', 'A line with a key but no `=`: dotenv ignores it, so the variable is not set at all.', 'Add `=` and the value, or comment the line out.'),
  rule('syntax', 'incorrect-delimiter', 'low', 'Incorrect delimiter in key', 'The key uses characters other than letters, digits and `_` (e.g. `-` or `.`); shells and many platforms cannot export such names.', 'Rename the key with underscores, here and where the code reads it.'),
  rule('syntax', 'leading-character', 'low', 'Key starts with an invalid character', 'Environment variable names start with a letter or `_`; other tools reject or mangle this key.', 'Rename the key so it starts with a letter or underscore, here and where the code reads it.'),
  rule('syntax', 'lowercase-key', 'low', 'Lowercase key', 'Environment variable names are upper case by convention; on Windows names are case-insensitive, so mixed case can collide.', 'Rename the key in upper case, here and where the code reads it.'),
  rule('syntax', 'unbalanced-quote', 'medium', 'Unbalanced quote', 'The value opens a quote that never closes on its line, so dotenv keeps the quote character as part of the value.', 'Close the quote, or remove it if the value is not meant to be quoted.'),
  rule('syntax', 'space-around-equals', 'low', 'Spaces around `=`', 'Spaces around `=` are accepted by dotenv but break `source .env` in shells and some platforms\' env-file readers.', 'Remove the spaces (the quick fix does; the value is unchanged).'),
  rule('syntax', 'undefined-substitution', 'medium', 'Substitution of an undefined key', 'The value refers to `$NAME` or `${NAME}` that no earlier line defines, so dotenv-expand replaces it with an empty string (or the default).', 'Define the referenced key above this line, escape the `$` as `\\$` if it is literal, or give a default with `${NAME:-default}`.'),
  rule('syntax', 'trailing-whitespace', 'low', 'Trailing whitespace', 'Whitespace at the end of the line: invisible, and part of the value for readers that do not trim.', 'Remove it (the quick fix does; the value dotenv reads is unchanged).'),
  rule('syntax', 'missing-final-newline', 'low', 'No newline at end of file', 'The file does not end with a newline; appending to it (`echo K=V >> .env`) glues two lines together.', 'Add a final newline (the quick fix does).'),
  rule('syntax', 'extra-blank-line', 'low', 'Extra blank line', 'More than one blank line in a row.', 'Remove the extra blank lines (the quick fix does).'),
  rule('syntax', 'unordered-key', 'low', 'Unordered key', 'Keys within a block are not in alphabetical order.', 'Sort the keys within the block (mind `${VAR}` references, which need the referenced key first).', true),
  // Where dotenv silently loses or changes data.
  rule('data-loss', 'inline-comment-cut', 'medium', 'Unquoted `#` cuts the value', 'dotenv reads everything after an unquoted `#` as a comment, while Docker Compose and shells keep `#` that is not preceded by a space: the same file gives different values.', 'Quote the value if `#` belongs to it (`K="a#b"`); if it is a comment, put a space before `#` (the safe quick fix).'),
  rule('data-loss', 'quote-swallows-lines', 'high', 'Quoted value swallows the lines after it', 'A quote that closes several lines later makes the following `KEY=value` lines part of this value: those keys are not set.', 'Close the quote on the line where the value ends.'),
  rule('data-loss', 'malformed-line', 'medium', 'Line dotenv cannot read', 'The line is not `KEY=value`, a comment or blank: dotenv drops it without a warning.', 'Fix the line or comment it out (the quick fix comments it out).'),
  rule('data-loss', 'value-on-next-line', 'medium', 'Value taken from the next line', 'The key has nothing after `=` on its line, and dotenv takes the quoted text on a following line as its value; shells and Compose read an empty value.', 'Move the value onto the key\'s line (the quick fix does; dotenv reads the same value).'),
  rule('data-loss', 'expansion-changes-value', 'medium', '`$` sequences changed by expansion', 'With dotenv-expand (Next.js, Vite, dotenv-cli, dotenvx) `$` starts a variable reference: `pa$$word` becomes `pa$`. The application reads a different value than the file shows.', 'Escape literal dollar signs as `\\$`, or avoid `$` in the value.'),
  rule('data-loss', 'ignored-key', 'medium', 'Key dotenv cannot set', '`__proto__` cannot be stored in dotenv\'s result object: the line has no effect.', 'Rename the key.'),
  // Exposure: env files in git.
  rule('exposure', 'not-ignored', 'blocker', 'Env file not ignored by git', 'The env file is not covered by `.gitignore`, so the next `git add .` commits it with its secrets.', 'Add the file (or `.env*` with `!.env.example`) to `.gitignore`.'),
  rule('exposure', 'tracked-by-git', 'blocker', 'Env file committed to git', 'The env file is tracked by git: everyone with access to the repository (and every clone, fork and CI log) has its values.', 'Run `git rm --cached <file>`, add it to `.gitignore`, and rotate every secret it held: they remain in history.'),
  rule('exposure', 'committed-in-history', 'blocker', 'Env file in git history', 'An env file was committed in the past; its values stay readable in history even after deletion.', 'Rotate every secret the file held, then purge it from history (git filter-repo) if the repository is or will be public.'),
  rule('exposure', 'unreadable-file', 'medium', 'Env file not read', 'The env file could not be read as text (binary, too large, unreadable), so nothing in it was checked.', 'Check the file: env files are small UTF-8 text.'),
  // Parity with .env.example.
  rule('parity', 'example-missing-key', 'medium', 'Key missing from the example file', 'The key is set in an env file but not documented in `.env.example`; the next person (or the production deploy) will not know to set it.', 'Add the key to `.env.example` with a placeholder value.'),
  rule('parity', 'missing-from-env', 'medium', 'Example key not set', 'The example documents the key but the environment\'s files do not set it: the app will start without it.', 'Set the key in the environment\'s env file (or in the platform\'s settings, and remove it from the example if it is no longer used).'),
  rule('parity', 'example-real-secret', 'high', 'Real-looking secret in the example file', 'Example files are committed by design; this value looks like a real credential rather than a placeholder.', 'Replace it with a placeholder (`your-key-here`) and rotate the credential at its provider.'),
  // Production against staging/development.
  rule('production', 'shared-secret-across-environments', 'high', 'Same secret in production and another environment', 'Production shares this secret with a non-production environment: a leak of the weaker environment exposes production.', 'Generate a separate credential for production.'),
  rule('production', 'shared-service-url', 'high', 'Same database or queue in production and another environment', 'Production and a non-production environment point at the same database, cache or queue: tests and staging write to production data.', 'Give production its own instance and URL.'),
  rule('production', 'test-key-in-production', 'blocker', 'Test-mode key or sandbox host in production', 'The production env file holds a test-mode key or a sandbox endpoint: payments, emails or logins silently do nothing for real customers.', 'Put the live-mode key or production endpoint in the production file.'),
  rule('production', 'local-url-in-production', 'high', 'Local or private address in production', 'A production URL points at localhost or a private network address, which the deployed app cannot reach.', 'Use the production service\'s address.'),
  rule('production', 'debug-in-production', 'high', 'Debug mode in production', '`DEBUG` is on, or `NODE_ENV`/`APP_ENV` is not `production`, in the production env file: stack traces leak and frameworks run unoptimised.', 'Set `DEBUG=false` and `NODE_ENV=production` in the production file.'),
  rule('production', 'insecure-url-in-production', 'medium', 'Plain-HTTP URL in production', 'A public URL in the production env file uses `http://`: traffic and credentials go unencrypted.', 'Use `https://`.'),
  // Variables the code needs.
  rule('required', 'missing-required-variable', 'high', 'Variable read by the code is declared nowhere', 'The code reads this environment variable without a default, but no env file or example declares it: a missing env var causes runtime crashes after release.', 'Add the variable to `.env.example` (and set it in every environment), or give the read a default.'),
];

const byId = new Map(ENV_RULES.map((r) => [r.id, r]));

export function envRule(id: string): EnvRule {
  const found = byId.get(id);
  if (!found) throw new Error(`unknown env rule ${id}`);
  return found;
}
