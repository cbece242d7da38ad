import { Fakes, cat } from '../support/fakes';
import { Doc, type CorpusFile } from './doc';

// The cases that separate a useful scanner from a noisy one: secrets written the way real code
// writes them (typed constants, setters, query strings, two-line name/value pairs, Terraform
// variable defaults) and look-alikes that are safe to commit (encrypted values, aliases, version
// ranges, template expressions, validation rules).

function typedLanguages(f: Fakes): CorpusFile[] {
  const files: Array<[string, Array<[string, string | undefined]>]> = [
    ['src/lib/payments.ts', [
      [`export const stripeSecret: string = "${f.stripeKey('live')}";`, 'stripe'],
      [`const dbPassword: string = "${f.strongPassword()}";`, 'generic-password'],
      [`export const apiKey: Readonly<string> = '${f.apiKey(32)}';`, 'generic-credential'],
      ['const password: string = process.env.DB_PASSWORD ?? "";', undefined],
      ['let token: string | undefined = undefined;', undefined],
      ['function login(username: string, password: string): Promise<Session> {', undefined],
    ]],
    ['src/config.rs', [
      [`const API_KEY: &str = "${f.apiKey(40)}";`, 'generic-credential'],
      [`static DB_PASSWORD: &'static str = "${f.strongPassword()}";`, 'generic-password'],
      ['let password: String = std::env::var("DB_PASSWORD")?;', undefined],
      ['pub struct Credentials { pub password: SecretString, pub token: Option<String> }', undefined],
    ]],
    ['internal/mail/smtp.go', [
      [`var smtpPassword string = "${f.humanPassword()}"`, 'generic-password'],
      [`const webhookSecret string = "${f.alnum(32)}"`, 'generic-credential'],
      ['var password string', undefined],
      ['func Dial(host string, password string) (*Client, error) {', undefined],
    ]],
    ['app/src/main/kotlin/com/acme/Keys.kt', [
      [`    const val API_SECRET: String = "${f.b64url(40)}"`, 'generic-credential'],
      [`    private val dbPassword = "${f.strongPassword()}"`, 'generic-password'],
      ['    val password: String by lazy { System.getenv("DB_PASSWORD") }', undefined],
    ]],
    ['ios/Acme/Secrets.swift', [
      [`    static let apiKey: String = "${f.apiKey(32)}"`, 'generic-credential'],
      [`    let clientSecret = "${f.b64url(40)}"`, 'generic-credential'],
      ['    let password: String = Keychain.shared["password"] ?? ""', undefined],
    ]],
    ['app/settings/typed.py', [
      [`DB_PASSWORD: str = "${f.strongPassword()}"`, 'generic-password'],
      [`API_TOKEN: Final[str] = "${f.b64url(40)}"`, 'generic-credential'],
      ['def connect(host: str, password: str = "") -> Connection: ...', undefined],
      ['password: str = Field(..., min_length=12)', undefined],
    ]],
  ];
  return files.map(([path, lines]) => {
    const doc = new Doc(path);
    for (const [line, provider] of lines) {
      if (provider) doc.secret(provider, [line]);
      else doc.negative('typed-declaration', [line]);
    }
    return doc.build();
  });
}

