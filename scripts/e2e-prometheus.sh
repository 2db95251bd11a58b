#!/usr/bin/env bash
# End to end against a real Prometheus: builds tenancy-demo, then scripts/e2e/prometheus_checks.py starts
# it (temporary database, ephemeral ports) and /usr/bin/prometheus on 127.0.0.1 (temporary TSDB, 1 s
# scrape and evaluation, alerts/tenancy.rules.yml loaded), drives a known traffic mix, and asserts through
# Prometheus' HTTP API that the target is up, the counters equal the traffic exactly, every dashboard
# query parses and returns data, every rule is healthy and TenancyUnknownTenantSpike becomes pending.
# Both processes are stopped when it ends, pass or fail.
#
#   scripts/e2e-prometheus.sh                  # .ci/run calls it after the tests
#   KEEP_E2E_DIR=1 scripts/e2e-prometheus.sh   # keep the logs and the TSDB for a post-mortem
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product tenancy-demo
exec python3 scripts/e2e/prometheus_checks.py --demo "$(swift build --show-bin-path)/tenancy-demo" \
    --prometheus-binary "${PROMETHEUS:-/usr/bin/prometheus}" --rules alerts/tenancy.rules.yml \
    --dashboards dashboards/*.json
