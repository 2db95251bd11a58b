#!/usr/bin/env python3
"""Drives a known traffic mix through a running tenancy-demo and checks, through a real Prometheus that
scrapes it, that the counters equal the traffic exactly, every dashboard query parses and returns data,
every rule is healthy and the alert designed for the mix (TenancyUnknownTenantSpike) becomes pending.

Called by scripts/e2e-prometheus.sh with the built binary; starts and stops both processes itself.
Standard library only.
"""

import argparse
import json
import os
import sys
import time
import urllib.parse

from processes import CheckFailed, Demo, Prometheus, WorkDirectory, poll, request

# The tenants of the mix. acme's daily limit of 6 requests makes the 7th and 8th call 429 without a
# window boundary in the middle of the run (the window ends at midnight UTC).
TENANTS = [
    {"id": "acme", "status": "active",
     "quota": {"algorithm": "fixed_window", "limits": [{"window": "day", "requests": 6}]},
     "policy": {"allowed_models": ["gpt-4o"]}},
    {"id": "globex", "status": "active",
     "quota": {"algorithm": "token_bucket", "limits": [{"window": "minute", "requests": 1000, "tokens": 100000}]}},
    {"id": "initech", "status": "suspended"},
]

CHAT_BODY = json.dumps({"messages": [{"role": "user", "content": "hello"}]}).encode()
UNKNOWN_REQUESTS = 80  # enough for result:tenancy_resolutions:rate5m{result="unknown"} > 0.2

# What Prometheus must report after the mix, exactly.
EXPECTED = {
    'tenancy_requests_total{tenant_id="acme",outcome="allowed"}': 6,
    'tenancy_requests_total{tenant_id="acme",outcome="policy_denied"}': 2,
    'tenancy_requests_total{tenant_id="acme",outcome="quota_rejected"}': 2,
    'tenancy_requests_total{tenant_id="acme",outcome="bad_request"}': 0,
    'tenancy_requests_total{tenant_id="acme",outcome="error"}': 0,
    'tenancy_requests_total{tenant_id="globex",outcome="allowed"}': 5,
    'tenancy_requests_total{tenant_id="globex",outcome="bad_request"}': 1,
    'tenancy_requests_total{tenant_id="globex",outcome="quota_rejected"}': 0,
    'tenancy_quota_rejections_total{tenant_id="acme",dimension="requests"}': 2,
    'tenancy_policy_denials_total{tenant_id="acme",reason="model"}': 2,
    'tenancy_tokens_total{tenant_id="acme"}': 500,
    'tenancy_request_duration_seconds_count{tenant_id="acme"}': 6,
    'tenancy_request_duration_seconds_count{tenant_id="globex"}': 5,
    'sum(tenancy_resolutions_total{result="resolved"})': 16,  # acme 10, globex 6
    'sum(tenancy_resolutions_total{result="unknown"})': UNKNOWN_REQUESTS,
    'sum(tenancy_resolutions_total{result="missing"})': 2,
    'sum(tenancy_resolutions_total{result="invalid"})': 1,
    'sum(tenancy_resolutions_total{result="suspended"})': 2,
    'up{job="tenancy"}': 1,
}

# Dashboard variables as Grafana would substitute them for this mix.
SUBSTITUTIONS = {"$__rate_interval": "1m", "${tenant}": "acme|globex", "$tenant": "acme|globex"}


def expect_status(what, status, expected):
    if status != expected:
        raise CheckFailed(f"{what}: expected HTTP {expected}, got {status}")


def tenant_call(api, tenant, path="/api/v1/ping", method="GET", headers=None, body=None):
    all_headers = dict(headers or {})
    if tenant is not None:
        all_headers["X-Tenant-ID"] = tenant
    return request(method, api + path, all_headers, body)[0]


