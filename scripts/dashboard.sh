#!/usr/bin/env bash
# Sets up, builds and serves the browser dashboard: builds dist/ (scripts/build-web.sh),
# builds quotasim with it embedded, and runs `quotasim dashboard`, which prints the
# address to open. Arguments go to `quotasim dashboard` (e.g. --port 9000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build-web.sh
cargo build --release --locked -p quotasim-cli
exec target/release/quotasim dashboard "$@"
