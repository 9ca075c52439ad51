#!/usr/bin/env bash
# The IRC port is tested with Debian IRC clients nobody here wrote: ii (suckless, file-based, so a
# test drives it through its in FIFOs and reads its out files) and irssi (driven in a tmux
# terminal, as a person types into it). On a fresh Debian machine as root, install the packages
# the first time; otherwise say how, and fail: those tests do not skip.
set -euo pipefail
missing=()
for tool in ii irssi tmux; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "tests: installing Debian's ${missing[*]} for the IRC client tests (needed once)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "tests: the IRC port's client tests need ${missing[*]}, not installed: sudo apt-get install -y ${missing[*]} (Debian, Ubuntu), then npm test again" >&2
exit 1