def drive(api, token, prometheus):
    admin = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for tenant in TENANTS:
        status, _, body = request("POST", api + "/admin/tenants", admin, json.dumps(tenant).encode())
        if status != 201:
            raise CheckFailed(f"creating tenant {tenant['id']}: HTTP {status} {body[:300]!r}")

    # One unknown tenant first, seen by a scrape, so the rate of the rest has a sample to start from.
    expect_status("unknown tenant", tenant_call(api, "tenant-that-does-not-exist"), 403)
    wait_for(prometheus, 'sum(tenancy_resolutions_total{result="unknown"})', 1, deadline=30)

    chat = {"X-Model": "gpt-4o", "X-Token-Count": "500", "Content-Type": "application/json"}
    for _ in range(4):
        expect_status("acme ping", tenant_call(api, "acme"), 200)
    expect_status("acme chat", tenant_call(api, "acme", "/api/v1/chat/completions", "POST", chat, CHAT_BODY), 200)
    denied = dict(chat, **{"X-Model": "gpt-3.5-turbo"})
    for _ in range(2):
        expect_status("acme denied model", tenant_call(
            api, "acme", "/api/v1/chat/completions", "POST", denied, CHAT_BODY), 403)
    expect_status("acme sixth request", tenant_call(api, "acme"), 200)
    for _ in range(2):
        expect_status("acme over quota", tenant_call(api, "acme"), 429)
    for _ in range(5):
        expect_status("globex ping", tenant_call(api, "globex"), 200)
    negative = {"X-Model": "gpt-4o", "X-Token-Count": "-5", "Content-Type": "application/json"}
    expect_status("globex negative tokens", tenant_call(
        api, "globex", "/api/v1/chat/completions", "POST", negative, CHAT_BODY), 400)
    for _ in range(UNKNOWN_REQUESTS - 1):
        expect_status("unknown tenant", tenant_call(api, "tenant-that-does-not-exist"), 403)
    for _ in range(2):
        expect_status("no tenant", tenant_call(api, None), 401)
    expect_status("malformed tenant", tenant_call(api, "bad id!"), 400)
    for _ in range(2):
        expect_status("suspended tenant", tenant_call(api, "initech"), 403)


def query(prometheus, expr):
    url = prometheus + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    status, _, body = request("GET", url)
    document = json.loads(body or b"{}")
    if status != 200 or document.get("status") != "success":
        raise CheckFailed(f"query {expr!r}: HTTP {status} {document.get('error', body[:300])}")
    return document["data"]


def scalar(prometheus, expr):
    result = query(prometheus, expr)["result"]
    if len(result) != 1:
        return None
    return float(result[0]["value"][1])


def wait_for(prometheus, expr, value, deadline):
    poll(f"{expr} == {value}", deadline, lambda: scalar(prometheus, expr) == value, interval=0.2)


def check_counters(prometheus):
    end = time.monotonic() + 30
    while True:
        wrong = {expr: scalar(prometheus, expr) for expr in EXPECTED}
        wrong = {expr: seen for expr, seen in wrong.items() if seen != EXPECTED[expr]}
        if not wrong:
            print(f"counters: {len(EXPECTED)} series equal the traffic exactly")
            return
        if time.monotonic() > end:
            lines = "\n".join(f"  {expr} = {seen}, expected {EXPECTED[expr]}" for expr, seen in wrong.items())
            raise CheckFailed("counters differ from the traffic:\n" + lines)
        time.sleep(0.2)


def dashboard_queries(paths):
    queries = []
    for path in paths:
        with open(path) as handle:
            dashboard = json.load(handle)
        for panel in dashboard.get("panels", []):
            for target in panel.get("targets", []):
                if target.get("expr"):
                    queries.append((path, panel.get("title", "?"), target["expr"]))
    return queries


def check_dashboards(prometheus, paths):
    values = request("GET", prometheus + "/api/v1/label/tenant_id/values?" + urllib.parse.urlencode(
        {"match[]": "tenancy_requests_total"}))
    tenants = set(json.loads(values[2])["data"])
    if not {"acme", "globex"} <= tenants:
        raise CheckFailed(f"the tenant variable (label_values(tenancy_requests_total, tenant_id)) gives {tenants}")
    queries = dashboard_queries(paths)
    end = time.monotonic() + 30
    while True:
        empty = []
        for path, title, expr in queries:
            for variable, value in SUBSTITUTIONS.items():
                expr = expr.replace(variable, value)
            if not query(prometheus, expr)["result"]:
                empty.append(f"  {path}: {title}: {expr}")
        if not empty:
            print(f"dashboards: {len(queries)} queries parse and return data")
            return
        if time.monotonic() > end:
            raise CheckFailed("dashboard queries without data:\n" + "\n".join(empty))
        time.sleep(0.5)


