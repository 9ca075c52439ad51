#!/usr/bin/env bash
# The e2e suite drives Debian's Chromium; Playwright cannot download its own browsers here. It also
# wants a colour emoji font (fonts-noto-color-emoji): without one the README screenshots show a
# missing-glyph box where 👋 should be. As root on Debian, install what is missing; otherwise say
# what to do, in one line. A missing browser stops the run; a missing font only warns (the tests
# pass without it, the screenshots just look wrong).
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"

has_emoji_font() {
  if command -v fc-list >/dev/null; then
    fc-list : family | grep -qi 'color emoji'
  else
    dpkg-query -W -f='${Status}' fonts-noto-color-emoji 2>/dev/null | grep -q 'install ok installed'
  fi
}

missing=()
[ -x "$browser" ] || missing+=(chromium)
has_emoji_font || missing+=(fonts-noto-color-emoji)
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "e2e: installing Debian's ${missing[*]} (needed once)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
if [ ! -x "$browser" ]; then
  echo "e2e: Chromium not found at $browser: run 'sudo apt-get install -y ${missing[*]}' (or set CHROMIUM_PATH) and retry" >&2
  exit 1
fi
echo "e2e: no colour emoji font: screenshots will show boxes for emoji; 'sudo apt-get install -y fonts-noto-color-emoji' fixes that" >&2
