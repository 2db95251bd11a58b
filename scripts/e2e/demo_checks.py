#!/usr/bin/env python3
"""The README walkthrough against the real tenancy-demo binary, every status, header and body field
asserted, plus the admin, isolation, restart and command-line cases of issue 6.

Called by scripts/e2e-demo.sh with the built binary; starts and stops the demo itself (ephemeral ports, a
temporary database). Standard library only; `promtool` checks the scraped /metrics when installed (CI
installs it; a missing promtool is reported loudly and fails under CI=true).
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys

from processes import CheckFailed, Demo, WorkDirectory, request

PROBLEM = "application/problem+json"
checks = 0


def expect(condition, message):
    global checks
    checks += 1
    if not condition:
        raise CheckFailed(message)


def expect_equal(what, seen, expected):
    expect(seen == expected, f"{what}: expected {expected!r}, got {seen!r}")


class Client:
    """Calls the demo's API as one caller (a tenant, the admin, or nobody)."""

    def __init__(self, demo, tenant=None, token=None):
        self.demo = demo
        self.tenant = tenant
        self.token = token

    def call(self, method, path, body=None, headers=None):
        all_headers = dict(headers or {})
        if self.tenant is not None:
            all_headers.setdefault("X-Tenant-ID", self.tenant)
        if self.token is not None:
            all_headers.setdefault("Authorization", f"Bearer {self.token}")
        status, response_headers, raw = request(method, self.demo.api + path, all_headers, body)
        document = None
        content_type = response_headers.get("Content-Type", "")
        if raw and ("json" in content_type):
            document = json.loads(raw)
        return status, response_headers, document

    def expect(self, method, path, status, body=None, headers=None, code=None):
        seen, response_headers, document = self.call(method, path, body, headers)
        expect(seen == status, f"{method} {path} as {self.tenant or 'nobody'}: expected {status}, got {seen} {document}")
        if code is not None:
            expect_equal(f"{method} {path} Content-Type", response_headers.get("Content-Type"), PROBLEM)
            expect_equal(f"{method} {path} problem code", document.get("code"), code)
            expect_equal(f"{method} {path} problem status", document.get("status"), status)
            expect(document.get("type", "").endswith(code), f"{method} {path}: problem type {document.get('type')}")
            expect(bool(document.get("title")) and "detail" in document, f"{method} {path}: problem fields {document}")
        return response_headers, document


ACME = {"id": "acme", "quota": {"algorithm": "fixed_window",
                                "limits": [{"window": "day", "requests": 12, "tokens": 5000}]},
        "policy": {"allowed_models": ["gpt-4o"]}, "metadata": {"plan": "pro"}}
GLOBEX = {"id": "globex", "quota": {"algorithm": "token_bucket",
                                    "limits": [{"window": "minute", "requests": 100}]}}


def check_tenant_document(document, expected):
    for field in ("id", "status", "quota", "policy", "metadata", "version", "created_at", "updated_at"):
        expect(field in document, f"tenant JSON lacks {field}: {document}")
    expect_equal("tenant id", document["id"], expected["id"])
    expect_equal("tenant status", document["status"], expected.get("status", "active"))
    # The stored form is canonical: both dimensions of every limit spelled out (0 = unlimited).
    quota = {"algorithm": expected["quota"]["algorithm"],
             "limits": [dict({"requests": 0, "tokens": 0}, **limit) for limit in expected["quota"]["limits"]]}
    expect_equal("tenant quota", document["quota"], quota)
    for field in ("allowed_models", "allowed_tools", "allowed_methods", "allowed_paths"):
        expect_equal(f"policy.{field}", document["policy"].get(field), expected.get("policy", {}).get(field, []))
    expect_equal("tenant metadata", document["metadata"], expected.get("metadata", {}))
    expect(document["created_at"].endswith("Z"), f"created_at is RFC 3339 UTC: {document['created_at']}")


