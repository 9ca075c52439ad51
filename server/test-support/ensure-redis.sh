#!/usr/bin/env bash
# The scale-out tests need a real Redis: REDIS_URL, one on 127.0.0.1:6379, or redis-server on PATH
# (started on a free port by the tests themselves). On a fresh Debian machine as root, install the
# package when none of these is there; otherwise the tests say why they skip (and fail under CI).
set -euo pipefail
[ -n "${REDIS_URL:-}" ] && exit 0
command -v redis-server >/dev/null && exit 0
(exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "tests: installing Debian's redis-server package for the scale-out tests (needed once)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  exit 0
fi
echo "tests: no Redis at REDIS_URL or 127.0.0.1:6379 and no redis-server on PATH: the scale-out tests will skip (sudo apt-get install -y redis-server to run them)" >&2
