#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's browser test (crates/server/tests/browser.rs), which
# is skipped when /usr/bin/chromium is missing. Idempotent: does nothing when Chromium is there.
# Needs root (CI runs as root) and Debian's package archive; nothing else is downloaded.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    echo "chromium: already installed ($(/usr/bin/chromium --version 2>/dev/null | head -n 1))"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium: no apt-get on this machine; the browser test will be skipped" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "chromium: not root and no sudo; the browser test will be skipped" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3; do
    if $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; then
        break
    fi
    echo "chromium: apt-get failed (attempt $attempt)" >&2
    sleep $((attempt * 5))
done
if [ -x /usr/bin/chromium ]; then
    echo "chromium: installed ($(/usr/bin/chromium --version 2>/dev/null | head -n 1))"
else
    echo "chromium: could not be installed; the browser test will be skipped" >&2
fi
