import { Fakes, cat } from '../support/fakes';
import { Doc, type CorpusFile } from './doc';
import { hardCases } from './hard-cases';
import { SYNTAXES, type KeyWords, type Syntax } from './syntaxes';

export type { CorpusFile, ExpectedSecret, HardNegative } from './doc';

// The labeled corpus: realistic files in many languages with true secrets (every provider the
// scanner knows, plus generic passwords and credentials) and hard negatives (placeholders,
// environment reads, documented examples, hashes, i18n strings, type names …). Every secret is
// generated at run time from a seeded PRNG, so the corpus is the same on every run and no
// token-shaped literal is committed.

interface SecretVariant {
  provider: string;
  key: KeyWords;
  make: (f: Fakes) => string;
  /** How many times the variant is planted, spread over the syntaxes. */
  count?: number;
  /** Syntaxes that cannot carry this value (e.g. a multi-part value). */
  skip?: readonly string[];
}

/** URLs with credentials are assembled so that no scanner finds one written out in this file. */
const withUserinfo = (scheme: string, user: string, password: string, rest: string) => `${scheme}://${user}:${password}@${rest}`;

const urlEncodedPassword = (f: Fakes) => f.alnum(6) + f.choose(['-', '_', '.', '~']) + f.alnum(10);

const SECRET_VARIANTS: readonly SecretVariant[] = [
  { provider: 'github', key: ['github', 'token'], make: (f) => f.githubToken('p') },
  { provider: 'github', key: ['gh', 'oauth', 'token'], make: (f) => f.githubToken('o'), count: 4 },
  { provider: 'github', key: ['github', 'app', 'token'], make: (f) => f.githubToken(f.choose(['u', 's', 'r'] as const)), count: 5 },
  { provider: 'github', key: ['github', 'pat'], make: (f) => f.githubFineGrained(), count: 5 },
  { provider: 'gitlab', key: ['gitlab', 'token'], make: (f) => f.gitlabToken(f.choose(['pat', 'dt', 'rt', 'ptt'] as const)) },
  { provider: 'gitlab', key: ['ci', 'registry', 'token'], make: (f) => f.gitlabRoutableToken(), count: 4 },
  { provider: 'slack', key: ['slack', 'bot', 'token'], make: (f) => f.slackToken('b') },
  { provider: 'slack', key: ['slack', 'user', 'token'], make: (f) => f.slackToken('p'), count: 4 },
  { provider: 'slack', key: ['slack', 'app', 'token'], make: (f) => f.slackToken('app'), count: 4 },
  { provider: 'slack', key: ['slack', 'webhook', 'url'], make: (f) => f.slackWebhook(), count: 6 },
  { provider: 'stripe', key: ['stripe', 'secret', 'key'], make: (f) => f.stripeKey('live', 'sk', f.int(2) === 1) },
  { provider: 'stripe', key: ['stripe', 'test', 'key'], make: (f) => f.stripeKey('test'), count: 4 },
  { provider: 'stripe', key: ['stripe', 'restricted', 'key'], make: (f) => f.stripeKey('live', 'rk'), count: 4 },
  { provider: 'stripe', key: ['stripe', 'webhook', 'secret'], make: (f) => f.stripeWebhookSecret(), count: 4 },
  { provider: 'twilio', key: ['twilio', 'auth', 'token'], make: (f) => f.hex(32), count: 6 },
  { provider: 'twilio', key: ['twilio', 'api', 'key'], make: (f) => f.twilioApiKey(), count: 5 },
  { provider: 'sendgrid', key: ['sendgrid', 'api', 'key'], make: (f) => f.sendgridKey() },
  { provider: 'mailgun', key: ['mailgun', 'api', 'key'], make: (f) => f.mailgunKey(f.int(2) === 1) },
  { provider: 'postmark', key: ['postmark', 'server', 'token'], make: (f) => f.postmarkToken() },
  { provider: 'google', key: ['google', 'maps', 'key'], make: (f) => f.googleApiKey() },
  { provider: 'firebase', key: ['fcm', 'server', 'key'], make: (f) => f.fcmServerKey(), count: 5 },
  { provider: 'openai', key: ['openai', 'api', 'key'], make: (f) => f.openAiKey(f.choose(['proj', 'legacy', 'svcacct'] as const)) },
  { provider: 'anthropic', key: ['anthropic', 'api', 'key'], make: (f) => f.anthropicKey(f.choose(['api03', 'api03', 'admin01'] as const)) },
  { provider: 'npm', key: ['npm', 'token'], make: (f) => f.npmToken() },
  { provider: 'pypi', key: ['pypi', 'token'], make: (f) => f.pypiToken(), count: 6 },
  { provider: 'cloudflare', key: ['cloudflare', 'api', 'token'], make: (f) => f.cloudflareApiToken(), count: 6 },
  { provider: 'cloudflare', key: ['cloudflare', 'api', 'key'], make: (f) => f.cloudflareGlobalKey(), count: 4 },
  { provider: 'cloudflare', key: ['cf', 'origin', 'ca', 'key'], make: (f) => f.cloudflareOriginCaKey(), count: 3 },
  { provider: 'cloudflare', key: ['cf', 'token'], make: (f) => f.cloudflareScannableToken(f.choose(['cfut', 'cfat', 'cfk'] as const)), count: 5 },
  { provider: 'supabase', key: ['supabase', 'service', 'role', 'key'], make: (f) => f.supabaseServiceRoleJwt(), count: 6 },
  { provider: 'supabase', key: ['supabase', 'secret', 'key'], make: (f) => f.supabaseSecretKey(), count: 5 },
  { provider: 'shopify', key: ['shopify', 'access', 'token'], make: (f) => f.shopifyToken(f.choose(['at', 'ca', 'pa', 'ss'] as const)) },
  { provider: 'datadog', key: ['dd', 'api', 'key'], make: (f) => f.datadogApiKey(), count: 6 },
  { provider: 'datadog', key: ['datadog', 'app', 'key'], make: (f) => f.datadogAppKey(), count: 4 },
  { provider: 'sentry', key: ['sentry', 'dsn'], make: (f) => f.sentryDsn(f.int(3) === 0), count: 6 },
  { provider: 'sentry', key: ['sentry', 'auth', 'token'], make: (f) => (f.int(2) ? f.sentryOrgToken() : f.sentryUserToken()), count: 5 },
  { provider: 'azure', key: ['azure', 'storage', 'connection', 'string'], make: (f) => f.azureStorageConnectionString(), skip: ['py-call'] },
  { provider: 'heroku', key: ['heroku', 'api', 'key'], make: (f) => (f.int(2) ? f.herokuApiKey() : f.herokuPlatformKey()), count: 6 },
  { provider: 'digitalocean', key: ['digitalocean', 'token'], make: (f) => f.digitalOceanToken(f.choose(['p', 'o', 'r'] as const)) },
  { provider: 'discord', key: ['discord', 'bot', 'token'], make: (f) => f.discordBotToken(), count: 6 },
  { provider: 'discord', key: ['discord', 'webhook', 'url'], make: (f) => f.discordWebhook(), count: 4 },
  { provider: 'telegram', key: ['telegram', 'bot', 'token'], make: (f) => f.telegramBotToken() },
  { provider: 'jwt', key: ['service', 'jwt'], make: (f) => f.jwt({ sub: `svc-${f.alnum(6)}`, scope: 'orders:write', iat: 1700000000 }), count: 6 },
  { provider: 'url-password', key: ['database', 'url'], make: (f) => `postgres://app_${f.alnum(4)}:${urlEncodedPassword(f)}@db-${f.hex(6)}.eu-west-1.rds.amazonaws.com:5432/orders`, count: 5 },
  { provider: 'url-password', key: ['mysql', 'dsn'], make: (f) => `mysql://shop:${urlEncodedPassword(f)}@mysql.internal.acme.dev:3306/shop`, count: 4 },
  { provider: 'url-password', key: ['mongo', 'uri'], make: (f) => `mongodb+srv://api:${urlEncodedPassword(f)}@cluster0.${f.alnum(5).toLowerCase()}.mongodb.net/prod?retryWrites=true`, count: 4 },
  { provider: 'url-password', key: ['redis', 'url'], make: (f) => `rediss://default:${urlEncodedPassword(f)}@cache-${f.hex(6)}.upstash.io:6379`, count: 4 },
  { provider: 'url-password', key: ['amqp', 'url'], make: (f) => `amqps://worker:${urlEncodedPassword(f)}@rabbit.acme.dev:5671/jobs`, count: 3 },
  { provider: 'url-password', key: ['smtp', 'url'], make: (f) => `smtps://postmaster%40acme.dev:${urlEncodedPassword(f)}@smtp.mailgun.org:465`, count: 3 },
  { provider: 'url-password', key: ['registry', 'url'], make: (f) => `https://ci-bot:${urlEncodedPassword(f)}@nexus.acme.dev/repository/npm/`, count: 3 },
  { provider: 'generic-password', key: ['db', 'password'], make: (f) => f.strongPassword(), count: 10 },
  { provider: 'generic-password', key: ['smtp', 'password'], make: (f) => f.humanPassword(), count: 8 },
  { provider: 'generic-password', key: ['admin', 'pass'], make: (f) => f.strongPassword(12), count: 5 },
  { provider: 'generic-password', key: ['keystore', 'passphrase'], make: (f) => f.strongPassword(18), count: 4 },
  { provider: 'generic-credential', key: ['api', 'key'], make: (f) => f.apiKey(32), count: 8 },
  { provider: 'generic-credential', key: ['client', 'secret'], make: (f) => f.b64url(40), count: 6 },
  { provider: 'generic-credential', key: ['jwt', 'secret'], make: (f) => f.hex(64), count: 6 },
  { provider: 'generic-credential', key: ['encryption', 'key'], make: (f) => f.b64(43) + '=', count: 5 },
  { provider: 'generic-credential', key: ['webhook', 'signing', 'secret'], make: (f) => f.alnum(28), count: 4 },
  { provider: 'generic-credential', key: ['access', 'token'], make: (f) => f.b64url(48), count: 5 },
];

