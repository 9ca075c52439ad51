#!/usr/bin/env bash
# The e2e suite drives Debian's Chromium; Playwright cannot download its own browsers here.
# As root on Debian, install the package when it is missing; otherwise say what to do, in one line.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "e2e: installing Debian's chromium package (needed once)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "e2e: Chromium not found at $browser: run 'sudo apt-get install -y chromium' (or set CHROMIUM_PATH) and retry" >&2
exit 1
