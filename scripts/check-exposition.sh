#!/usr/bin/env bash
# Scrapes the TenancyMetrics conformance payload from a live MetricsListener through the conformance tests
# (TenantMetrics families plus hostile label values, special values, Go-style `le`, the overflow series,
# process metrics, exactly as served over HTTP), then runs the strict structural checks of the shared
# check_exposition.py over it. .ci/run calls this after the tests.
#
#   scripts/check-exposition.sh                 # uses ../shared/tools/check_exposition.py
#   CHECK_EXPOSITION=/path/to/check_exposition.py scripts/check-exposition.sh
#   SWIFT_TEST_FLAGS="--scratch-path .build-metrics" scripts/check-exposition.sh
set -euo pipefail
cd "$(dirname "$0")/.."

checker="${CHECK_EXPOSITION:-../shared/tools/check_exposition.py}"
if [[ ! -f "$checker" ]]; then
    echo "check-exposition: $checker not found (set CHECK_EXPOSITION)" >&2
    exit 1
fi

payload="$(mktemp)"
trap 'rm -f "$payload"' EXIT

# shellcheck disable=SC2086 # SWIFT_TEST_FLAGS is a list of flags
TENANCY_EXPOSITION_OUT="$payload" swift test ${SWIFT_TEST_FLAGS:-} --filter 'TenancyMetricsTests.ConformanceTests/theScrapedPayloadIsWrittenWhereTheCheckScriptAsks'

if [[ ! -s "$payload" ]]; then
    echo "check-exposition: the conformance test scraped no payload" >&2
    exit 1
fi
echo "check-exposition: $(wc -l < "$payload") lines"
python3 "$checker" < "$payload"
