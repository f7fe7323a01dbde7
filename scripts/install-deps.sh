#!/usr/bin/env bash
# Installs the Debian packages RegistryFleet needs, only those that are missing.
#   libsqlite3-dev libcurl4-openssl-dev libssl-dev  — to build (SQLite, Foundation networking, TLS)
#   docker-registry                                 — the real Registry v2 server the pruner tests use
#   chromium                                        — headless browser for the dashboard test
set -euo pipefail
packages=(libsqlite3-dev libcurl4-openssl-dev libssl-dev docker-registry chromium)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "installing: ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The package starts a system registry where systemd runs; RegistryFleet's tests start their own.
"${sudo_cmd[@]}" systemctl disable --now docker-registry >/dev/null 2>&1 || true