def check_rules(prometheus):
    end = time.monotonic() + 30
    while True:
        status, _, body = request("GET", prometheus + "/api/v1/rules")
        groups = json.loads(body)["data"]["groups"] if status == 200 else []
        rules = [rule for group in groups for rule in group["rules"]]
        unhealthy = [f"  {rule['name']}: {rule.get('health')} {rule.get('lastError', '')}"
                     for rule in rules if rule.get("health") != "ok"]
        if rules and not unhealthy:
            print(f"rules: {len(rules)} rules in {len(groups)} groups are healthy")
            return
        if time.monotonic() > end:
            raise CheckFailed("rules not healthy:\n" + "\n".join(unhealthy or ["  no rules loaded"]))
        time.sleep(0.5)


def check_alert(prometheus, name):
    end = time.monotonic() + 45
    while True:
        status, _, body = request("GET", prometheus + "/api/v1/alerts")
        alerts = json.loads(body)["data"]["alerts"] if status == 200 else []
        states = [alert["state"] for alert in alerts if alert["labels"].get("alertname") == name]
        if any(state in ("pending", "firing") for state in states):
            print(f"alerts: {name} is {states[0]}")
            return
        if time.monotonic() > end:
            raise CheckFailed(f"{name} did not become pending; alerts: {[a['labels'] for a in alerts]}")
        time.sleep(0.5)


PROMETHEUS_CONFIG = """global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - {rules}
scrape_configs:
  - job_name: tenancy
    static_configs:
      - targets: ["{target}"]
"""


def fast_rules(path, work):
    """The shipped rules with every group on the global 1 s evaluation: a group's own `interval: 1m` (the
    SLO group's) would leave its rules unevaluated, health "unknown", for up to a minute of the run."""
    with open(path) as handle:
        lines = [line for line in handle if not line.strip().startswith("interval:")]
    fast = os.path.join(work, "tenancy.rules.yml")
    with open(fast, "w") as handle:
        handle.writelines(lines)
    return fast


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", required=True, help="the tenancy-demo binary")
    parser.add_argument("--prometheus-binary", default="/usr/bin/prometheus")
    parser.add_argument("--rules", required=True)
    parser.add_argument("--dashboards", nargs="+", required=True)
    arguments = parser.parse_args()
    token = "e2e-" + os.urandom(16).hex()
    with WorkDirectory() as work:
        try:
            with Demo(arguments.demo, os.path.join(work, "demo.sqlite"), admin_token=token) as demo:
                target = demo.metrics.split("//", 1)[1].split("/", 1)[0]
                config = PROMETHEUS_CONFIG.format(rules=fast_rules(arguments.rules, work), target=target)
                with Prometheus(arguments.prometheus_binary, work, config) as prometheus:
                    wait_for(prometheus.url, 'up{job="tenancy"}', 1, deadline=30)
                    print("target: up")
                    drive(demo.api, token, prometheus.url)
                    check_counters(prometheus.url)
                    check_rules(prometheus.url)
                    check_dashboards(prometheus.url, arguments.dashboards)
                    check_alert(prometheus.url, "TenancyUnknownTenantSpike")
                status = demo.stop()
                if status != 0:
                    raise CheckFailed(f"tenancy-demo exited with {status} after SIGTERM, expected 0")
        except CheckFailed as failure:
            print(f"e2e-prometheus: FAILED: {failure}", file=sys.stderr)
            for name in ("demo.sqlite.log", "prometheus.log"):
                path = os.path.join(work, name)
                if os.path.exists(path):
                    with open(path) as log:
                        print(f"--- {name} (last 30 lines)", file=sys.stderr)
                        print("".join(log.readlines()[-30:]), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