interface NegativeVariant {
  kind: string;
  key: KeyWords;
  make: (f: Fakes) => string;
}

/** Values a scanner must not report, though each sits under a key that names a credential. */
const NEGATIVE_VALUES: readonly NegativeVariant[] = [
  { kind: 'placeholder', key: ['db', 'password'], make: () => 'changeme' },
  { kind: 'placeholder', key: ['api', 'key'], make: () => 'x'.repeat(32) },
  { kind: 'placeholder', key: ['stripe', 'secret', 'key'], make: () => '<your-stripe-key>' },
  { kind: 'placeholder', key: ['api', 'key'], make: () => 'your_api_key_here' },
  { kind: 'placeholder', key: ['auth', 'token'], make: () => '{{ auth_token }}' },
  { kind: 'placeholder', key: ['smtp', 'password'], make: () => 'REPLACE_ME' },
  { kind: 'placeholder', key: ['client', 'secret'], make: () => 'insert-client-secret-here' },
  { kind: 'placeholder', key: ['admin', 'password'], make: () => '********' },
  { kind: 'placeholder', key: ['stripe', 'secret', 'key'], make: () => ['sk', 'live', 'x'.repeat(24)].join('_') },
  { kind: 'placeholder', key: ['session', 'secret'], make: () => 'dummy-session-secret' },
  { kind: 'placeholder', key: ['jwt', 'secret'], make: () => 'your-256-bit-secret' },
  { kind: 'placeholder', key: ['github', 'token'], make: () => cat('gh', 'p_', 'X'.repeat(36)) },
  { kind: 'format-string', key: ['db', 'password'], make: () => '%s' },
  { kind: 'documented-example', key: ['aws', 'access', 'key', 'id'], make: () => cat('AKIA', 'IOSFODNN7', 'EXAMPLE') },
  { kind: 'documented-example', key: ['aws', 'secret', 'access', 'key'], make: () => cat('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCY', 'EXAMPLEKEY') },
  { kind: 'repeated', key: ['api', 'token'], make: () => 'a'.repeat(40) },
  { kind: 'repeated', key: ['encryption', 'key'], make: () => '0'.repeat(64) },
  { kind: 'sequential', key: ['api', 'secret'], make: () => 'abcdefghijklmnopqrstuvwxyz' },
  { kind: 'sequential', key: ['db', 'password'], make: () => '1234567890' },
  { kind: 'uuid', key: ['session', 'token'], make: (f) => f.uuid() },
  { kind: 'wrong-checksum', key: ['github', 'token'], make: (f) => f.githubTokenBadChecksum(f.choose(['p', 'o', 'u', 's', 'r'] as const)) },
  { kind: 'wrong-checksum', key: ['npm', 'token'], make: (f) => f.npmTokenBadChecksum() },
  { kind: 'type-name', key: ['password', 'encoder'], make: () => 'BCryptPasswordEncoder' },
  { kind: 'identifier', key: ['token', 'type'], make: () => 'Bearer' },
  { kind: 'i18n', key: ['password', 'hint'], make: () => 'At least 12 characters' },
  { kind: 'plain-url', key: ['token', 'endpoint'], make: () => 'https://auth.acme.dev/oauth/token' },
  { kind: 'config-number', key: ['password', 'min', 'length'], make: () => '12' },
  { kind: 'name', key: ['secret', 'name'], make: () => 'payments-api-secrets' },
  { kind: 'local-dev-url', key: ['database', 'url'], make: () => withUserinfo('postgres', 'postgres', 'postgres', 'localhost:5432/app_dev') },
  { kind: 'reference-url', key: ['redis', 'url'], make: () => 'redis://:${REDIS_PASSWORD}@redis:6379/0' },
  { kind: 'publishable-key', key: ['stripe', 'publishable', 'key'], make: (f) => ['pk', 'live', f.alnum(24)].join('_') },
  { kind: 'hash', key: ['password', 'sha256'], make: (f) => f.hex(64) },
  { kind: 'file-path', key: ['private', 'key'], make: () => './certs/server.key' },
];

