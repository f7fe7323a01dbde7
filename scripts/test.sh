#!/usr/bin/env bash
# Runs the whole test suite (unit, real SQLite, real TLS on loopback, a real Registry v2 server,
# real CLI processes, headless Chromium, schemathesis against a real hub). Installs what it needs
# first. Extra arguments (e.g. --filter X) replace the two runs below with one `swift test` run.
#
# Five runs, one after the other: the in-process suites; the agent suites on their own (their waits on real
# simulated clusters assume a machine not also busy elsewhere); the suites that start processes (the real
# regfleet CLI, headless Chromium); then the suites that start whole fleets
# of processes (three hub replicas and a PostgreSQL server, hubs killed with SIGKILL, fifty agents);
# then schemathesis. The last two keep both cores busy for a minute each, and the agent tests'
# deadlines are meant for an ordinarily loaded machine.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
if [ $# -gt 0 ]; then
    exec swift test --skip-build "$@"
fi
heavy='HubReplicaTests|HubReplicaFailoverTests|RolloutCrashTests|HubCrashTests|EmbeddedFleetTests'
swift test --skip-build --skip "HubSchemathesisTests|$heavy|RegFleetCLITests|FleetAgentTests|DashboardTests|ServedAnswersConformTests"
swift test --skip-build --filter FleetAgentTests
swift test --skip-build --filter "RegFleetCLITests|DashboardTests|ServedAnswersConformTests" --skip "HubSchemathesisTests|$heavy"
swift test --skip-build --filter "$heavy"
swift test --skip-build --filter HubSchemathesisTests
