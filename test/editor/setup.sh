#!/usr/bin/env bash
# Installs a real VS Code 1.100 extension host for `npm run test:editor`, from the npm registry and
# Debian packages only: code-server 4.100.3 (VS Code 1.100.3 server, Node extension host), Debian's
# Chromium and playwright-core. Everything lands in a cache folder outside the repository; every
# step checks its own result first, so a second run does nothing.
#
# Env: LAUNCH_READY_EDITOR_CACHE (default ~/.cache/launch-ready-editor)
set -euo pipefail

CACHE="${LAUNCH_READY_EDITOR_CACHE:-$HOME/.cache/launch-ready-editor}"
CODE_SERVER_VERSION=4.100.3
PLAYWRIGHT_VERSION=1.65.1
CS="$CACHE/cs"
VSC="$CS/node_modules/code-server/lib/vscode"
LOGS="$CACHE/logs"
mkdir -p "$CACHE" "$LOGS"

say() { echo "[editor-setup] $*"; }
fail_with_log() { say "FAILED: $1; last lines of $2:" >&2; tail -30 "$2" >&2; exit 1; }

# Debian packages. libkrb5-dev: headers for the `kerberos` native module; the X/secret headers are
# what code-server documents for building its npm package.
packages=(chromium fonts-liberation ripgrep libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev make g++ pkg-config python3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  apt-get update -q >"$LOGS/apt-update.log" 2>&1 || fail_with_log "apt-get update" "$LOGS/apt-update.log"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >"$LOGS/apt-install.log" 2>&1 \
    || fail_with_log "apt-get install" "$LOGS/apt-install.log"
fi

# node-gyp would download Node's headers from nodejs.org; use the ones installed with Node.
NODEDIR=""
for candidate in "$(node -p 'process.config.variables.node_prefix')" "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")" /usr /usr/local; do
  if [ -f "$candidate/include/node/common.gypi" ]; then NODEDIR="$candidate"; break; fi
done
[ -n "$NODEDIR" ] || { say "no Node headers (include/node/common.gypi) found; native modules cannot be built offline" >&2; exit 1; }
[ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ] || { say "code-server $CODE_SERVER_VERSION needs Node 20, found $(node -v)" >&2; exit 1; }

# code-server with scripts off: its postinstall runs an npm install whose ripgrep step downloads
# from GitHub. The steps below do that postinstall's work by hand.
have=""
[ -f "$CS/node_modules/code-server/package.json" ] && have=$(node -p "require('$CS/node_modules/code-server/package.json').version")
if [ "$have" != "$CODE_SERVER_VERSION" ] || [ ! -d "$CS/node_modules/express" ]; then
  say "npm install code-server@$CODE_SERVER_VERSION"
  rm -rf "$CS"; mkdir -p "$CS"
  echo '{"name":"launch-ready-editor-host","private":true}' >"$CS/package.json"
  (cd "$CS" && npm install --ignore-scripts --no-audit --no-fund "code-server@$CODE_SERVER_VERSION") >"$LOGS/npm-code-server.log" 2>&1 \
    || fail_with_log "npm install code-server" "$LOGS/npm-code-server.log"
fi
if [ ! -d "$VSC/node_modules/node-pty" ] || [ ! -d "$VSC/node_modules/@vscode/ripgrep" ]; then
  say "npm install (lib/vscode)"
  (cd "$VSC" && npm install --ignore-scripts --omit=dev --no-audit --no-fund) >"$LOGS/npm-vscode.log" 2>&1 \
    || fail_with_log "npm install lib/vscode" "$LOGS/npm-vscode.log"
fi
# With bin/ present, @vscode/ripgrep's postinstall does not try GitHub during the rebuild.
mkdir -p "$VSC/node_modules/@vscode/ripgrep/bin"
install -m 0755 /usr/bin/rg "$VSC/node_modules/@vscode/ripgrep/bin/rg"

if ! (cd "$VSC" && node -e "for (const m of ['node-pty','@vscode/spdlog','kerberos','native-watchdog','@parcel/watcher','@vscode/deviceid']) require(m)") 2>/dev/null; then
  say "npm rebuild native modules"
  # build_from_source: kerberos' prebuild-install skips its GitHub download; yes: node-pty's
  # postinstall runs `npx node-gyp` from the registry without a prompt.
  (cd "$VSC" && npm_config_nodedir="$NODEDIR" npm_config_build_from_source=true npm_config_yes=true \
      npm rebuild --foreground-scripts) >"$LOGS/npm-rebuild-vscode.log" 2>&1 \
    || fail_with_log "npm rebuild" "$LOGS/npm-rebuild-vscode.log"
fi
if [ ! -f "$VSC/extensions/node_modules/typescript/lib/typescript.js" ]; then
  say "npm install (built-in extensions)"
  (cd "$VSC/extensions" && npm install --omit=dev --no-audit --no-fund) >"$LOGS/npm-extensions.log" 2>&1 \
    || fail_with_log "npm install extensions" "$LOGS/npm-extensions.log"
fi
(cd "$VSC" && rm -rf node_modules.asar && ln -s node_modules node_modules.asar)
(cd "$VSC/bin/remote-cli" && rm -rf code-server && ln -s code-linux.sh code-server)
(cd "$VSC/bin/helpers" && rm -rf browser.sh && ln -s browser-linux.sh browser.sh)
if ! (cd "$CS" && node -e "require('argon2')") 2>/dev/null; then
  say "npm rebuild argon2"
  (cd "$CS" && npm_config_nodedir="$NODEDIR" npm rebuild argon2 --build-from-source --foreground-scripts) >"$LOGS/npm-rebuild-argon2.log" 2>&1 \
    || fail_with_log "npm rebuild argon2" "$LOGS/npm-rebuild-argon2.log"
fi

# The UI driver lives next to code-server, not in the project's dependencies.
if [ ! -f "$CACHE/driver/node_modules/playwright-core/package.json" ]; then
  say "npm install playwright-core@$PLAYWRIGHT_VERSION"
  mkdir -p "$CACHE/driver"
  echo '{"name":"launch-ready-editor-driver","private":true}' >"$CACHE/driver/package.json"
  (cd "$CACHE/driver" && npm install --no-audit --no-fund "playwright-core@$PLAYWRIGHT_VERSION") >"$LOGS/npm-playwright.log" 2>&1 \
    || fail_with_log "npm install playwright-core" "$LOGS/npm-playwright.log"
fi
say "ready in $CACHE"
