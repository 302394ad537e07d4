#!/usr/bin/env bash
# Installs what a fresh machine lacks; quick and quiet when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests use for real: PostgreSQL, Prometheus (+promtool), Chromium, wrk.
need=()
command -v /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
fi

if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  echo "setup: installing npm packages from the lockfile"
  npm ci --no-audit --no-fund
  touch node_modules/.installed
fi
echo "setup: ready (node $(node --version), $(/usr/lib/postgresql/*/bin/postgres --version | head -1), $(promtool --version 2>&1 | head -1 | cut -d' ' -f1-3))"