def admin_walkthrough(demo, admin):
    nobody = Client(demo)
    headers, _ = nobody.expect("GET", "/admin/tenants", 401, code=None)
    expect(headers.get("WWW-Authenticate", "").startswith("Bearer"), f"401 challenge: {headers.get('WWW-Authenticate')}")
    Client(demo, token="wrong-token-0123456789").expect("GET", "/admin/tenants", 401)

    _, acme = admin.expect("POST", "/admin/tenants", 201, body=ACME)
    check_tenant_document(acme, ACME)
    expect_equal("new tenant version", acme["version"], 1)
    _, globex = admin.expect("POST", "/admin/tenants", 201, body=GLOBEX)
    check_tenant_document(globex, GLOBEX)
    admin.expect("POST", "/admin/tenants", 409, body=ACME, code="tenant_exists")
    _, invalid = admin.expect("POST", "/admin/tenants", 400, body={"id": "bad id!"})
    expect("id" in json.dumps(invalid), f"an invalid ID names the field: {invalid}")

    _, page = admin.expect("GET", "/admin/tenants?limit=1", 200)
    expect_equal("first page", [tenant["id"] for tenant in page["tenants"]], ["acme"])
    expect_equal("first page next_after", page["next_after"], "acme")
    _, page = admin.expect("GET", "/admin/tenants?limit=1&after=acme", 200)
    expect_equal("second page", [tenant["id"] for tenant in page["tenants"]], ["globex"])
    _, page = admin.expect("GET", "/admin/tenants?limit=1&after=globex", 200)
    expect_equal("last page", page, {"tenants": [], "next_after": None})

    _, fetched = admin.expect("GET", "/admin/tenants/acme", 200)
    expect_equal("fetched tenant", fetched, acme)
    admin.expect("GET", "/admin/tenants/nobody-here", 404)

    stale = dict(ACME, metadata={"plan": "enterprise"})
    admin.expect("PUT", "/admin/tenants/acme", 412, body=stale, headers={"If-Match": '"7"'})
    _, updated = admin.expect("PUT", "/admin/tenants/acme", 200, body=stale, headers={"If-Match": '"1"'})
    expect_equal("updated metadata", updated["metadata"], {"plan": "enterprise"})
    expect_equal("updated version", updated["version"], 2)

    _, temporary = admin.expect("POST", "/admin/tenants", 201, body={"id": "temporary"})
    admin.expect("DELETE", "/admin/tenants/temporary", 204)
    admin.expect("GET", "/admin/tenants/temporary", 404)
    admin.expect("DELETE", "/admin/tenants/temporary", 404)


def quota_headers(headers, remaining_requests):
    expect("RateLimit-Policy" in headers and "RateLimit" in headers, f"RateLimit headers: {dict(headers)}")
    expect_equal("X-Quota-Remaining-Requests", headers.get("X-Quota-Remaining-Requests"), str(remaining_requests))


