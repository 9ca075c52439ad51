#!/usr/bin/env bash
# `npm run test:systemd`: contrib/switchboard.service passes `systemd-analyze verify` with no
# warning at all (verify exits 0 on an unknown key or a bad value and only prints it, so any
# output fails here). As root, installs Debian's systemd package when systemd-analyze is missing;
# it runs without systemd as PID 1 (in a container too), reading the unit file offline.
set -euo pipefail
unit="$(cd "$(dirname "$0")/.." && pwd)/contrib/switchboard.service"
if ! command -v systemd-analyze > /dev/null; then
  if [ "$(id -u)" != 0 ]; then echo "test:systemd: systemd-analyze missing; install Debian's systemd package (apt-get install systemd)" >&2; exit 1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends systemd > /dev/null \
    || { apt-get update > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends systemd > /dev/null; }
fi
# --man=no: Documentation= man pages are not looked up (no man-db in a container).
output="$(cd / && systemd-analyze verify --man=no "$unit" 2>&1)" || { echo "$output" >&2; echo "test:systemd: systemd-analyze verify failed" >&2; exit 1; }
if [ -n "$output" ]; then echo "$output" >&2; echo "test:systemd: systemd-analyze verify warned (above)" >&2; exit 1; fi
echo "test:systemd: $unit verified ($(systemd-analyze --version | head -1))"
