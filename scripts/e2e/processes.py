"""Starting and stopping the real processes of the end-to-end checks: tenancy-demo and Prometheus.

Every process is started in a temporary directory and stopped (SIGTERM, then SIGKILL after a deadline)
when its `with` block ends, pass or fail. Readiness is polled with deadlines, never slept for.
Standard library only.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ADDRESS_LINE = re.compile(r"^tenancy-demo (api|metrics|admin-token) (\S+)")


class CheckFailed(Exception):
    """A check of an end-to-end script failed; the message says what was expected and what was seen."""


def request(method, url, headers=None, body=None, timeout=10):
    """Returns (status, headers, body bytes); HTTP errors are answers, not exceptions."""
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        headers = dict(headers or {}, **{"Content-Type": "application/json"})
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def poll(what, deadline, probe, interval=0.1):
    """Calls `probe` until it returns a truthy value or `deadline` seconds pass; returns that value."""
    end = time.monotonic() + deadline
    last_error = None
    while True:
        try:
            value = probe()
            if value:
                return value
        except (OSError, ValueError, KeyError) as error:
            last_error = error
        if time.monotonic() > end:
            raise CheckFailed(f"{what}: not ready after {deadline}s" + (f" ({last_error})" if last_error else ""))
        time.sleep(interval)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Demo:
    """A running tenancy-demo: `api`, `metrics` (URLs) and `admin_token` once started."""

    def __init__(self, binary, database, admin_token=None, extra_arguments=(), log_path=None):
        self.binary = binary
        self.database = database
        self.admin_token = admin_token
        self.extra_arguments = list(extra_arguments)
        self.log_path = log_path or database + ".log"
        self.process = None
        self.api = None
        self.metrics = None

    def start(self, deadline=60):
        arguments = [self.binary, "--port", "0", "--metrics-port", "0", "--database", self.database]
        if self.admin_token:
            arguments += ["--admin-token", self.admin_token]
        arguments += self.extra_arguments
        self.log = open(self.log_path, "a+")
        self.offset = self.log.tell()
        self.process = subprocess.Popen(arguments, stdout=self.log, stderr=subprocess.STDOUT)
        found = poll("tenancy-demo addresses", deadline, self._addresses)
        self.api, self.metrics = found["api"], found["metrics"]
        self.admin_token = self.admin_token or found.get("admin-token")
        return self

    def _addresses(self):
        if self.process.poll() is not None:
            raise CheckFailed(f"tenancy-demo exited with {self.process.returncode}:\n{self.output()}")
        found = {}
        for line in self.output().splitlines():
            match = ADDRESS_LINE.match(line)
            if match:
                found[match.group(1)] = match.group(2)
        return found if "api" in found and "metrics" in found else None

    def output(self):
        """What the process printed since this start."""
        with open(self.log_path) as log:
            log.seek(self.offset)
            return log.read()

    def stop(self, deadline=15):
        """SIGTERM, then the exit status (SIGKILL if it does not exit within `deadline`)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=deadline)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise CheckFailed(f"tenancy-demo did not exit within {deadline}s of SIGTERM")
        finally:
            self.log.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exception):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Prometheus:
    """A real Prometheus on 127.0.0.1 with a temporary TSDB; `url` once started."""

    def __init__(self, binary, work, config):
        self.binary = binary
        self.work = work
        self.config = config
        self.process = None
        self.url = None

    def __enter__(self):
        if not shutil.which(self.binary) and not os.access(self.binary, os.X_OK):
            raise CheckFailed(f"{self.binary} is missing (apt-get install -y prometheus)")
        config_path = os.path.join(self.work, "prometheus.yml")
        with open(config_path, "w") as handle:
            handle.write(self.config)
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(os.path.join(self.work, "prometheus.log"), "w")
        self.process = subprocess.Popen(
            [self.binary, f"--config.file={config_path}", f"--storage.tsdb.path={self.work}/tsdb",
             f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
            stdout=self.log, stderr=subprocess.STDOUT)

        def ready():
            if self.process.poll() is not None:
                raise CheckFailed(f"prometheus exited with {self.process.returncode}")
            return request("GET", self.url + "/-/ready", timeout=2)[0] == 200
        poll("prometheus", 60, ready)
        return self

    def __exit__(self, *exception):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class WorkDirectory:
    """A temporary directory, removed on exit unless KEEP_E2E_DIR is set."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="tenancy-e2e.")
        return self.path

    def __exit__(self, *exception):
        if os.environ.get("KEEP_E2E_DIR"):
            print(f"kept {self.path}")
        else:
            shutil.rmtree(self.path, ignore_errors=True)