function plantAssignment(doc: Doc, syntax: Syntax, key: KeyWords, value: string, variant: number, label: { provider?: string; kind?: string }): void {
  const lines = syntax.assign({ key, value }, variant);
  if (label.provider) doc.secret(label.provider, lines);
  else doc.negative(label.kind ?? 'negative', lines);
}

/** Distributes assignments over files of every syntax, a few per file, with filler in between. */
function assignmentFiles(f: Fakes): CorpusFile[] {
  type Entry = { key: KeyWords; value: string; provider?: string; kind?: string };
  const bySyntax = new Map<string, Entry[]>(SYNTAXES.map((s) => [s.id, []]));
  let turn = 0;
  for (const variant of SECRET_VARIANTS) {
    const count = variant.count ?? 8;
    for (let i = 0; i < count; i++) {
      let syntax = SYNTAXES[turn++ % SYNTAXES.length];
      while (variant.skip?.includes(syntax.id)) syntax = SYNTAXES[turn++ % SYNTAXES.length];
      bySyntax.get(syntax.id)?.push({ key: variant.key, value: variant.make(f), provider: variant.provider });
    }
  }
  // AWS: an access key id with its secret next to it, the way credentials files and CI configs hold them.
  for (let i = 0; i < 12; i++) {
    const syntax = SYNTAXES[(i * 7) % SYNTAXES.length];
    const list = bySyntax.get(syntax.id);
    list?.push({ key: ['aws', 'access', 'key', 'id'], value: i % 4 === 3 ? f.awsSessionKeyId() : f.awsKeyId(), provider: 'aws' });
    list?.push({ key: ['aws', 'secret', 'access', 'key'], value: f.awsSecret(), provider: 'aws' });
  }
  for (const negative of NEGATIVE_VALUES) {
    for (let i = 0; i < 4; i++) {
      const syntax = SYNTAXES[turn++ % SYNTAXES.length];
      bySyntax.get(syntax.id)?.push({ key: negative.key, value: negative.make(f), kind: negative.kind });
    }
  }
  const files: CorpusFile[] = [];
  for (const syntax of SYNTAXES) {
    const entries = bySyntax.get(syntax.id) ?? [];
    // Each syntax also reads some credentials from the environment or a secret store.
    const references: KeyWords[] = [['db', 'password'], ['stripe', 'secret', 'key'], ['api', 'token'], ['client', 'secret']];
    let n = 0;
    for (let start = 0; start < entries.length || n === 0; start += 7) {
      const doc = new Doc(syntax.path(n));
      doc.add(...syntax.head(n));
      const chunk = entries.slice(start, start + 7);
      chunk.forEach((entry, i) => {
        if (i % 3 === 1) doc.add(syntax.filler[i % syntax.filler.length]);
        // Two AWS halves stay adjacent so they read as a pair.
        plantAssignment(doc, syntax, entry.key, entry.value, i + n, entry);
      });
      const reference = references[n % references.length];
      doc.negative('environment-read', syntax.reference(reference, n), syntax.id === 'k8s-deployment' ? 0 : undefined);
      doc.add(...syntax.filler.slice(0, 1));
      doc.add(...syntax.tail);
      files.push(doc.build());
      n++;
    }
  }
  return files;
}

