#!/usr/bin/env bash
# Installs wrk, the HTTP load generator the sandbox load benchmark uses, from Debian's
# packages when it is not on PATH yet. Needs root or sudo for apt-get.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  apt_get=(apt-get)
elif command -v sudo >/dev/null 2>&1; then
  apt_get=(sudo apt-get)
else
  echo "install-wrk: wrk is missing and apt-get needs root; install the Debian package wrk" >&2
  exit 1
fi

echo "install-wrk: installing the Debian package wrk"
"${apt_get[@]}" update -qq
DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq wrk