def tenant_walkthrough(demo, admin):
    acme, globex = Client(demo, "acme"), Client(demo, "globex")
    used = 0  # acme's requests counted against its 12 a day

    headers, pong = acme.expect("GET", "/api/v1/ping", 200)
    used += 1
    quota_headers(headers, 12 - used)
    expect_equal("ping tenant", pong.get("tenant"), "acme")
    expect(headers.get("X-Request-ID"), "every response carries X-Request-ID")

    chat = {"messages": [{"role": "user", "content": "Say hello"}]}
    headers, completion = acme.expect("POST", "/api/v1/chat/completions", 200, body=chat,
                                      headers={"X-Model": "gpt-4o", "X-Token-Count": "300"})
    used += 1
    expect_equal("completion model", completion.get("model"), "gpt-4o")
    expect_equal("completion tokens", completion.get("usage", {}).get("total_tokens"), 300)
    expect_equal("X-Quota-Remaining-Tokens", headers.get("X-Quota-Remaining-Tokens"), str(5000 - 300))

    _, denied = acme.expect("POST", "/api/v1/chat/completions", 403, body=chat,
                            headers={"X-Model": "gpt-3.5-turbo"}, code="tenant_policy_denied")
    expect("model" in denied["detail"], f"a policy denial names the model: {denied['detail']}")
    acme.expect("POST", "/api/v1/chat/completions", 403, body=chat, code="tenant_policy_denied")
    acme.expect("POST", "/api/v1/chat/completions", 400, body=chat,
                headers={"X-Model": "gpt-4o", "X-Token-Count": "-1"}, code="invalid_token_count")
    acme.expect("POST", "/api/v1/chat/completions", 429, body=chat,
                headers={"X-Model": "gpt-4o", "X-Token-Count": "5001"}, code="tenant_quota_exceeded")

    # Resources are isolated: globex can neither see, list nor delete acme's (404, not 403).
    _, created = acme.expect("POST", "/api/v1/resources", 201, body={"name": "plan.txt", "content": "acme only"})
    used += 1
    resource = created["id"]
    expect_equal("resource name", created.get("name"), "plan.txt")
    _, listed = acme.expect("GET", "/api/v1/resources", 200)
    used += 1
    expect_equal("acme's resources", [item["id"] for item in listed["resources"]], [resource])
    expect_equal("a listing leaves the content out", "content" in listed["resources"][0], False)
    expect_equal("the only page has no next cursor", listed["next_after"], None)
    _, fetched = acme.expect("GET", f"/api/v1/resources/{resource}", 200)
    used += 1
    expect_equal("fetched resource", fetched, created)
    globex.expect("GET", f"/api/v1/resources/{resource}", 404)
    _, others = globex.expect("GET", "/api/v1/resources", 200)
    expect_equal("globex sees no resources", others["resources"], [])
    globex.expect("DELETE", f"/api/v1/resources/{resource}", 404)
    acme.expect("GET", f"/api/v1/resources/{resource}", 200)
    used += 1

    while used < 12:
        acme.expect("GET", "/api/v1/ping", 200)
        used += 1
    headers, _ = acme.expect("GET", "/api/v1/ping", 429, code="tenant_quota_exceeded")
    expect(int(headers.get("Retry-After", "0")) >= 1, f"Retry-After on 429: {headers.get('Retry-After')}")
    quota_headers(headers, 0)

    _, usage = admin.expect("GET", "/admin/tenants/acme/usage", 200)
    expect("requests" in json.dumps(usage) and "12" in json.dumps(usage), f"usage report: {usage}")

    raised = {"algorithm": "fixed_window", "limits": [{"window": "day", "requests": 100, "tokens": 5000}]}
    admin.expect("PUT", "/admin/tenants/acme/quota", 200, body=raised)
    acme.expect("GET", "/api/v1/ping", 200)  # the new quota applies to the very next request

    Client(demo).expect("GET", "/api/v1/ping", 401, code="tenant_required")
    Client(demo, "nobody-here").expect("GET", "/api/v1/ping", 403, code="tenant_unknown")
    Client(demo, "bad id!").expect("GET", "/api/v1/ping", 400, code="tenant_invalid_id")

    suspended = dict(GLOBEX, status="suspended")
    admin.expect("PUT", "/admin/tenants/globex", 200, body=suspended)
    globex.expect("GET", "/api/v1/ping", 403, code="tenant_suspended")
    return resource


def check_health(demo):
    client = Client(demo)
    client.expect("GET", "/healthz", 200)
    client.expect("GET", "/readyz", 200)