/** Environment and secret-store reads, one realistic line per language. */
function environmentReads(): CorpusFile[] {
  const lines: Array<[string, string[]]> = [
    ['src/server/db.ts', [
      'const password = process.env.DATABASE_PASSWORD;',
      'const apiKey = process.env["STRIPE_SECRET_KEY"]!;',
      'const { JWT_SECRET: jwtSecret = "" } = process.env;',
      'export const token = import.meta.env.VITE_API_TOKEN;',
      'const secret = await secrets.get("session-secret");',
      'const clientSecret = config.get<string>("oauth.clientSecret");',
    ]],
    ['app/core/config.py', [
      'password = os.environ["DB_PASSWORD"]',
      'api_key = os.environ.get("OPENAI_API_KEY")',
      'secret_key = os.getenv("SECRET_KEY", default=None)',
      'token = settings.GITHUB_TOKEN',
      'client_secret = get_secret("oauth/client-secret")',
      'password = getpass.getpass("Database password: ")',
    ]],
    ['cmd/server/main.go', [
      'password := os.Getenv("DB_PASSWORD")',
      'apiKey, ok := os.LookupEnv("API_KEY")',
      'token := viper.GetString("github.token")',
      'secret := cfg.Auth.ClientSecret',
      'signingKey := []byte(os.Getenv("JWT_SIGNING_KEY"))',
    ]],
    ['config/initializers/stripe.rb', [
      'Stripe.api_key = ENV["STRIPE_SECRET_KEY"]',
      'secret = ENV.fetch("SESSION_SECRET")',
      'token = Rails.application.credentials.github_token',
      'password = Rails.application.credentials.dig(:database, :password)',
    ]],
    ['src/main/java/com/acme/Secrets.java', [
      'String password = System.getenv("DB_PASSWORD");',
      '@Value("${stripe.secret-key}") private String stripeSecretKey;',
      'final String token = environment.getProperty("github.token");',
      'String apiKey = props.getProperty("api.key");',
    ]],
    ['app/Providers/PaymentServiceProvider.php', [
      "$secret = env('STRIPE_SECRET');",
      "$password = getenv('DB_PASSWORD');",
      "$apiKey = $_ENV['MAILGUN_API_KEY'];",
      "$token = config('services.github.token');",
    ]],
    ['src/Acme.Api/Program.cs', [
      'var password = Environment.GetEnvironmentVariable("DB_PASSWORD");',
      'var apiKey = builder.Configuration["Stripe:SecretKey"];',
      'string token = configuration.GetValue<string>("GitHub:Token");',
      'var secret = await client.GetSecretAsync("jwt-secret");',
    ]],
    ['.github/workflows/release.yml', [
      '      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}',
      '      password: ${{ secrets.REGISTRY_PASSWORD }}',
      '      api_key: ${{ vars.PUBLIC_API_KEY }}',
    ]],
    ['deploy/helm/values.yaml', [
      'password: "{{ .Values.global.dbPassword }}"',
      'apiKey: {{ required "apiKey is required" .Values.apiKey }}',
      'token: "{{ lookup "v1" "Secret" "default" "gh" }}"',
    ]],
    ['ansible/group_vars/production.yml', [
      'db_password: "{{ vault_db_password }}"',
      'api_token: "{{ lookup(\'env\', \'API_TOKEN\') }}"',
      'smtp_password: !vault |',
    ]],
    ['infra/rds.tf', [
      '  password = random_password.db.result',
      '  master_password = var.master_password',
      '  secret_string = jsonencode({ password = random_password.db.result })',
      '  api_key = data.vault_generic_secret.datadog.data["api_key"]',
    ]],
    ['src/main/resources/application.properties', [
      'spring.datasource.password=${DB_PASSWORD}',
      'stripe.secret-key=${STRIPE_SECRET_KEY:}',
      'app.jwt.secret=${JWT_SECRET}',
    ]],
    ['.env.example', [
      'DATABASE_PASSWORD=',
      'STRIPE_SECRET_KEY=sk_live_...',
      'OPENAI_API_KEY=<paste your key>',
      'SESSION_SECRET=generate-with-openssl-rand',
      'GITHUB_TOKEN=your-github-token',
    ]],
    ['docker-compose.override.yml', [
      '      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}',
      '      - REDIS_PASSWORD=${REDIS_PASSWORD}',
      '      MYSQL_ROOT_PASSWORD_FILE: /run/secrets/mysql_root',
    ]],
    ['deploy/maven/settings.xml', [
      '      <password>${env.MAVEN_PASSWORD}</password>',
      '      <privateKey>${user.home}/.ssh/id_ed25519</privateKey>',
    ]],
    ['scripts/bootstrap.sh', [
      'export DB_PASSWORD="$(aws ssm get-parameter --name /prod/db/password --with-decryption --query Parameter.Value --output text)"',
      'API_TOKEN=$(op read "op://Engineering/Acme API/credential")',
      'read -rsp "Password: " PASSWORD',
      'curl -H "Authorization: Bearer ${API_TOKEN}" https://api.acme.dev/v1/me',
    ]],
  ];
  return lines.map(([path, body]) => {
    const doc = new Doc(path);
    doc.add(`// ${path}`.replace(/^\/\/ (.*\.(?:ya?ml|properties|sh|tf|example))$/, '# $1'));
    for (const line of body) doc.negative('environment-read', [line]);
    return doc.build();
  });
}

