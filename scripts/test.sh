#!/usr/bin/env bash
# Runs the whole test suite (unit, real SQLite, real TLS on loopback, a real Registry v2 server,
# real CLI processes, headless Chromium, schemathesis against a real hub). Installs what it needs
# first. Extra arguments (e.g. --filter X) replace the two runs below with one `swift test` run.
#
# The schemathesis suite runs on its own after the rest: it keeps both cores busy for a minute,
# and the agent tests' deadlines are meant for an ordinarily loaded machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
if [ $# -gt 0 ]; then
    exec swift test --skip-build "$@"
fi
swift test --skip-build --skip HubSchemathesisTests
swift test --skip-build --filter HubSchemathesisTests
