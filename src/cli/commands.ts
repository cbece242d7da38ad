// The commands that need the launch.yaml parser, the resolver and the HTTP client. The CLI
// bundle loads this module (dist/cli-commands.js) only when one of them runs, so a scan (every
// pre-commit hook, every CI job) starts without parsing two megabytes it never uses.
export { runAuditCommand } from './audit';
export { runDocs } from './docs';
export { runEnv } from './env';
export { runInit } from './init';
export { runSpf } from './spf';