/** Type names, i18n strings, identifiers and calls: the words are there, the secret is not. */
function wordsNotSecrets(f: Fakes): CorpusFile[] {
  const files: Array<[string, string[]]> = [
    ['src/types/auth.ts', [
      'export interface Credentials {',
      '  password: string;',
      '  apiKey?: string;',
      '  token: AccessToken;',
      '  secretKey: SecretKeyObject | null;',
      '}',
      'export type PasswordResetToken = Brand<string, "PasswordResetToken">;',
      'const passwordInput = document.querySelector<HTMLInputElement>("#password");',
      'const token = await auth.createToken({ userId, scopes: ["orders:read"] });',
      'if (password.length < MIN_PASSWORD_LENGTH) throw new WeakPasswordError();',
      'const hashed = await bcrypt.hash(password, 12);',
      'localStorage.setItem("accessToken", token);',
      'headers: { Authorization: `Bearer ${token}` },',
    ]],
    ['internal/auth/user.go', [
      'type User struct {',
      '\tPassword     string `json:"password" db:"password_hash"`',
      '\tAPIKey       string `json:"api_key,omitempty"`',
      '\tRefreshToken *Token `json:"refresh_token"`',
      '}',
      'func (u *User) CheckPassword(password string) bool {',
      '\treturn bcrypt.CompareHashAndPassword([]byte(u.Password), []byte(password)) == nil',
      'var ErrInvalidToken = errors.New("token is invalid or expired")',
      'flag.StringVar(&password, "password", "", "database password")',
    ]],
    ['src/main/java/com/acme/auth/Account.java', [
      '    private String password;',
      '    @Column(name = "password_hash", nullable = false)',
      '    public void setPassword(String password) { this.password = password; }',
      '    private final PasswordEncoder passwordEncoder = new BCryptPasswordEncoder();',
      '    public static final String TOKEN_HEADER = "X-Auth-Token";',
      '    private static final String SECRET_PROPERTY = "app.jwt.secret";',
    ]],
    ['src/Acme.Api/Models/LoginRequest.cs', [
      '    public string Password { get; set; } = string.Empty;',
      '    [Required, DataType(DataType.Password)]',
      '    public string ApiKey { get; init; } = default!;',
      '    private const string TokenCacheKey = "tokens:access";',
    ]],
    ['app/models/user.rb', [
      '  has_secure_password',
      '  attr_accessor :password_confirmation, :token',
      '  validates :password, length: { minimum: 12 }',
      '  def regenerate_api_key = update!(api_key: SecureRandom.hex(32))',
    ]],
    ['app/Http/Requests/LoginRequest.php', [
      "            'password' => ['required', 'string', 'min:12'],",
      "            'api_token' => 'nullable|string|size:64',",
      '    private string $password;',
      "        $token = Str::random(60);",
    ]],
    ['app/auth/forms.py', [
      '    password = forms.CharField(widget=forms.PasswordInput, min_length=12)',
      '    def login(self, username: str, password: str) -> Token:',
      '    token = secrets.token_urlsafe(32)',
      '    api_key: Optional[str] = None',
      '    password_hash = hashlib.sha256(password.encode()).hexdigest()',
      '    SECRET_KEY = get_random_secret_key()',
    ]],
    ['locales/en.json', [
      '  "password": "Password",',
      '  "passwordPlaceholder": "Enter your password",',
      '  "forgotPassword": "Forgot your password?",',
      '  "password_too_short": "Password must be at least 12 characters",',
      '  "tokenExpired": "Your session token has expired. Please sign in again.",',
      '  "apiKeyDescription": "Use this key to authenticate API requests",',
      '  "secretLabel": "Client secret",',
    ]],
    ['locales/fr.json', [
      '  "password": "Mot de passe",',
      '  "password_confirm": "Confirmez le mot de passe",',
      '  "token_invalid": "Le jeton est invalide",',
      '  "secret": "Secret partagé",',
    ]],
    ['config/locales/de.yml', [
      '    password: Passwort',
      '    password_reset: "Passwort zurücksetzen"',
      '    api_key: API-Schlüssel',
      '    token_expired: "Ihr Token ist abgelaufen"',
    ]],
    ['src/main/resources/messages.properties', [
      'password.invalid=The password you entered is incorrect',
      'token.expired=Your token expired, sign in again',
      'apikey.help=Create an API key under Settings',
    ]],
    ['config/auth.yaml', [
      'password_policy: strict',
      'token_ttl: 3600',
      'secret_name: api-tls',
      'password_min_length: 12',
      'token_type: Bearer',
      'api_key_header: X-Api-Key',
      'secret_store: aws-secretsmanager',
      'tokenizer: wordpiece',
      'passwordless: true',
    ]],
    ['deploy/k8s/ingress.yaml', [
      '    secretName: api-acme-dev-tls',
      '              key: password',
      '          secretKeyRef:',
      '  - secretRef:',
    ]],
    ['test/auth.test.ts', [
      '  const password = "correct horse battery staple";',
      '  const token = makeToken({ sub: "user_1" });',
      `  const secret = "${'x'.repeat(8)}-test";`,
      '  expect(screen.getByLabelText("Password")).toBeVisible();',
    ]],
    ['src/crypto/keys.ts', [
      `const publicKey = "${cat('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI', f.b64(43))} deploy@acme";`,
      'export const privateKeyPath = "/etc/acme/keys/signing.pem";',
      'const secretsManager = new SecretsManagerClient({ region });',
      `const tokenPrefix = "${cat('gh', 'p_')}";`,
    ]],
  ];
  return files.map(([path, body]) => {
    const doc = new Doc(path);
    for (const line of body) doc.negative('words-not-secrets', [line]);
    return doc.build();
  });
}

