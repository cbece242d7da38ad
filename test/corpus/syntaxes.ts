// How each kind of file in a real repository writes "this name has this value", so the corpus can
// put the same secret (or the same harmless look-alike) into every syntax the scanner must read.

export type KeyWords = readonly string[];

export const upper = (key: KeyWords) => key.join('_').toUpperCase();
export const snake = (key: KeyWords) => key.join('_').toLowerCase();
export const camel = (key: KeyWords) => key.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
export const pascal = (key: KeyWords) => key.map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase()).join('');
export const dotted = (key: KeyWords) => key.join('.').toLowerCase();

/** One entry in a file: either a `key = value` in the file's syntax or verbatim lines. */
export interface Assignment {
  key: KeyWords;
  value: string;
}

export interface Syntax {
  id: string;
  language: string;
  path: (n: number) => string;
  head: (n: number) => string[];
  tail: string[];
  /** Lines that assign `value` to `key`; the value sits on the last line. */
  assign: (a: Assignment, variant: number) => string[];
  /** Lines that read `key` from the environment or a secret store instead; never a finding. */
  reference: (key: KeyWords, variant: number) => string[];
  /** Harmless lines that make the file look like the real thing. */
  filler: string[];
}

export const SYNTAXES: readonly Syntax[] = [
  {
    id: 'js',
    language: 'JavaScript',
    path: (n) => `src/config/service${n}.js`,
    head: () => ["'use strict';", '', "const axios = require('axios');", ''],
    tail: ['', 'module.exports = { http: axios.create({ timeout: 5000 }) };'],
    assign: ({ key, value }, v) => [v % 2 ? `const ${camel(key)} = '${value}';` : `exports.${camel(key)} = "${value}";`],
    reference: (key, v) => [v % 2 ? `const ${camel(key)} = process.env.${upper(key)};` : `const ${camel(key)} = process.env['${upper(key)}'] || '';`],
    filler: ['const retries = 3;', '// keep the connection pool warm between invocations', "const region = 'eu-west-1';"],
  },
  {
    id: 'ts',
    language: 'TypeScript',
    path: (n) => `src/lib/clients/client${n}.ts`,
    head: () => ["import { createClient } from './http';", '', 'export const settings = {'],
    tail: ['};', '', 'export default createClient(settings);'],
    assign: ({ key, value }) => [`  ${camel(key)}: "${value}",`],
    reference: (key, v) => [v % 2 ? `  ${camel(key)}: process.env.${upper(key)} ?? "",` : `  ${camel(key)}: import.meta.env.VITE_${upper(key)},`],
    filler: ['  timeoutMs: 10_000,', "  baseUrl: 'https://api.acme.dev/v2',", '  retries: 2,'],
  },
  {
    id: 'py',
    language: 'Python',
    path: (n) => `app/settings_${n}.py`,
    head: () => ['import os', 'from pathlib import Path', '', 'BASE_DIR = Path(__file__).resolve().parent.parent', 'DEBUG = False', ''],
    tail: ['', 'ALLOWED_HOSTS = ["api.acme.dev"]'],
    assign: ({ key, value }, v) => [v % 2 ? `${upper(key)} = "${value}"` : `${upper(key)} = '${value}'`],
    reference: (key, v) => [v % 2 ? `${upper(key)} = os.environ["${upper(key)}"]` : `${upper(key)} = os.getenv("${upper(key)}", "")`],
    filler: ['TIME_ZONE = "UTC"', 'USE_TZ = True', '# database settings come from the environment in production'],
  },
  {
    id: 'py-call',
    language: 'Python',
    path: (n) => `scripts/sync_job_${n}.py`,
    head: () => ['from acme_sdk import Client', '', '', 'def build_client() -> Client:', '    return Client('],
    tail: ['    )', '', '', 'if __name__ == "__main__":', '    build_client().sync()'],
    assign: ({ key, value }) => [`        ${key.join('_').toLowerCase()}="${value}",`],
    reference: (key) => [`        ${snake(key)}=os.environ.get("${upper(key)}"),`],
    filler: ['        timeout=30,', '        region="eu-west-1",'],
  },
  {
    id: 'go',
    language: 'Go',
    path: (n) => `internal/config/config${n}.go`,
    head: (n) => ['package config', '', 'import "os"', '', `// Settings${n} are read once at start-up.`, 'var ('],
    tail: [')', '', 'func Region() string { return os.Getenv("AWS_REGION") }'],
    assign: ({ key, value }) => [`\t${camel(key)} = "${value}"`],
    reference: (key) => [`\t${camel(key)} = os.Getenv("${upper(key)}")`],
    filler: ['\tmaxRetries = 3', '\tdefaultRegion = "eu-west-1"'],
  },
  {
    id: 'rb',
    language: 'Ruby',
    path: (n) => `config/initializers/integration_${n}.rb`,
    head: () => ['# frozen_string_literal: true', '', 'Rails.application.configure do'],
    tail: ['end'],
    assign: ({ key, value }, v) => [v % 2 ? `  config.${snake(key)} = "${value}"` : `  config.x.${snake(key)} = '${value}'`],
    reference: (key, v) => [v % 2 ? `  config.${snake(key)} = ENV["${upper(key)}"]` : `  config.${snake(key)} = ENV.fetch("${upper(key)}")`],
    filler: ['  config.time_zone = "UTC"', '  config.active_job.queue_adapter = :sidekiq'],
  },
  {
    id: 'java',
    language: 'Java',
    path: (n) => `src/main/java/com/acme/billing/Config${n}.java`,
    head: (n) => ['package com.acme.billing;', '', `public final class Config${n} {`],
    tail: ['', `    private Config() {}`, '}'],
    assign: ({ key, value }) => [`    public static final String ${upper(key)} = "${value}";`],
    reference: (key) => [`    public static final String ${upper(key)} = System.getenv("${upper(key)}");`],
    filler: ['    public static final int MAX_RETRIES = 3;', '    public static final String REGION = "eu-west-1";'],
  },
  {
    id: 'php',
    language: 'PHP',
    path: (n) => `config/services${n}.php`,
    head: () => ['<?php', '', 'return ['],
    tail: ['];'],
    assign: ({ key, value }) => [`    '${snake(key)}' => '${value}',`],
    reference: (key, v) => [v % 2 ? `    '${snake(key)}' => env('${upper(key)}'),` : `    '${snake(key)}' => getenv('${upper(key)}'),`],
    filler: ["    'timeout' => 30,", "    'region' => 'eu-west-1',"],
  },
  {
    id: 'cs',
    language: 'C#',
    path: (n) => `src/Acme.Api/Settings${n}.cs`,
    head: (n) => ['namespace Acme.Api;', '', `public static class Settings${n}`, '{'],
    tail: ['}'],
    assign: ({ key, value }) => [`    public const string ${pascal(key)} = "${value}";`],
    reference: (key) => [`    public static readonly string ${pascal(key)} = Environment.GetEnvironmentVariable("${upper(key)}");`],
    filler: ['    public const int MaxRetries = 3;', '    public const string Region = "westeurope";'],
  },
  {
    id: 'sh',
    language: 'shell',
    path: (n) => `scripts/deploy_${n}.sh`,
    head: () => ['#!/usr/bin/env bash', 'set -euo pipefail', ''],
    tail: ['', 'echo "deploying ${APP_NAME:-api}"', './bin/release'],
    assign: ({ key, value }, v) => [v % 2 ? `export ${upper(key)}="${value}"` : `${upper(key)}='${value}'`],
    reference: (key, v) => [v % 2 ? `export ${upper(key)}="\${${upper(key)}:?${upper(key)} must be set}"` : `${upper(key)}="$(vault kv get -field=value secret/${snake(key)})"`],
    filler: ['cd "$(dirname "$0")/.."', 'npm run build'],
  },
  {
    id: 'dockerfile',
    language: 'Dockerfile',
    path: (n) => `services/worker${n}/Dockerfile`,
    head: () => ['FROM node:20-alpine AS base', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci --omit=dev'],
    tail: ['COPY . .', 'USER node', 'CMD ["node", "dist/worker.js"]'],
    assign: ({ key, value }, v) => [v % 2 ? `ENV ${upper(key)}=${value}` : `ARG ${upper(key)}=${value}`],
    reference: (key, v) => [v % 2 ? `ENV ${upper(key)}=$${upper(key)}` : `RUN --mount=type=secret,id=${snake(key)} cat /run/secrets/${snake(key)} > /dev/null`],
    filler: ['ENV NODE_ENV=production', 'EXPOSE 8080'],
  },
  {
    id: 'yaml',
    language: 'YAML',
    path: (n) => `config/app${n}.yaml`,
    head: () => ['app:', '  name: storefront', '  port: 8080', 'integrations:'],
    tail: ['logging:', '  level: info'],
    assign: ({ key, value }, v) => [v % 2 ? `  ${snake(key)}: ${value}` : `  ${snake(key)}: "${value}"`],
    reference: (key) => [`  ${snake(key)}: \${${upper(key)}}`],
    filler: ['  region: eu-west-1', '  timeout_seconds: 30'],
  },
  {
    id: 'json',
    language: 'JSON',
    path: (n) => `config/billing${n}.json`,
    head: () => ['{', '  "name": "billing-service",', '  "version": "2.4.1",'],
    tail: ['  "region": "eu-west-1"', '}'],
    assign: ({ key, value }) => [`  "${camel(key)}": "${value}",`],
    reference: (key) => [`  "${camel(key)}": "\${${upper(key)}}",`],
    filler: ['  "timeoutMs": 5000,', '  "retries": 3,'],
  },
  {
    id: 'toml',
    language: 'TOML',
    path: (n) => `config/settings${n}.toml`,
    head: () => ['[server]', 'port = 8080', 'host = "0.0.0.0"', '', '[integrations]'],
    tail: ['', '[logging]', 'level = "info"'],
    assign: ({ key, value }) => [`${snake(key)} = "${value}"`],
    reference: (key) => [`${snake(key)} = "env:${upper(key)}"`],
    filler: ['region = "eu-west-1"', 'timeout = 30'],
  },
  {
    id: 'properties',
    language: '.properties',
    path: (n) => `src/main/resources/application-${n}.properties`,
    head: () => ['server.port=8080', 'spring.application.name=orders'],
    tail: ['logging.level.root=INFO'],
    assign: ({ key, value }) => [`app.${dotted(key)}=${value}`],
    reference: (key) => [`app.${dotted(key)}=\${${upper(key)}}`],
    filler: ['spring.jpa.open-in-view=false', 'management.endpoints.web.exposure.include=health'],
  },
  {
    id: 'xml',
    language: 'XML',
    path: (n) => `src/Acme.Web${n}/App.config`,
    head: () => ['<?xml version="1.0" encoding="utf-8"?>', '<configuration>', '  <appSettings>'],
    tail: ['  </appSettings>', '</configuration>'],
    assign: ({ key, value }) => [`    <add key="${pascal(key)}" value="${value}" />`],
    reference: (key) => [`    <add key="${pascal(key)}" value="$(${pascal(key)})" />`],
    filler: ['    <add key="Region" value="westeurope" />', '    <add key="RetryCount" value="3" />'],
  },
  {
    id: 'xml-element',
    language: 'XML',
    path: (n) => `deploy/maven/settings${n}.xml`,
    head: () => ['<settings>', '  <servers>', '    <server>', '      <id>releases</id>', '      <username>deployer</username>'],
    tail: ['    </server>', '  </servers>', '</settings>'],
    assign: ({ key, value }) => [`      <${camel(key)}>${value}</${camel(key)}>`],
    reference: (key) => [`      <${camel(key)}>\${env.${upper(key)}}</${camel(key)}>`],
    filler: ['      <filePermissions>664</filePermissions>'],
  },
  {
    id: 'terraform',
    language: 'Terraform',
    path: (n) => `infra/modules/service${n}/main.tf`,
    head: () => ['provider "aws" {', '  region = "eu-west-1"', '}', '', 'resource "acme_integration" "primary" {', '  name = "primary"'],
    tail: ['}'],
    assign: ({ key, value }) => [`  ${snake(key)} = "${value}"`],
    reference: (key, v) => [v % 2 ? `  ${snake(key)} = var.${snake(key)}` : `  ${snake(key)} = data.aws_secretsmanager_secret_version.${snake(key)}.secret_string`],
    filler: ['  tags = { team = "platform" }'],
  },
  {
    id: 'k8s-secret',
    language: 'Kubernetes',
    path: (n) => `deploy/k8s/secret-${n}.yaml`,
    head: (n) => ['apiVersion: v1', 'kind: Secret', 'metadata:', `  name: app-secrets-${n}`, '  namespace: production', 'type: Opaque', 'stringData:'],
    tail: [],
    assign: ({ key, value }) => [`  ${upper(key)}: "${value}"`],
    reference: (key) => [`  ${upper(key)}: "{{ .Values.${camel(key)} }}"`],
    filler: ['  LOG_LEVEL: "info"'],
  },
  {
    id: 'k8s-deployment',
    language: 'Kubernetes',
    path: (n) => `deploy/k8s/deployment-${n}.yaml`,
    head: (n) => [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: api-${n}`, 'spec:', '  replicas: 2', '  template:', '    spec:',
      '      containers:', '        - name: api', '          image: ghcr.io/acme/api:1.8.2', '          env:',
    ],
    tail: ['          ports:', '            - containerPort: 8080'],
    assign: ({ key, value }) => [`            - name: ${upper(key)}`, `              value: "${value}"`],
    reference: (key) => [
      `            - name: ${upper(key)}`, '              valueFrom:', '                secretKeyRef:', '                  name: api-secrets', `                  key: ${snake(key)}`,
    ],
    filler: ['            - name: NODE_ENV', '              value: "production"'],
  },
  {
    id: 'dotenv',
    language: '.env',
    path: (n) => ['.env', '.env.production', 'services/api/.env.local', '.env.staging', 'apps/web/.env'][n % 5] + (n >= 5 ? `.${n}` : ''),
    head: () => ['# Local configuration', 'NODE_ENV=production', 'PORT=8080'],
    tail: ['LOG_LEVEL=info'],
    assign: ({ key, value }, v) => [v % 2 ? `${upper(key)}=${value}` : `${upper(key)}="${value}"`],
    reference: (key) => [`${upper(key)}=\${${upper(key)}_FROM_VAULT}`],
    filler: ['APP_URL=https://app.acme.dev', 'FEATURE_FLAGS=checkout,search'],
  },
  {
    id: 'compose',
    language: 'YAML',
    path: (n) => `docker-compose.${n}.yml`,
    head: () => ['services:', '  api:', '    image: ghcr.io/acme/api:latest', '    environment:'],
    tail: ['    ports:', '      - "8080:8080"'],
    assign: ({ key, value }, v) => [v % 2 ? `      ${upper(key)}: ${value}` : `      - ${upper(key)}=${value}`],
    reference: (key) => [`      ${upper(key)}: \${${upper(key)}}`],
    filler: ['      NODE_ENV: production'],
  },
  {
    id: 'gha',
    language: 'YAML',
    path: (n) => `.github/workflows/deploy-${n}.yml`,
    head: () => ['name: deploy', 'on:', '  push:', '    branches: [main]', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    env:'],
    tail: ['    steps:', '      - uses: actions/checkout@v4', '      - run: ./scripts/deploy.sh'],
    assign: ({ key, value }) => [`      ${upper(key)}: ${value}`],
    reference: (key) => [`      ${upper(key)}: \${{ secrets.${upper(key)} }}`],
    filler: ['      NODE_VERSION: 20'],
  },
];
