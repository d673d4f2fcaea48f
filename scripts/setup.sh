#!/usr/bin/env bash
# Installs what quotasim needs to build on a fresh machine with rustup: the pinned
# toolchain of rust-toolchain.toml with rustfmt and clippy. Installs only what is
# missing (rustup would otherwise re-download a toolchain it already has), so it is
# quick and safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v rustup >/dev/null 2>&1; then
    echo "error: rustup is required (https://rustup.rs); it installs the pinned Rust toolchain" >&2
    exit 1
fi
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup run "$toolchain" rustc --version >/dev/null 2>&1; then
    echo "setup: installing Rust $toolchain" >&2
    rustup toolchain install "$toolchain" --profile minimal --component rustfmt,clippy
fi
installed=$(rustup component list --installed --toolchain "$toolchain")
for component in rustfmt clippy; do
    if ! grep -q "^$component" <<<"$installed"; then
        echo "setup: adding $component" >&2
        rustup component add "$component" --toolchain "$toolchain"
    fi
done
# The WebAssembly target builds the dashboard's engine (scripts/build-web.sh).
if ! rustup target list --installed --toolchain "$toolchain" | grep -q '^wasm32-unknown-unknown$'; then
    echo "setup: adding the wasm32-unknown-unknown target" >&2
    rustup target add wasm32-unknown-unknown --toolchain "$toolchain"
fi