/** Lockfiles, checksums, digests and encoded images: long, random-looking, and public. */
function hashesAndData(f: Fakes): CorpusFile[] {
  const integrity = () => `sha512-${f.b64(86)}==`;
  const lock = new Doc('package-lock.json');
  lock.add('{', '  "name": "storefront",', '  "lockfileVersion": 3,', '  "packages": {');
  for (const name of ['js-tokens', '@octokit/auth-token', 'passport-local', 'secret-handshake', 'jsonwebtoken', 'keygrip']) {
    lock.add(`    "node_modules/${name}": {`, '      "version": "4.0.0",');
    lock.negative('lockfile-url', [`      "resolved": "https://registry.npmjs.org/${name}/-/${name.replace(/^@[^/]+\//, '')}-4.0.0.tgz",`]);
    lock.negative('integrity', [`      "integrity": "${integrity()}"`]);
    lock.add('    },');
  }
  lock.add('  }', '}');

  const yarn = new Doc('yarn.lock');
  for (const name of ['passport', 'tokenizer', 'secure-password']) {
    yarn.add(`${name}@^2.0.0:`, '  version "2.0.1"');
    yarn.negative('lockfile-url', [`  resolved "https://registry.yarnpkg.com/${name}/-/${name}-2.0.1.tgz#${f.hex(40)}"`]);
    yarn.negative('integrity', [`  integrity ${integrity()}`]);
    yarn.add('');
  }

  const gosum = new Doc('go.sum');
  for (const mod of ['github.com/aws/aws-sdk-go-v2/credentials', 'github.com/golang-jwt/jwt/v5', 'golang.org/x/oauth2', 'github.com/zalando/go-keyring']) {
    gosum.negative('go-sum', [`${mod} v1.16.12 h1:${f.b64(43)}=`]);
    gosum.negative('go-sum', [`${mod} v1.16.12/go.mod h1:${f.b64(43)}=`]);
  }

  const pipfile = new Doc('poetry.lock');
  for (const name of ['cryptography', 'pyjwt', 'keyring']) {
    pipfile.add('[[package]]', `name = "${name}"`, 'version = "42.0.5"');
    pipfile.negative('hash', [`    {file = "${name}-42.0.5.tar.gz", hash = "sha256:${f.hex(64)}"},`]);
  }

  const docker = new Doc('services/edge/Dockerfile');
  docker.negative('digest', [`FROM node:20-alpine@sha256:${f.hex(64)}`]);
  docker.negative('checksum', [`ENV TOKENIZER_SHA256=${f.hex(64)}`]);
  docker.negative('checksum', [`RUN echo "${f.hex(64)}  /tmp/vault.zip" | sha256sum -c -`]);
  docker.negative('environment-read', ['ARG NPM_TOKEN']);
  docker.negative('environment-read', ['RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci']);

  const css = new Doc('src/styles/login.css');
  css.add('.password-field {');
  css.negative('data-uri', [`  background-image: url("data:image/png;base64,${f.b64(400)}=");`]);
  css.add('}', '.token-badge {');
  css.negative('data-uri', [`  mask: url(data:image/svg+xml;base64,${f.b64(240)});`]);
  css.add('}');

  const icons = new Doc('src/components/icons.ts');
  icons.negative('data-uri', [`export const passwordIcon = "data:image/png;base64,${f.b64(300)}==";`]);
  icons.negative('data-uri', [`export const tokenIcon = 'data:image/svg+xml;base64,${f.b64(200)}';`]);
  icons.negative('base64-image', [`const secretImage = "${cat('iVBORw0KGgoAAAANSUhEUgAA')}${f.b64(120)}";`]);

  const ids = new Doc('test/fixtures/orders.json');
  ids.add('[');
  for (let i = 0; i < 4; i++) {
    ids.negative('uuid', [`  { "id": "${f.uuid()}", "tokenId": "${f.uuid()}", "checksum": "${f.hex(40)}" },`]);
  }
  ids.add(']');

  const git = new Doc('.github/workflows/pin.yml');
  for (let i = 0; i < 3; i++) git.negative('pinned-action', [`      - uses: actions/setup-node@${f.hex(40)} # v4`]);
  git.negative('hash', [`          cache-dependency-path-hash: ${f.hex(64)}`]);

  return [lock, yarn, gosum, pipfile, docker, css, icons, ids, git].map((d) => d.build());
}