function callsAndQueries(f: Fakes): CorpusFile[] {
  const java = new Doc('src/main/java/com/acme/db/DataSourceFactory.java');
  java.add('    HikariDataSource ds = new HikariDataSource();', '    ds.setUsername("orders");');
  java.secret('generic-password', [`    ds.setPassword("${f.strongPassword()}");`]);
  java.secret('generic-credential', [`    props.put("api.secret", "${f.b64url(40)}");`]);
  java.secret('generic-credential', [`    Client client = Client.builder().apiKey("${f.apiKey(32)}").build();`]);
  java.negative('call', ['    ds.setPassword(System.getenv("DB_PASSWORD"));']);
  java.negative('call', ['    String password = vault.getPassword("orders-db");']);
  java.negative('call', ['    props.put("password", password);']);
  java.negative('call', ['    builder.password(config.getPassword());']);

  const php = new Doc('wp-config.php');
  php.add("<?php", "define( 'DB_NAME', 'wordpress' );", "define( 'DB_USER', 'wp' );");
  php.secret('generic-password', [`define( 'DB_PASSWORD', '${f.strongPassword()}' );`]);
  php.secret('generic-credential', [`define( 'AUTH_KEY', '${f.pick('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#%^&*()-_[]{}<>~+=,.;:/?|', 64).replace(/'/g, '')}' );`]);
  php.negative('environment-read', ["define( 'DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') );"]);
  php.negative('placeholder', ["define( 'SECURE_AUTH_KEY', 'put your unique phrase here' );"]);

  const urls = new Doc('config/database.properties');
  urls.secret('generic-password', [`db.url=jdbc:postgresql://db.acme.dev:5432/orders?user=orders&password=${f.alnum(18)}&ssl=true`]);
  urls.secret('generic-credential', [`search.endpoint=https://search.acme.dev/v1/query?api_key=${f.apiKey(32)}&format=json`]);
  urls.negative('reference', ['db.url=jdbc:postgresql://db:5432/orders?user=orders&password=${DB_PASSWORD}']);
  urls.negative('placeholder', ['docs.example=https://api.acme.dev/v1?api_key=YOUR_API_KEY']);

  const cs = new Doc('src/Acme.Web/Web.config.xml');
  cs.add('<connectionStrings>');
  cs.secret('generic-password', [`  <add name="Orders" connectionString="Server=sql.acme.dev;Database=orders;User Id=app;Password=${f.strongPassword()};" providerName="System.Data.SqlClient" />`]);
  cs.negative('reference', ['  <add name="Reports" connectionString="Server=sql;Database=reports;Integrated Security=True;" />']);
  cs.add('</connectionStrings>');

  const shell = new Doc('scripts/ops.sh');
  shell.add('#!/bin/sh');
  shell.secret('generic-password', [`mysqldump --user=backup --password=${f.alnum(20)} orders > /backups/orders.sql`]);
  shell.secret('generic-password', [`docker login registry.acme.dev --username ci --password '${f.strongPassword()}'`]);
  shell.negative('reference', ['docker login registry.acme.dev --username ci --password-stdin < "$REGISTRY_PASSWORD_FILE"']);
  shell.negative('reference', ['mysql --user=root --password="$MYSQL_ROOT_PASSWORD" -e "select 1"']);

  return [java, php, urls, cs, shell].map((d) => d.build());
}

