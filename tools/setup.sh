#!/usr/bin/env bash
# Installs what `make demo` (tools/setup.sh build) or `make test` (tools/setup.sh test) needs on a Debian machine
# with Rust, skipping whatever is already present. Every download comes from Debian, crates.io or npm.
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-build}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

packages=()
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
if [ "$purpose" = test ]; then
  command -v chromium >/dev/null || packages+=(chromium)
  command -v chromedriver >/dev/null || packages+=(chromium-driver)
  # The other two engines of the end-to-end flows, and a virtual display for WebKitGTK's MiniBrowser.
  command -v firefox-esr >/dev/null || packages+=(firefox-esr)
  command -v WebKitWebDriver >/dev/null || packages+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null || packages+=(xvfb)
  command -v xauth >/dev/null || packages+=(xauth)
  # The receiver's tests start their own PostgreSQL server from Debian's binaries.
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || packages+=(postgresql)
  # An implementation of Ed25519 other than ours checks the log's signed notes (tests/tlog.rs).
  python3 -c 'import cryptography' 2>/dev/null || packages+=(python3-cryptography)
fi
if [ ${#packages[@]} -gt 0 ]; then
  echo "setup: apt-get install ${packages[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"
fi

rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if [ "$purpose" = test ]; then
  for component in rustfmt clippy; do
    rustup component list --installed | grep -q "^$component" || rustup component add "$component"
  done
fi

# wasm-bindgen-cli must match the crate's pinned version exactly.
wanted=$(sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
if [ -z "$wanted" ]; then
  echo "setup: Cargo.toml must pin wasm-bindgen exactly (\"=0.2.N\")" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wanted" ]; then
  echo "setup: cargo install wasm-bindgen-cli $wanted (takes a few minutes)"
  cargo install wasm-bindgen-cli --version "$wanted" --locked
fi

# geckodriver for the wasm-bindgen browser tests in Firefox (a few minutes to build, once).
if [ "$purpose" = test ] && ! command -v geckodriver >/dev/null; then
  echo "setup: cargo install geckodriver (takes a few minutes)"
  cargo install geckodriver --locked
fi

# cargo-fuzz for the fuzz targets (make fuzz, and briefly in make test).
if [ "$purpose" = test ] && ! command -v cargo-fuzz >/dev/null; then
  echo "setup: cargo install cargo-fuzz (takes a couple of minutes)"
  cargo install cargo-fuzz --locked
fi

# The SMTP server the receiver's double opt-in test mails through, from PyPI (pinned).
aiosmtpd_version=1.4.6
if [ "$purpose" = test ] && [ "$(python3 -c 'import aiosmtpd; print(aiosmtpd.__version__)' 2>/dev/null)" != "$aiosmtpd_version" ]; then
  echo "setup: pip install aiosmtpd==$aiosmtpd_version"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "aiosmtpd==$aiosmtpd_version"
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.consent-capture-lock
if ! cmp -s package-lock.json "$stamp" 2>/dev/null; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi

# The bundlers of the end-to-end bundler matrix (tests/bundlers), for make test only; npm ci likewise.
bundlers_stamp=tests/bundlers/node_modules/.consent-capture-lock
if [ "$purpose" = test ] && ! cmp -s tests/bundlers/package-lock.json "$bundlers_stamp" 2>/dev/null; then
  (cd tests/bundlers && npm ci --no-audit --no-fund)
  cp tests/bundlers/package-lock.json "$bundlers_stamp"
fi