/** Multi-line and structured secrets: keys, service-account JSON, credentials files, tokens in commands. */
function structuredSecrets(f: Fakes): CorpusFile[] {
  const files: CorpusFile[] = [];
  const kinds = ['rsa', 'ec', 'pkcs8', 'openssh', 'dsa', 'encrypted'] as const;
  kinds.forEach((kind, i) => {
    const doc = new Doc(['deploy/keys/server.key', 'certs/ec.pem', 'config/jwt/private.pem', '.ssh/id_ed25519', 'legacy/dsa.key', 'certs/encrypted.pem'][i]);
    doc.secret('private-key', f.pemLines(f.privateKeyLabel(kind), 10 + i), 0);
    files.push(doc.build());
  });
  const encryptedRsa = new Doc('certs/legacy-encrypted.key');
  encryptedRsa.secret('private-key', f.pemLines(f.privateKeyLabel('rsa'), 12, ['Proc-Type: 4,ENCRYPTED', `DEK-Info: AES-128-CBC,${f.hex(32).toUpperCase()}`]), 0);
  files.push(encryptedRsa.build());

  const pgp = new Doc('release/signing-key.asc');
  pgp.secret('private-key', f.pgpPrivateKeyLines(), 0);
  files.push(pgp.build());

  // A private key inside YAML and inside a JS template literal.
  const tlsSecret = new Doc('deploy/k8s/tls-secret.yaml');
  tlsSecret.add('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: api-tls', 'type: kubernetes.io/tls', 'stringData:', '  tls.key: |');
  tlsSecret.secret('private-key', f.pemLines(f.privateKeyLabel('pkcs8'), 12).map((l) => '    ' + l), 0);
  tlsSecret.add('  tls.crt: |');
  tlsSecret.negative('certificate', f.pemLines('CERTIFICATE', 10).map((l) => '    ' + l), 0);
  files.push(tlsSecret.build());

  const jsKey = new Doc('src/auth/signing.ts');
  const pem = f.pemLines(f.privateKeyLabel('rsa'), 12);
  jsKey.secret('private-key', [`const SIGNING_KEY = \`${pem[0]}`, ...pem.slice(1), '`;'], 0);
  jsKey.negative('public-key', [`const VERIFY_KEY = \`${f.pemLines('PUBLIC KEY', 6).join('\n')}\`;`], 0);
  files.push(jsKey.build());

  // Google Cloud service-account JSON files.
  for (let i = 0; i < 4; i++) {
    const body = f.pemLines(f.privateKeyLabel('pkcs8'), 25).join('\\n') + '\\n';
    const doc = new Doc([`gcp/service-account.json`, `deploy/gcp/ci-runner-${i}.json`, `secrets/firebase-adminsdk-${i}.json`, `functions/key-${i}.json`][i]);
    doc.add('{', '  "type": "service_account",', `  "project_id": "acme-prod-${f.digits(6)}",`, `  "private_key_id": "${f.hex(40)}",`);
    doc.secret('gcp', [`  "private_key": "${body}",`]);
    doc.add(
      `  "client_email": "ci-runner@acme-prod.iam.gserviceaccount.com",`,
      `  "client_id": "${f.digits(21)}",`,
      '  "auth_uri": "https://accounts.google.com/o/oauth2/auth",',
      '  "token_uri": "https://oauth2.googleapis.com/token",',
      '  "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",',
      '  "universe_domain": "googleapis.com"',
      '}',
    );
    files.push(doc.build());
  }

  // Firebase web config: a Google API key in Firebase context.
  for (let i = 0; i < 4; i++) {
    const doc = new Doc(`src/firebase${i}.js`);
    doc.add("import { initializeApp } from 'firebase/app';", '', 'const firebaseConfig = {');
    doc.secret('firebase', [`  apiKey: "${f.googleApiKey()}",`]);
    doc.add(`  authDomain: "acme-${i}.firebaseapp.com",`, `  projectId: "acme-${i}",`, `  messagingSenderId: "${f.digits(12)}",`, `  appId: "1:${f.digits(12)}:web:${f.hex(22)}"`, '};', 'export const app = initializeApp(firebaseConfig);');
    files.push(doc.build());
  }

  // AWS credentials files and CLI profiles.
  for (let i = 0; i < 4; i++) {
    const doc = new Doc(i % 2 ? `deploy/aws/credentials-${i}` : `.aws/credentials.${i}.ini`);
    doc.add('[default]');
    doc.secret('aws', [`aws_access_key_id = ${f.awsKeyId()}`]);
    doc.secret('aws', [`aws_secret_access_key = ${f.awsSecret()}`]);
    doc.add('region = eu-west-1');
    files.push(doc.build());
  }
  const awsJs = new Doc('src/storage/s3.js');
  awsJs.add("const { S3Client } = require('@aws-sdk/client-s3');", 'const s3 = new S3Client({', "  region: 'eu-west-1',", '  credentials: {');
  awsJs.secret('aws', [`    accessKeyId: '${f.awsKeyId()}',`]);
  awsJs.secret('aws', [`    secretAccessKey: '${f.awsSecret()}',`]);
  awsJs.add('  },', '});');
  files.push(awsJs.build());
  const awsPy = new Doc('scripts/backup.py');
  awsPy.add('import boto3', '', 'session = boto3.session.Session(');
  awsPy.secret('aws', [`    aws_access_key_id="${f.awsKeyId()}",`]);
  awsPy.secret('aws', [`    aws_secret_access_key="${f.awsSecret()}",`]);
  awsPy.add(')');
  files.push(awsPy.build());

  // Tokens inside commands and headers rather than assignments.
  const curl = new Doc('scripts/smoke-test.sh');
  curl.add('#!/bin/sh', 'set -e');
  curl.secret('github', [`curl -sf -H "Authorization: token ${f.githubToken('p')}" https://api.github.com/user`]);
  curl.secret('stripe', [`curl https://api.stripe.com/v1/charges -u ${f.stripeKey('live')}:`]);
  curl.secret('slack', [`curl -X POST -H 'Content-type: application/json' --data '{"text":"deployed"}' ${f.slackWebhook()}`]);
  curl.secret('url-password', [`git clone https://deploy:${f.alnum(20)}@git.acme.dev/platform/infra.git`]);
  curl.secret('jwt', [`curl -H "Authorization: Bearer ${f.jwt({ sub: 'ci', role: 'admin', iat: 1700000000 })}" https://api.acme.dev/admin`]);
  curl.secret('npm', [`echo "//registry.npmjs.org/:_authToken=${f.npmToken()}" > ~/.npmrc`]);
  curl.secret('url-password', [`psql "postgresql://analytics:${f.alnum(18)}@warehouse.acme.dev:5432/analytics" -c 'select 1'`]);
  curl.secret('telegram', [`curl "https://api.telegram.org/bot${f.telegramBotToken()}/sendMessage?chat_id=42&text=up"`]);
  files.push(curl.build());

  const npmrc = new Doc('.npmrc');
  npmrc.add('registry=https://registry.npmjs.org/');
  npmrc.secret('npm', [`//registry.npmjs.org/:_authToken=${f.npmToken()}`]);
  files.push(npmrc.build());

  const pypirc = new Doc('.pypirc');
  pypirc.add('[pypi]', 'username = __token__');
  pypirc.secret('pypi', [`password = ${f.pypiToken()}`]);
  files.push(pypirc.build());

  // ECS task definition: name/value pairs in JSON.
  const ecs = new Doc('deploy/ecs/task-definition.json');
  ecs.add('{', '  "family": "api",', '  "containerDefinitions": [{', '    "name": "api",', '    "environment": [');
  ecs.secret('generic-password', [`      { "name": "DB_PASSWORD", "value": "${f.strongPassword()}" },`]);
  ecs.secret('datadog', [`      { "name": "DD_API_KEY", "value": "${f.datadogApiKey()}" },`]);
  ecs.negative('environment-read', ['      { "name": "API_TOKEN", "valueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:api-token" },']);
  ecs.add('      { "name": "NODE_ENV", "value": "production" }', '    ]', '  }]', '}');
  files.push(ecs.build());

  // Spring beans and Hadoop-style name/value XML.
  const beans = new Doc('src/main/resources/datasource.xml');
  beans.add('<bean id="dataSource" class="com.zaxxer.hikari.HikariDataSource">', '  <property name="username" value="orders" />');
  beans.secret('generic-password', [`  <property name="password" value="${f.strongPassword()}" />`]);
  beans.negative('environment-read', ['  <property name="password" value="${DB_PASSWORD}" />']);
  beans.add('</bean>');
  files.push(beans.build());

  // Supabase and other JWTs in client code.
  const supa = new Doc('server/supabase-admin.ts');
  supa.add("import { createClient } from '@supabase/supabase-js';");
  supa.secret('supabase', [`const admin = createClient('https://abcd.supabase.co', '${f.supabaseServiceRoleJwt()}');`]);
  supa.negative('jwt-alg-none', [`const unsigned = '${f.jwt({ sub: 'test' }, 'none').replace(/\.[^.]*$/, '.')}';`]);
  supa.negative('jwt-header-only', [`const header = '${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}';`]);
  files.push(supa.build());

  // Discord and Telegram in bot code, Sentry in init code.
  const bot = new Doc('bots/notify.py');
  bot.add('import discord', '', 'client = discord.Client(intents=discord.Intents.default())');
  bot.secret('discord', [`client.run("${f.discordBotToken()}")  # discord bot`]);
  bot.secret('telegram', [`updater = Updater("${f.telegramBotToken()}")`]);
  bot.secret('sentry', [`sentry_sdk.init(dsn="${f.sentryDsn()}", traces_sample_rate=0.1)`]);
  files.push(bot.build());

  const azure = new Doc('src/Acme.Api/appsettings.Production.json');
  azure.add('{', '  "ConnectionStrings": {');
  azure.secret('azure', [`    "Storage": "${f.azureStorageConnectionString()}",`]);
  azure.secret('url-password', [`    "Default": "Server=tcp:acme.database.windows.net,1433;Database=orders;User ID=api;Password=${f.strongPassword()};Encrypt=True"`]);
  azure.add('  },');
  azure.negative('environment-read', ['  "ApiKey": "#{ApiKey}#",']);
  azure.add('  "AllowedHosts": "*"', '}');
  files.push(azure.build());

  const jdbc = new Doc('src/main/resources/application-prod.properties');
  jdbc.secret('url-password', [`spring.datasource.url=jdbc:mysql://orders:${f.alnum(16)}@db.acme.dev:3306/orders`]);
  jdbc.secret('generic-password', [`spring.mail.password=${f.strongPassword()}`]);
  jdbc.negative('environment-read', ['spring.datasource.password=${DB_PASSWORD}']);
  files.push(jdbc.build());

  const tf = new Doc('infra/rds/main.tf');
  tf.add('resource "aws_db_instance" "orders" {', '  engine   = "postgres"', '  username = "orders"');
  tf.secret('generic-password', [`  password = "${f.strongPassword()}"`]);
  tf.add('}', '', 'provider "datadog" {');
  tf.secret('datadog', [`  api_key = "${f.datadogApiKey()}"`]);
  tf.secret('datadog', [`  app_key = "${f.datadogAppKey()}"`]);
  tf.add('}', '', 'provider "cloudflare" {');
  tf.secret('cloudflare', [`  api_token = "${f.cloudflareApiToken()}"`]);
  tf.add('}');
  files.push(tf.build());

  return files;
}

