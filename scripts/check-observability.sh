#!/usr/bin/env bash
# Checks the Grafana dashboards and the Prometheus rules with the real tools. .ci/run calls it.
#
#   scripts/check-observability.sh                 # uses ../shared/tools/validate_dashboard.py
#   VALIDATE_DASHBOARD=/path/to/validate_dashboard.py scripts/check-observability.sh
#
# Needs promtool (apt `prometheus`) and python3 with jsonschema and PyYAML; amtool (apt
# `prometheus-alertmanager`) is used when installed, otherwise its check is skipped with a notice.
set -euo pipefail
cd "$(dirname "$0")/.."

validator="${VALIDATE_DASHBOARD:-../shared/tools/validate_dashboard.py}"
if [[ ! -f "$validator" ]]; then
    echo "check-observability: $validator not found (set VALIDATE_DASHBOARD)" >&2
    exit 1
fi
command -v promtool >/dev/null || { echo "check-observability: promtool not found (apt prometheus)" >&2; exit 1; }

step() { printf -- '--- %s\n' "$*"; }

step "promtool check rules --lint=all --lint-fatal alerts/tenancy.rules.yml"
promtool check rules --lint=all --lint-fatal alerts/tenancy.rules.yml

step "promtool test rules alerts/tenancy.rules.test.yml"
promtool test rules alerts/tenancy.rules.test.yml

step "python3 $validator dashboards/*.json"
python3 "$validator" dashboards/*.json

step "promtool check config alerts/prometheus.example.yml"
promtool check config alerts/prometheus.example.yml

step "amtool check-config alerts/alertmanager.example.yml"
if command -v amtool >/dev/null; then
    amtool check-config alerts/alertmanager.example.yml
    route() { # receiver, then labels
        local want="$1"
        shift
        amtool config routes test --config.file=alerts/alertmanager.example.yml \
            --verify.receivers="$want" "$@" 2>/dev/null >/dev/null \
            || { echo "alertmanager.example.yml: $* is not routed to $want" >&2; exit 1; }
    }
    route tenancy-pager alertname=TenancyTargetDown severity=critical
    route tenancy-tickets alertname=TenancyTenantHighRejectionRatio severity=warning tenant_id=acme
    route tenancy-tenant-owners alertname=TenancyTenantQuotaExhausted severity=info tenant_id=acme
    route default alertname=SomethingElse severity=critical
    echo "  SUCCESS: routes by severity"
else
    echo "  SKIPPED: amtool is not installed (apt-get install prometheus-alertmanager)"
fi

step "coverage: every alert fires and stays quiet in a test, every recording rule is tested, runbook anchors exist"
python3 - alerts/tenancy.rules.yml alerts/tenancy.rules.test.yml docs/runbooks.md <<'PY'
import re, sys, yaml
rules_path, tests_path, runbooks_path = sys.argv[1:4]
rules = [r for g in yaml.safe_load(open(rules_path))["groups"] for r in g["rules"]]
tests = yaml.safe_load(open(tests_path))["tests"]
errors = []

fires, quiet, tested_exprs = set(), set(), []
for t in tests:
    for a in t.get("alert_rule_test", []):
        (fires if a.get("exp_alerts") else quiet).add(a["alertname"])
    tested_exprs += [e["expr"] for e in t.get("promql_expr_test", [])]

def slug(heading):  # GitHub's heading anchors
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
anchors = {slug(h) for h in re.findall(r"^#{1,6}\s+(.+)$", open(runbooks_path).read(), re.M)}

alerts = [r for r in rules if "alert" in r]
for r in alerts:
    name = r["alert"]
    if name not in fires: errors.append(f"{name}: no test case where it fires")
    if name not in quiet: errors.append(f"{name}: no test case where it must not fire")
    for key in ("summary", "description", "runbook_url"):
        if not r.get("annotations", {}).get(key): errors.append(f"{name}: no {key} annotation")
    if "{{" in r.get("annotations", {}).get("summary", ""): errors.append(f"{name}: summary must be static")
    if r.get("labels", {}).get("severity") not in ("critical", "warning", "info"):
        errors.append(f"{name}: severity must be critical, warning or info")
    url = r.get("annotations", {}).get("runbook_url", "")
    m = re.search(r"docs/runbooks\.md#([\w-]+)$", url)
    if not m: errors.append(f"{name}: runbook_url {url!r} does not point at docs/runbooks.md#<anchor>")
    elif m.group(1) not in anchors: errors.append(f"{name}: runbook anchor #{m.group(1)} not in {runbooks_path}")
for r in rules:
    if "record" in r and not any(re.search(rf"(?<![\w:]){re.escape(r['record'])}(?![\w:])", e) for e in tested_exprs):
        errors.append(f"{r['record']}: no promql_expr_test checks its value")
for a in sorted({slug(n) for n in re.findall(r"^## (Tenancy\w+)", open(runbooks_path).read(), re.M)} - {slug(r["alert"]) for r in alerts}):
    errors.append(f"{runbooks_path}: section #{a} has no alert")
if errors:
    print("\n".join(errors)); sys.exit(1)
print(f"  SUCCESS: {len(alerts)} alerts fire and stay quiet in tests, "
      f"{sum('record' in r for r in rules)} recording rules tested, runbook anchors exist")
PY

echo "check-observability: OK"
