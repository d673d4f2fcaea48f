#!/usr/bin/env bash
# Builds the browser dashboard into dist/ (static files: host them anywhere, or serve
# them with `quotasim dashboard`, which embeds this folder when it is built after it).
#
#   scripts/build-web.sh
#
# Installs what it needs, pinned, and only what is missing:
#   - the wasm32-unknown-unknown target (scripts/setup.sh);
#   - wasm-bindgen's command-line tool at exactly the version of the wasm-bindgen crate
#     in Cargo.lock (cargo install, about 2.5 minutes the first time);
#   - the npm packages of web/package-lock.json (npm ci): esbuild, binaryen (wasm-opt),
#     us-atlas, topojson-client, d3-geo, playwright-core.
# Nothing is fetched when the page runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [[ -z "$version" ]]; then
    echo "error: Cargo.lock names no wasm-bindgen version" >&2
    exit 1
fi
if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $version" ]]; then
    echo "setup: installing wasm-bindgen-cli $version (a few minutes, once)" >&2
    # A build tool, not shipped: lighter optimisation builds it about a minute sooner
    # on 2 cores and writes the same bytes (checked on this project's module).
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=false \
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        cargo install wasm-bindgen-cli --version "$version"
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "error: Node.js with npm is required to build the dashboard (apt-get install nodejs npm)" >&2
    exit 1
fi
if [[ ! -d web/node_modules ]] || [[ web/package-lock.json -nt web/node_modules/.package-lock.json ]]; then
    (cd web && npm ci --no-audit --no-fund)
fi

# The `wasm` profile (Cargo.toml): release with fat LTO in one unit.
cargo build --locked -p quotasim-wasm --target wasm32-unknown-unknown --profile wasm
rm -rf web/pkg
wasm-bindgen --target web --no-typescript --out-dir web/pkg \
    target/wasm32-unknown-unknown/wasm/quotasim_wasm.wasm
web/node_modules/.bin/wasm-opt -O2 --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd \
    web/pkg/quotasim_wasm_bg.wasm -o web/pkg/quotasim_wasm_bg.wasm
node web/build/build.mjs
