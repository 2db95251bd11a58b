#!/usr/bin/env bash
# End to end against the real tenancy-demo binary: the README walkthrough over HTTP (every status, header
# and body field), the admin API's error cases, tenant isolation of resources, restart with the same
# database, and the command line's errors. The checks live in scripts/e2e/demo_checks.py, which starts and
# stops the demo itself on ephemeral ports with a temporary database.
#
#   scripts/e2e-demo.sh                  # .ci/run calls it after the tests
#   KEEP_E2E_DIR=1 scripts/e2e-demo.sh   # keep the database and the log for a post-mortem
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product tenancy-demo
exec python3 scripts/e2e/demo_checks.py --demo "$(swift build --show-bin-path)/tenancy-demo"