function configShapes(f: Fakes): CorpusFile[] {
  const tf = new Doc('infra/variables.tf');
  tf.add('variable "region" {', '  default = "eu-west-1"', '}', '');
  tf.secret('generic-password', ['variable "db_password" {', '  type      = string', '  sensitive = true', `  default   = "${f.strongPassword()}"`]);
  tf.add('}', '');
  tf.negative('no-default', ['variable "api_token" {', '  type      = string', '  sensitive = true', '}'], 0);

  const rails = new Doc('config/database.yml');
  rails.add('default: &default', '  adapter: postgresql', '  pool: 5', '', 'production:', '  <<: *default', '  database: orders_production', '  username: orders');
  rails.secret('generic-password', [`  password: ${f.strongPassword()}`]);
  rails.add('', 'staging:', '  <<: *default');
  rails.negative('reference', ['  password: <%= ENV["DATABASE_PASSWORD"] %>']);
  rails.negative('yaml-alias', ['  password: *staging_password']);

  const sops = new Doc('deploy/secrets.enc.yaml');
  sops.negative('encrypted', [`db_password: ENC[AES256_GCM,data:${f.b64(24)},iv:${f.b64(43)}=,tag:${f.b64(22)}==,type:str]`]);
  sops.negative('encrypted', [`api_token: ENC[AES256_GCM,data:${f.b64(40)},iv:${f.b64(43)}=,tag:${f.b64(22)}==,type:str]`]);
  sops.add('sops:', '    kms: []', `    lastmodified: "2025-10-01T10:00:00Z"`);
  sops.negative('encrypted', [`    mac: ENC[AES256_GCM,data:${f.b64(80)},iv:${f.b64(43)}=,tag:${f.b64(22)}==,type:str]`]);

  const sealed = new Doc('deploy/k8s/sealed-secret.yaml');
  sealed.add('apiVersion: bitnami.com/v1alpha1', 'kind: SealedSecret', 'metadata:', '  name: api', 'spec:', '  encryptedData:');
  sealed.negative('encrypted', [`    DB_PASSWORD: AgB${f.b64(500)}`]);
  sealed.negative('encrypted', [`    API_TOKEN: AgC${f.b64(500)}`]);

  const maven = new Doc('deploy/maven/settings-security.xml');
  maven.add('<settings>', '  <servers>', '    <server>', '      <id>central</id>');
  maven.negative('encrypted', [`      <password>{${f.b64(24)}=}</password>`]);
  maven.add('    </server>', '  </servers>', '</settings>');

  const jasypt = new Doc('src/main/resources/application-secure.properties');
  jasypt.negative('encrypted', [`spring.datasource.password=ENC(${f.b64(44)})`]);
  jasypt.secret('generic-password', [`spring.rabbitmq.password=${f.strongPassword()}`]);

  const ini = new Doc('alembic.ini');
  ini.add('[alembic]', 'script_location = migrations');
  ini.secret('url-password', [`sqlalchemy.url = postgresql+psycopg2://alembic:${f.alnum(16)}@db.acme.dev/orders`]);
  ini.add('', '[smtp]', 'host = smtp.acme.dev');
  ini.secret('generic-password', [`password = ${f.strongPassword()}`]);

  const pkg = new Doc('package.json');
  pkg.add('{', '  "name": "@acme/auth",', '  "dependencies": {');
  pkg.negative('version-range', ['    "@octokit/auth-token": "^4.0.0-beta.1",']);
  pkg.negative('version-range', ['    "passport-jwt-secret": ">=1.10.12",']);
  pkg.negative('version-range', ['    "secret-handshake": "~1.1.20",']);
  pkg.add('  },', '  "scripts": {');
  pkg.negative('script', ['    "token:rotate": "node scripts/rotate-token.js --dry-run",']);
  pkg.negative('script', ['    "secrets:pull": "doppler secrets download --no-file --format env > .env"']);
  pkg.add('  }', '}');

  const laravel = new Doc('app/Http/Requests/RegisterRequest.php');
  laravel.negative('validation-rule', ["            'password' => 'required|string|min:12|confirmed',"]);
  laravel.negative('validation-rule', ["            'api_token' => 'nullable|alpha_num|size:64',"]);

  const django = new Doc('app/settings/auth.py');
  django.negative('words-not-secrets', ["    {'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'},"]);
  django.negative('words-not-secrets', ["PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']"]);
  django.negative('words-not-secrets', ['oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")']);
  django.secret('generic-credential', [`SECRET_KEY = 'django-insecure-${f.pick('abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)', 50)}'`]);

  const i18n = new Doc('src/i18n/es.ts');
  i18n.negative('i18n', ["  password: 'Contraseña',"]);
  i18n.negative('i18n', ["  token: 'トークン',"]);
  i18n.negative('i18n', ["  passwordReset: 'Restablecer contraseña',"]);
  i18n.negative('i18n', ["  secretQuestion: '¿Cuál es el nombre de tu primera mascota?',"]);

  const nulls = new Doc('config/defaults.yaml');
  nulls.negative('empty', ['password: null']);
  nulls.negative('empty', ['api_key: ""']);
  nulls.negative('empty', ['secret: false']);
  nulls.negative('empty', ['token: ~']);
  nulls.negative('template', ['password: "{{ env "DB_PASSWORD" }}"']);
  nulls.negative('template', ['api_key: "{{ .Values.apiKey | b64enc }}"']);
  nulls.negative('regex', ['password_pattern: "^(?=.*[A-Z])(?=.*[0-9]).{12,}$"']);

  return [tf, rails, sops, sealed, maven, jasypt, ini, pkg, laravel, django, i18n, nulls].map((d) => d.build());
}

