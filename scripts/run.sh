#!/usr/bin/env bash
# Sets up, builds and runs quotasim: with no arguments, the default scenario (scenarios/quota-2025-fitted.toml).
# Any arguments are passed to `quotasim run` (e.g. scripts/run.sh --reps 10).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cargo build --release --locked -p quotasim-cli
exec target/release/quotasim run "$@"
