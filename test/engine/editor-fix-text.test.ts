import { strict as assert } from 'node:assert';
import {
  appendEnvKey, envAccessFor, envNameFor, lineCommentFor, literalAround, toEnvName, withIgnoreComment,
} from '../../src/extension/fix-text';

// The editor's quick fixes decide their text here; the extension-host tests check they are applied.
describe('editor quick-fix text', () => {
  it('uses each language’s env access', () => {
    assert.deepEqual(
      ['typescript', 'javascriptreact', 'python', 'ruby', 'go', 'java', 'json'].map((id) => envAccessFor(id, 'API_KEY')),
      ['process.env.API_KEY', 'process.env.API_KEY', 'os.environ["API_KEY"]', 'ENV["API_KEY"]', 'os.Getenv("API_KEY")', 'System.getenv("API_KEY")', undefined],
    );
  });

  it('names the variable after the assignment key, else after the rule', () => {
    assert.equal(envNameFor('const stripeKey = ', 'secret/stripe-secret-key'), 'STRIPE_KEY');
    assert.equal(envNameFor('  "api_token": ', 'secret/generic-credential'), 'API_TOKEN');
    assert.equal(envNameFor('config[:github_token] => ', 'secret/github-token'), 'GITHUB_TOKEN');
    assert.equal(envNameFor('token := ', 'secret/github-token'), 'TOKEN');
    assert.equal(envNameFor('stripe(', 'secret/stripe-secret-key'), 'STRIPE_SECRET_KEY');
    assert.equal(envNameFor('= ', 'secret/1password-token'), 'SECRET_1PASSWORD_TOKEN');
    assert.equal(toEnvName('myAPIKey'), 'MY_APIKEY');
  });

  it('replaces only a literal that is exactly the secret', () => {
    const line = 'const k = "SECRET";';
    const start = line.indexOf('SECRET');
    assert.deepEqual(literalAround(line, start, start + 6, 'typescript'), { start: start - 1, end: start + 7 });
    assert.equal(literalAround('k = "Bearer SECRET"', 12, 18, 'typescript'), undefined);
    assert.equal(literalAround('k = f"SECRET"', 6, 12, 'python'), undefined);
    assert.equal(literalAround("k = 'SECRET'", 5, 11, 'java'), undefined, 'a Java char literal is not a string');
  });

  it('adds or extends an ignore comment', () => {
    assert.equal(lineCommentFor('python'), '#');
    assert.equal(lineCommentFor('json'), undefined);
    assert.equal(withIgnoreComment('k = "x"', 'secret/jwt', '#'), 'k = "x" # launch-ready-ignore secret/jwt');
    assert.equal(withIgnoreComment('k = "x" // launch-ready-ignore secret/a', 'secret/b', '//'), 'k = "x" // launch-ready-ignore secret/a, secret/b');
    assert.equal(withIgnoreComment('k = "x" // launch-ready-ignore secret/b', 'secret/b', '//'), 'k = "x" // launch-ready-ignore secret/b');
  });

  it('appends a key to an env file once, quoting only when needed', () => {
    assert.equal(appendEnvKey('', 'A', ''), 'A=\n');
    assert.equal(appendEnvKey('X=1', 'A', 'v a#l'), "X=1\nA='v a#l'\n");
    assert.equal(appendEnvKey('export A=1\n', 'A', 'v'), undefined);
    assert.equal(appendEnvKey('AB=1\n', 'A', 'v'), 'AB=1\nA=v\n');
  });
});