function providersInProse(f: Fakes): CorpusFile[] {
  // Secrets pasted into docs, comments and logs are still leaks.
  const notes = new Doc('docs/runbook.md');
  notes.add('# Runbook', '', 'If the deploy fails, check the token first.');
  notes.secret('gitlab', [`Use the deploy token \`${f.gitlabToken('dt')}\` for the mirror (rotate after the migration).`]);
  notes.secret('openai', [`    OPENAI_API_KEY=${f.openAiKey('proj')} python eval.py`]);
  notes.secret('aws', [`aws configure set aws_access_key_id ${f.awsKeyId()}`]);
  notes.secret('aws', [`aws configure set aws_secret_access_key ${f.awsSecret()}`]);
  notes.negative('docs', ['Never commit `.env`; the pre-commit hook runs `launch-ready scan`.']);

  const log = new Doc('logs/deploy-2025-11-02.log');
  log.add('2025-11-02T10:00:00Z info starting deploy');
  log.secret('slack', [`2025-11-02T10:00:01Z debug posting to ${f.slackWebhook()}`]);
  log.secret('sendgrid', [`2025-11-02T10:00:02Z debug mailer configured key=${f.sendgridKey()}`]);
  log.negative('log', [`2025-11-02T10:00:03Z info request_id=${f.uuid()} token_type=bearer status=200`]);
  log.negative('log', [`2025-11-02T10:00:04Z info commit=${f.hex(40)} image=sha256:${f.hex(64)}`]);

  const comment = new Doc('src/legacy/client.py');
  comment.secret('github', [`# old token, do not use: ${f.githubToken('p')}`]);
  comment.secret('anthropic', [`    # client = Anthropic(api_key="${f.anthropicKey()}")`]);
  comment.negative('comment', ['# TODO: move the api key to the secret manager']);

  return [notes, log, comment].map((d) => d.build());
}

function everydayShapes(f: Fakes): CorpusFile[] {
  const gradle = new Doc('android/app/build.gradle');
  gradle.add('android {', '    signingConfigs {', '        release {', "            storeFile file('release.keystore')");
  gradle.secret('generic-password', [`            storePassword "${f.strongPassword()}"`]);
  gradle.add("            keyAlias 'release'");
  gradle.secret('generic-password', [`            keyPassword '${f.strongPassword()}'`]);
  gradle.add('        }', '        debug {');
  gradle.negative('reference', ['            storePassword System.getenv("KEYSTORE_PASSWORD")']);
  gradle.negative('reference', ['            keyPassword project.findProperty("keyPassword") ?: ""']);
  gradle.add('        }', '    }', '}');

  const netrc = new Doc('deploy/.netrc');
  netrc.secret('generic-password', [`machine git.acme.dev login ci-bot password ${f.alnum(24)}`]);
  netrc.secret('heroku', [`machine api.heroku.com login ops@acme.dev password ${f.herokuApiKey()}`]);

  const cnf = new Doc('deploy/mysql/my.cnf');
  cnf.add('[client]', 'user=backup');
  cnf.secret('generic-password', [`password=${f.strongPassword()}`]);
  cnf.add('host=db.acme.dev');

  const postman = new Doc('docs/api.postman_collection.json');
  postman.add('{', '  "variable": [');
  postman.negative('reference', ['    {"key": "token", "value": "{{token}}", "type": "string"},']);
  postman.secret('generic-credential', [`    {"key": "apiKey", "value": "${f.apiKey(32)}", "type": "string"},`]);
  postman.add('    {"key": "baseUrl", "value": "https://api.acme.dev"}', '  ]', '}');

  const code = new Doc('src/bootstrap/env_setup.py');
  code.add('import os', '');
  code.secret('generic-credential', [`os.environ["API_KEY"] = "${f.apiKey(32)}"`]);
  code.negative('placeholder', ['os.environ.setdefault("SECRET_KEY", "dev-secret-key-change-me")']);
  code.negative('call', ['cookie_secret = hashlib.sha256(b"static").hexdigest()']);
  code.negative('reference', ['headers = {"Authorization": f"Bearer {token}"}']);
  code.negative('call', ['SECRET_KEY = env.str("SECRET_KEY")']);
  code.negative('call', ['PASSWORD_CHARS = string.ascii_letters + string.digits']);

  const go = new Doc('cmd/seed/main.go');
  go.secret('generic-credential', [`	os.Setenv("API_KEY", "${f.apiKey(32)}")`]);
  go.negative('identifier', ['	const tokenHeader = "X-Auth-Token-Signature-V2"']);

  const objc = new Doc('ios/Acme/AppKeys.m');
  objc.secret('generic-credential', [`NSString *const kAPIKey = @"${f.apiKey(32)}";`]);

  const ansible = new Doc('ansible/host_vars/web1.yml');
  ansible.secret('generic-password', [`ansible_become_pass: ${f.strongPassword()}`]);
  ansible.negative('reference', ['ansible_ssh_pass: "{{ vault_ssh_pass }}"']);
  ansible.negative('reference', ["api_key: \"{{ lookup('aws_ssm', '/prod/api_key') }}\""]);
  ansible.negative('reference', ['password: !vault |']);

  const web = new Doc('src/components/LoginForm.tsx');
  web.negative('words-not-secrets', ['      <input type="password" name="password" placeholder="••••••••" autocomplete="current-password" />']);
  web.negative('words-not-secrets', ['  const [password, setPassword] = useState("");']);
  web.negative('words-not-secrets', ['  password: yup.string().required("Password is required"),']);
  web.negative('words-not-secrets', ['  token: z.string().min(32).max(64),']);
  web.negative('words-not-secrets', ['const ACCESS_TOKEN_COOKIE = "__Host-acme_access_token";']);
  web.negative('template', ['const tokenKey = `user:${userId}:refresh-token`;']);
  web.negative('words-not-secrets', ['const secretPath = "kv/data/production/payments";']);
  web.negative('words-not-secrets', ['const secret = crypto.randomBytes(32).toString("hex");']);

  const publicKeys = new Doc('apps/web/.env.production.local');
  publicKeys.negative('publishable-key', [`ALGOLIA_SEARCH_API_KEY=${f.hex(32)}`]);
  publicKeys.negative('publishable-key', [`MAPBOX_ACCESS_TOKEN=pk.${f.jwt({ u: 'acme', a: f.alnum(10) }).split('.').slice(1).join('.')}`]);
  publicKeys.negative('publishable-key', [`NEXT_PUBLIC_STRIPE_KEY=${['pk', 'live', f.alnum(24)].join('_')}`]);
  publicKeys.secret('generic-credential', [`ALGOLIA_ADMIN_API_KEY=${f.hex(32)}`]);

  const search = new Doc('src/search/client.ts');
  search.negative('publishable-key', [`  searchOnlyApiKey: "${f.hex(32)}",`]);

  const infra = new Doc('infra/cloudformation/db.yaml');
  infra.negative('reference', ['      MasterUserPassword: !Sub "{{resolve:secretsmanager:${DbSecret}:SecretString:password}}"']);
  infra.negative('words-not-secrets', ['                secretKeyRef: {name: db-credentials, key: password}']);
  infra.negative('words-not-secrets', ['      token_endpoint_auth_method: client_secret_basic']);
  infra.negative('words-not-secrets', ['      grant_types: [authorization_code, refresh_token]']);

  const java = new Doc('src/main/java/com/acme/auth/Rules.java');
  java.negative('regex', ['    private static final String PASSWORD_REGEX = "^(?=.*[0-9])(?=.*[a-z]).{8,}$";']);
  java.negative('words-not-secrets', ['    @JsonProperty("password") private String password;']);
  java.negative('words-not-secrets', ['    private static final String SECRET_HEADER = "X-Webhook-Signature";']);

  const sql = new Doc('db/seed.sql');
  sql.negative('hash', [`INSERT INTO users (email, password) VALUES ('ops@acme.dev', '$2a$10$${f.b64(53).replace(/\+/g, '.')}');`]);

  return [gradle, netrc, cnf, postman, code, go, objc, ansible, web, publicKeys, search, infra, java, sql, ...thirdPartyText(f)].map((d) => d.build());
}

