#!/usr/bin/env bash
# Installs the Debian packages RegistryFleet needs, only those that are missing.
#   libsqlite3-dev libcurl4-openssl-dev libssl-dev  — to build (SQLite, Foundation networking, TLS)
#   docker-registry                                 — the real Registry v2 server the pruner tests use
#   chromium                                        — headless browser for the dashboard test
#   postgresql                                      — the HA store's tests start their own server (initdb + pg_ctl)
# and, from PyPI into .build-tools/schemathesis (a virtual environment, ignored by git):
#   schemathesis                                    — property-based tests of the hub against its OpenAPI document
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(libsqlite3-dev libcurl4-openssl-dev libssl-dev docker-registry chromium postgresql)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
apt_install() {
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    apt_install "${missing[@]}"
    # The package starts a system registry where systemd runs; RegistryFleet's tests start their own.
    "${sudo_cmd[@]}" systemctl disable --now docker-registry >/dev/null 2>&1 || true
    # Likewise the package's own PostgreSQL cluster: the tests run theirs in a temporary directory.
    "${sudo_cmd[@]}" systemctl disable --now postgresql >/dev/null 2>&1 || true
fi

schemathesis_version=4.32.5
venv=.build-tools/schemathesis
if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$schemathesis_version"; then
    echo "installing: schemathesis $schemathesis_version (PyPI) into $venv" >&2
    rm -rf "$venv"
    if ! python3 -m venv "$venv" >/dev/null 2>&1; then
        apt_install python3-venv python3-pip
        python3 -m venv "$venv"
    fi
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "schemathesis==$schemathesis_version"
fi