/** Hard negatives shaped like provider tokens: test fixtures, docs, wrong checksums. */
function lookAlikes(f: Fakes): CorpusFile[] {
  const doc = new Doc('test/token-format.test.ts');
  doc.add("import { isToken } from '../src/tokens';", '', "describe('token formats', () => {");
  for (let i = 0; i < 8; i++) {
    doc.negative('wrong-checksum', [`  it('rejects a broken checksum ${i}', () => expect(isToken('${f.githubTokenBadChecksum(f.choose(['p', 'o', 'u', 's', 'r'] as const))}')).toBe(false));`]);
  }
  for (let i = 0; i < 4; i++) doc.negative('wrong-checksum', [`  const npmLike${i} = '${f.npmTokenBadChecksum()}';`]);
  doc.negative('placeholder', [`  const stripeLike = '${['sk', 'test', 'X'.repeat(24)].join('_')}';`]);
  doc.negative('sequential', [`  const slackLike = '${cat('xo', 'xb-', '1234567890-1234567890-abcdefghijklmnopqrstuvwx')}';`]);
  doc.negative('placeholder', [`  const awsLike = '${cat('AKIA', 'X'.repeat(16))}';`]);
  doc.negative('placeholder', [`  const googleLike = '${cat('AI', 'za', 'X'.repeat(35))}';`]);
  doc.negative('documented-example', [`  const awsDoc = '${cat('AKIA', 'IOSFODNN7', 'EXAMPLE')}';`]);
  doc.add('});');

  const readme = new Doc('docs/configuration.md');
  readme.negative('docs', ['Set `STRIPE_SECRET_KEY` to your live secret key (it starts with `sk_live_`).']);
  readme.negative('docs', ['Tokens look like `ghp_` followed by 36 characters; never paste them here.']);
  readme.negative('docs', ['export OPENAI_API_KEY="sk-..."']);
  readme.negative('docs', [`DATABASE_URL=${withUserinfo('postgres', 'USER', 'PASSWORD', 'HOST:5432/DB')}`]);
  readme.negative('docs', ['password: <your password>']);
  readme.negative('docs', ['api_key: YOUR_API_KEY']);
  readme.negative('docs', ['    "token": "<token>"']);

  const env = new Doc('.env.test');
  env.negative('repeated', ['SESSION_SECRET=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa']);
  env.negative('sequential', ['API_KEY=0123456789abcdef0123456789abcdef']);
  env.negative('placeholder', ['JWT_SECRET=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx']);
  env.negative('placeholder', ['STRIPE_SECRET_KEY=sk_test_your_key_here']);
  env.negative('reference', ['DB_PASSWORD=${POSTGRES_PASSWORD}']);
  env.negative('local-dev-url', [`REDIS_URL=${withUserinfo('redis', 'default', 'redis', 'localhost:6379')}`]);
  env.negative('local-dev-url', [`AMQP_URL=${withUserinfo('amqp', 'guest', 'guest', 'localhost:5672')}`]);
  env.negative('local-dev-url', [`DATABASE_URL=${withUserinfo('mysql', 'root', 'root', '127.0.0.1:3306/test')}`]);
  env.negative('reference-url', ['MONGO_URL=mongodb://app:${MONGO_PASSWORD}@mongo:27017/app']);
  env.negative('format-string', ['DSN_TEMPLATE=postgres://%s:%s@%s:5432/%s']);

  const certs = new Doc('certs/ca-bundle.pem');
  certs.negative('certificate', f.pemLines('CERTIFICATE', 14), 0);
  certs.negative('public-key', f.pemLines('PUBLIC KEY', 6), 0);
  certs.negative('placeholder-key', [`-----BEGIN ${f.privateKeyLabel('rsa')}-----`, '...', `-----END ${f.privateKeyLabel('rsa')}-----`], 0);

  const authorized = new Doc('deploy/authorized_keys');
  for (let i = 0; i < 3; i++) authorized.negative('public-key', [`ssh-rsa ${cat('AAAAB3NzaC1yc2EAAAADAQABAAABAQ', f.b64(340))} ops${i}@acme`]);

  return [doc, readme, env, certs, authorized].map((d) => d.build());
}

export function generateCorpus(seed = 20251125): CorpusFile[] {
  const f = new Fakes(seed);
  return [
    ...assignmentFiles(f),
    ...structuredSecrets(f),
    ...environmentReads(),
    ...wordsNotSecrets(f),
    ...hashesAndData(f),
    ...lookAlikes(f),
    ...hardCases(f),
  ];
}