/** What a scan of vendored packages and docs runs into: badges, CLI help, translations, bundles. */
function thirdPartyText(f: Fakes): Doc[] {
  const readme = new Doc('vendor/cacheable/README.md');
  readme.negative('badge-token', [`[![codecov](https://codecov.io/gh/acme/cache/graph/badge.svg?token=${f.alnum(10)})](https://codecov.io/gh/acme/cache)`]);
  readme.negative('cli-help', ['  --secretlintrc     [path:String] path to .secretlintrc config file. Default: .secretlintrc.*']);
  readme.negative('cli-help', ['  --token-file       [path:String] file that holds the token']);
  readme.negative('cli-help', ['  --password-stdin   read the password from stdin']);
  readme.secret('generic-credential', [`  curl -sf "https://api.acme.dev/v1/export?format=csv&access_token=${f.b64url(40)}"`]);

  const zh = new Doc('vendor/typescript/lib/zh-cn/diagnosticMessages.generated.json');
  zh.negative('i18n', ['  "The_parser_expected_to_find_a_1_to_match_the_0_token_here_1007": "分析器预期在此处找到与“{0}”标记匹配的“{1}”。",']);
  zh.negative('i18n', ['  "Password_is_required_1008": "パスワードが必要です。",']);

  const bundle = new Doc('vendor/x509/build/x509.js');
  bundle.negative('code-in-string', [`if(r)return;throw new Error('Attempted to resolve unregistered dependency token: "'+e.toString()+'"');`]);
  bundle.negative('minified-code', ['const e=ci.parse(this.values[0],Ju,this.parseOptions);this.password=e.toString(),this.kind=1;']);
  // Provider settings that are identifiers, next to the ones that are secrets.
  const ids = new Doc('services/billing/.env.production');
  ids.negative('identifier', [`HEROKU_APP_ID=${f.uuid()}`]);
  ids.negative('identifier', [`HEROKU_DYNO_ID=${f.uuid()}`]);
  ids.negative('identifier', [`POSTMARK_MESSAGE_ID=${f.uuid()}`]);
  ids.negative('identifier', [`TWILIO_ACCOUNT_SID=${f.twilioAccountSid()}`]);
  ids.negative('identifier', [`SLACK_CHANNEL_ID=C${f.upperAlnum(10)}`]);
  ids.negative('identifier', [`STRIPE_PRICE_ID=price_${f.alnum(24)}`]);
  ids.negative('identifier', [`GOOGLE_CLIENT_ID=${f.digits(12)}-${f.pick('abcdefghijklmnopqrstuvwxyz0123456789', 32)}.apps.googleusercontent.com`]);
  ids.negative('identifier', [`GITHUB_CLIENT_ID=Iv1.${f.hex(16)}`]);
  ids.negative('identifier', [`SENTRY_RELEASE=${f.hex(40)}`]);
  ids.negative('identifier', ['DD_SITE=datadoghq.eu']);
  ids.secret('generic-credential', [`SLACK_SIGNING_SECRET=${f.hex(32)}`]);
  ids.secret('generic-credential', [`GITHUB_CLIENT_SECRET=${f.hex(40)}`]);
  ids.secret('heroku', [`HEROKU_API_KEY=${f.herokuApiKey()}`]);
  ids.secret('postmark', [`POSTMARK_SERVER_TOKEN=${f.postmarkToken()}`]);
  const lib = new Doc('vendor/python/crypto_backend.py');
  lib.negative('type-name', ['        backend: "Backend", private_key: "_DSAPrivateKey", data: bytes']);
  lib.negative('format-string', ['    print(f"password={password!r}")']);
  lib.negative('format-string', ["_token_terminator = r'(?=\\^?[%s]|[%s%s])' % (_ws, _punct, _nl)"]);
  lib.negative('documentation-host', [`    proxy = "${['https://user', 'he%2F%2Fo@proxy.example.com:8080'].join(':')}"`]);
  return [readme, zh, bundle, ids, lib];
}