def check_metrics(demo):
    status, headers, raw = request("GET", demo.metrics)
    expect_equal("/metrics status", status, 200)
    expect_equal("/metrics Content-Type", headers.get("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
    text = raw.decode()
    # acme: 13 admitted (whatever the handler answered), 2 denied by policy, 2 over quota (one that can
    # never fit), 1 malformed token count; globex: 3 admitted (its 404s count as admitted) before it was
    # suspended, after which it is no longer a resolved tenant.
    expected = [("acme", "allowed", 13), ("acme", "policy_denied", 2), ("acme", "quota_rejected", 2),
                ("acme", "bad_request", 1), ("acme", "error", 0), ("globex", "allowed", 3)]
    series = [line for line in text.splitlines() if line.startswith("tenancy_requests_total{")]
    for tenant, outcome, value in expected:
        found = [float(line.rpartition(" ")[2]) for line in series
                 if f'tenant_id="{tenant}"' in line and f'outcome="{outcome}"' in line]
        expect(found == [value], f"tenancy_requests_total of {tenant} {outcome}: expected {value}, got {found}")
    promtool = shutil.which("promtool")
    if promtool is None:
        message = "promtool is missing (apt-get install -y prometheus): /metrics is not checked by it"
        if os.environ.get("CI"):
            raise CheckFailed(message)
        print(f"WARNING: {message}", file=sys.stderr)
        return
    result = subprocess.run([promtool, "check", "metrics"], input=raw, capture_output=True)
    expect(result.returncode == 0, f"promtool check metrics: {result.stdout.decode()}{result.stderr.decode()}")


def check_restart(binary, database, token, resource):
    with Demo(binary, database, admin_token=token) as demo:
        admin = Client(demo, token=token)
        _, page = admin.expect("GET", "/admin/tenants", 200)
        expect_equal("tenants after restart", [tenant["id"] for tenant in page["tenants"]], ["acme", "globex"])
        _, fetched = Client(demo, "acme").expect("GET", f"/api/v1/resources/{resource}", 200)
        expect_equal("resource after restart", fetched.get("id"), resource)
        expect_equal("exit status after SIGTERM", demo.stop(), 0)


def check_command_line(binary, work):
    result = subprocess.run([binary, "--port", "http"], capture_output=True, timeout=30)
    expect_equal("exit status of a bad flag", result.returncode, 2)
    expect(b"--port" in result.stderr, f"a bad flag is named: {result.stderr!r}")
    result = subprocess.run([binary, "--no-such-flag"], capture_output=True, timeout=30)
    expect_equal("exit status of an unknown flag", result.returncode, 2)
    expect(b"--no-such-flag" in result.stderr, f"an unknown flag is named: {result.stderr!r}")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([binary, "--port", str(port), "--metrics-port", "0", "--database",
                                 os.path.join(work, "taken.sqlite")], capture_output=True, timeout=30)
        expect_equal("exit status for a port in use", result.returncode, 2)
        expect(str(port).encode() in result.stderr, f"the taken port is named: {result.stderr!r}")
    result = subprocess.run([binary, "--port", "0", "--metrics-port", "0", "--database",
                             "/proc/no-such-dir/demo.sqlite"], capture_output=True, timeout=30)
    expect_equal("exit status for an unwritable database", result.returncode, 2)
    expect(b"--database" in result.stderr or b"/proc/no-such-dir" in result.stderr,
           f"the database path is named: {result.stderr!r}")


def check_generated_token(binary, work):
    with Demo(binary, os.path.join(work, "generated.sqlite")) as demo:
        expect(demo.admin_token and len(demo.admin_token) >= 32, f"a generated admin token is printed: {demo.admin_token}")
        Client(demo, token=demo.admin_token).expect("GET", "/admin/tenants", 200)
        expect_equal("exit status after SIGTERM", demo.stop(), 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", required=True, help="the tenancy-demo binary")
    arguments = parser.parse_args()
    token = "e2e-" + os.urandom(16).hex()
    with WorkDirectory() as work:
        database = os.path.join(work, "demo.sqlite")
        try:
            with Demo(arguments.demo, database, admin_token=token) as demo:
                admin = Client(demo, token=token)
                check_health(demo)
                admin_walkthrough(demo, admin)
                resource = tenant_walkthrough(demo, admin)
                check_metrics(demo)
                expect_equal("exit status after SIGTERM", demo.stop(), 0)
                log = demo.output()
                expect("path=/api/v1/ping" in log and "tenant=acme" in log and "status=429" in log,
                       "one log line per request with method, path, status, tenant and duration")
            check_restart(arguments.demo, database, token, resource)
            check_generated_token(arguments.demo, work)
            check_command_line(arguments.demo, work)
        except CheckFailed as failure:
            print(f"e2e-demo: FAILED after {checks} checks: {failure}", file=sys.stderr)
            log = database + ".log"
            if os.path.exists(log):
                with open(log) as handle:
                    print("--- tenancy-demo log (last 30 lines)\n" + "".join(handle.readlines()[-30:]), file=sys.stderr)
            return 1
    print(f"e2e-demo: OK, {checks} checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
