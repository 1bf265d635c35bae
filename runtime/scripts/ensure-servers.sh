#!/usr/bin/env bash
# Installs Redis and PostgreSQL from Debian packages when they are missing. The runtime's tests start
# their own throwaway instances on loopback (test/servers.ts); this script only makes the binaries exist.
set -euo pipefail
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql); fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "ensure-servers: redis-server and postgresql are installed"
  exit 0
fi
echo "ensure-servers: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "ensure-servers: the runtime's tests need ${missing[*]}; install them as root: apt-get install -y redis-server postgresql" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-servers: the runtime's tests need ${missing[*]} and this machine has no apt-get; install Redis and PostgreSQL with its package manager" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The packages start system services; the tests use their own instances, so stop those.
$SUDO service redis-server stop >/dev/null 2>&1 || true
$SUDO service postgresql stop >/dev/null 2>&1 || true
echo "ensure-servers: done"
