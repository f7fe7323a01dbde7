#!/usr/bin/env bash
# Builds regfleet and runs the embedded fleet demo: a hub and N agents on simulated clusters,
# over real mutual TLS on loopback, with an SQLite file. Extra arguments go to `regfleet demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product regfleet
exec .build/debug/regfleet demo "$@"