export function hardCases(f: Fakes): CorpusFile[] {
  return [...typedLanguages(f), ...callsAndQueries(f), ...configShapes(f), ...providersInProse(f), ...encodedManifests(f), ...everydayShapes(f)];
}

function encodedManifests(f: Fakes): CorpusFile[] {
  const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const doc = new Doc('deploy/k8s/secret-data.yaml');
  doc.add('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: orders-db', 'type: Opaque', 'data:');
  doc.secret('generic-password', [`  password: ${base64(f.strongPassword())}`]);
  doc.secret('generic-credential', [`  api-key: ${base64(f.apiKey(32))}`]);
  doc.add(`  username: ${base64('orders')}`);
  const docker = new Doc('deploy/k8s/registry-secret.yaml');
  docker.add('apiVersion: v1', 'kind: Secret', 'type: kubernetes.io/dockerconfigjson', 'stringData:');
  docker.secret('github', [`  .dockerconfigjson: '{"auths":{"ghcr.io":{"username":"ci","password":"${f.githubToken('p')}"}}}'`]);
  return [doc.build(), docker.build(), awsEnvAndCompose(f)];
}

function awsEnvAndCompose(f: Fakes): CorpusFile {
  const doc = new Doc('.env.ci');
  doc.secret('aws', [`AWS_ACCESS_KEY_ID=${f.awsKeyId()}`]);
  doc.secret('aws', [`AWS_SECRET_ACCESS_KEY=${f.awsSecret()}`]);
  doc.secret('aws', [`AWS_SESSION_TOKEN=${cat('IQoJb3JpZ2luX2Vj', f.b64(300))}`]);
  doc.negative('reference', ['AWS_PROFILE=production']);
  return doc.build();
}
