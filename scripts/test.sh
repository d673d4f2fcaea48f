#!/usr/bin/env bash
# Sets up and runs every check: formatting, lints, and all tests (unit, property,
# behaviour, command-line, doc tests; the Python package's tests, Ray included; and
# the dashboard's end-to-end test in headless Chromium).
# CI runs exactly this (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
# A clean clone builds once: cargo's incremental caches (gigabytes) would never be
# reused there, so CI does without them.
if [[ "${CI:-}" == true ]]; then
    export CARGO_INCREMENTAL=0
fi
# The builds below (debug, release, WebAssembly, the Python package) need room.
free_kb=$(df -Pk . | awk 'NR == 2 { print $4 }')
if [[ -n "$free_kb" ]] && (( free_kb < 4 * 1024 * 1024 )); then
    echo "warning: $(( free_kb / 1024 )) MB free on this disk; the builds and tests need about 4 GB" >&2
fi
scripts/setup.sh
# The dashboard first, so that the command built below embeds it.
echo "== dashboard: build dist/ (WebAssembly engine, page, map)"
scripts/build-web.sh
# The README's first command (scripts/run.sh) builds the release binary. Built before
# dist/ existed, it has no dashboard: build it again now that dist/ is there, so that
# `target/release/quotasim dashboard` serves the page after the README's two commands.
# (CI starts from a clean clone with no release build, and skips this.)
if [[ -x target/release/quotasim ]]; then
    echo "== release binary: embed the dashboard"
    cargo build --release --locked -p quotasim-cli
fi
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy (warnings are errors)"
cargo clippy --locked --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --locked --workspace
echo "== python: set up .venv and build the package"
scripts/setup-python.sh
echo "== pytest"
QUOTASIM_BIN="$PWD/target/debug/quotasim" .venv/bin/python -m pytest -q python/tests
echo "== dashboard: end-to-end in headless Chromium"
scripts/setup-browser.sh
QUOTASIM_BIN="$PWD/target/debug/quotasim" node web/tests/e2e.mjs
