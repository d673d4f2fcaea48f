#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's end-to-end test (web/tests/e2e.mjs),
# if it is missing. Playwright drives this browser (playwright-core, no browser
# download of its own).
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
    exit 0
fi
sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "error: Chromium is missing and installing it needs root: apt-get install chromium" >&2
        exit 1
    fi
    sudo=(sudo)
fi
echo "setup: installing chromium (apt)" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
