#!/usr/bin/env bash
# Runs the whole test suite (unit, real SQLite, real TLS on loopback, a real Registry v2 server,
# real CLI processes, headless Chromium). Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
