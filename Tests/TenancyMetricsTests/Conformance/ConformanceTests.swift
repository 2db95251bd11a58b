import Foundation
import Tenancy
import TenancyTestSupport
import Testing

@testable import TenancyMetrics

/// Feeds a hostile exposition to the reference parsers: `promtool check metrics` must accept it, and
/// `prometheus_client`'s parser must read back every value exactly.
///
/// The payload is checked twice: rendered in-process, and scraped over a socket from a live
/// ``MetricsListener`` serving a ``TenantMetrics`` registry (observer families, the app's own hostile
/// families, the overflow series, process metrics), so that what Prometheus really receives is what is
/// verified.
///
/// Both tools are optional locally (the test prints a note and passes without them) and required in CI
/// (`CI=true`), where `.ci/run` installs them. `scripts/check-exposition.sh` sets `TENANCY_EXPOSITION_OUT`
/// to receive the scraped payload for the strict structural checks of `check_exposition.py`.
@Suite struct ConformanceTests {
    /// A sample the parser must read back, with the value as its bit pattern so nothing is lost in JSON.
    struct Expected: Encodable {
        var name: String
        var labels: [String: String]
        var bits: String

        init(_ name: String, _ labels: [String: String], _ value: Double) {
            self.name = name
            self.labels = labels
            bits = String(value.bitPattern)
        }
    }

    static let hostileValues = [
        "quote\"d", "back\\slash", "new\nline", "ünïcødé ✓ 日本", "🚀", "}{,=", "", "trailing\\", "\\\"\n\\n",
        "tab\there", "e\u{301}", "\u{E9}", "__other__",
    ]

    /// A help text with a literal backslash-n (escaped `\\n`), a real newline (escaped `\n`) and quotes
    /// (not escaped in help).
    static let helpText = "Requests, with a literal \\n, a real\nnewline and \"quotes\" in help."

    /// What the parser must find: every sample of the `conformance_` families, exactly, and the help text.
    struct Expectations: Encodable {
        var samples: [Expected]
        var help: [String: String]
    }

    /// The payload and what the parser must find in it.
    static func hostilePayload() throws -> (payload: [UInt8], expected: [Expected]) {
        let registry = try MetricsRegistry(configuration: .init(cardinality: CardinalityLimit(maximumValues: 8)))
        var expected = try recordHostileSeries(into: registry, freeSlots: 8)
        expected.append(Expected("tenancy_metrics_tenants_tracked", [:], 8))
        try registry.register(ProcessCollector())
        return (registry.render(), expected)
    }

    /// Records the `conformance_` families into `registry`, whose bounded label is `tenant_id` with
    /// `freeSlots` values left under its cap, and returns what the parser must find, including the overflow
    /// count of `conformance_requests_total`.
    static func recordHostileSeries(into registry: MetricsRegistry, freeSlots: Int) throws -> [Expected] {
        var expected: [Expected] = []
        func expect(_ name: String, _ labels: [String: String], _ value: Double) {
            expected.append(Expected(name, labels, value))
        }

        let requests = try registry.counterVec(
            name: "conformance_requests_total", help: helpText, labelNames: ["tenant_id", "outcome"])
        for (index, value) in hostileValues.enumerated() {
            try requests.labels(value, "allowed").increment(by: UInt64(index + 1))
        }
        // Past the cap the last values, and the literal `__other__` at once, go to the overflow series.
        var slots = freeSlots
        var overflowTotal: Double = 0
        var overflowSamples: Double = 0
        for (index, value) in hostileValues.enumerated() {
            if slots > 0 && value != "__other__" {
                slots -= 1
                expect("conformance_requests_total", ["tenant_id": value, "outcome": "allowed"], Double(index + 1))
            } else {
                overflowTotal += Double(index + 1)
                overflowSamples += 1
            }
        }
        expect("conformance_requests_total", ["tenant_id": "__other__", "outcome": "allowed"], overflowTotal)
        expect("tenancy_metrics_overflow_total", ["family": "conformance_requests_total"], overflowSamples)

        let special = try registry.gaugeVec(name: "conformance_value", help: "Special values.", labelNames: ["kind"])
        let values: [(String, Double)] = [
            ("pos_inf", .infinity), ("neg_inf", -.infinity), ("nan", .nan), ("tiny", .leastNonzeroMagnitude),
            ("huge", 1.7976931348623157e308), ("small", 1e-05), ("fraction", 0.1 + 0.2), ("negative", -2.5),
            ("million", 1_000_000), ("big", 1.234_567e21), ("third", 1 / 3.0), ("integer", 42),
        ]
        for (kind, value) in values {
            try special.labels(kind).set(value)
            expect("conformance_value", ["kind": kind], value)
        }

        let latency = try registry.histogramVec(
            name: "conformance_latency_seconds", help: "Latency.", labelNames: ["tenant_id"],
            buckets: [0.00001, 0.005, 0.25, 1, 2.5, 1_000_000])
        let observations = [0.000_001, 0.003, 0.1, 0.7, 3, 2e6]
        for value in observations { try latency.labels(hostileValues[0]).observe(value) }
        let bounds: [(String, Double)] = [
            ("1e-05", 1), ("0.005", 2), ("0.25", 3), ("1", 4), ("2.5", 4), ("1e+06", 5), ("+Inf", 6),
        ]
        for (le, count) in bounds {
            expect("conformance_latency_seconds_bucket", ["tenant_id": hostileValues[0], "le": le], count)
        }
        expect("conformance_latency_seconds_sum", ["tenant_id": hostileValues[0]], observations.reduce(0, +))
        expect("conformance_latency_seconds_count", ["tenant_id": hostileValues[0]], 6)

        let cpu = try registry.counter(name: "conformance_cpu_seconds_total", help: "Fractional counter.")
        try cpu.add(0.1)
        try cpu.add(0.2)
        expect("conformance_cpu_seconds_total", [:], 0.1 + 0.2)
        return expected
    }

    @Test func promtoolAcceptsTheHostilePayload() throws {
        try Self.checkWithPromtool(try Self.hostilePayload().payload)
    }

    @Test func prometheusClientParsesEveryValueBackExactly() throws {
        let (payload, expected) = try Self.hostilePayload()
        try Self.checkWithPrometheusClient(payload, expected)
    }

    // MARK: - Scraped from a live listener

    /// Records hostile values through ``TenantMetrics`` and its registry, serves the registry with a
    /// ``MetricsListener`` on an ephemeral port, and scrapes it over a socket.
    /// - Returns: The scraped body and what the parser must find in it.
    static func scrapedPayload() throws -> (payload: [UInt8], expected: [Expected]) {
        let metrics = try TenantMetrics(configuration: .init(maximumTenants: 10))
        let acme = try TenantID("acme")
        metrics.requestCompleted(
            CompletionEvent(tenant: acme, outcome: .allowed, status: 200, duration: .milliseconds(12))
        )
        metrics.requestCompleted(
            CompletionEvent(tenant: try TenantID("globex"), outcome: .quotaRejected, status: 429, duration: .zero)
        )
        // Two tenants tracked: the hostile values of the app's own families get the other eight slots.
        var expected = try recordHostileSeries(into: metrics.registry, freeSlots: 8)
        // The cap is reached: a new tenant is recorded as `__other__`.
        metrics.requestCompleted(
            CompletionEvent(tenant: try TenantID("initech"), outcome: .allowed, status: 200, duration: .seconds(3))
        )
        expected += [
            Expected("tenancy_requests_total", ["tenant_id": "acme", "outcome": "allowed"], 1),
            Expected("tenancy_requests_total", ["tenant_id": "globex", "outcome": "quota_rejected"], 1),
            Expected("tenancy_requests_total", ["tenant_id": "globex", "outcome": "allowed"], 0),
            Expected("tenancy_requests_total", ["tenant_id": "__other__", "outcome": "allowed"], 1),
            Expected("tenancy_request_duration_seconds_sum", ["tenant_id": "acme"], 0.012),
            Expected("tenancy_request_duration_seconds_bucket", ["tenant_id": "acme", "le": "0.01"], 0),
            Expected("tenancy_request_duration_seconds_bucket", ["tenant_id": "acme", "le": "0.025"], 1),
            Expected("tenancy_request_duration_seconds_bucket", ["tenant_id": "__other__", "le": "+Inf"], 1),
            Expected("tenancy_metrics_overflow_total", ["family": "tenancy_requests_total"], 1),
            Expected("tenancy_metrics_tenants_tracked", [:], 10),
            Expected("tenancy_build_info", ["version": TenantMetrics.Configuration.libraryVersion], 1),
        ]

        let listener = try MetricsListener(registry: metrics.registry, configuration: .init(port: 0))
        try listener.start()
        defer { listener.stop() }
        let response = try RawHTTPClient.request(port: try #require(listener.port))
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.header("Content-Length") == "\(response.body.count)")
        return (response.body, expected)
    }

    @Test func promtoolAcceptsWhatALiveListenerServes() throws {
        try Self.checkWithPromtool(try Self.scrapedPayload().payload)
    }

    @Test func prometheusClientParsesWhatALiveListenerServesBackExactly() throws {
        let (payload, expected) = try Self.scrapedPayload()
        try Self.checkWithPrometheusClient(payload, expected)
    }

    /// Writes the scraped payload where `scripts/check-exposition.sh` asks for it (`TENANCY_EXPOSITION_OUT`).
    @Test func theScrapedPayloadIsWrittenWhereTheCheckScriptAsks() throws {
        guard let path = ProcessInfo.processInfo.environment["TENANCY_EXPOSITION_OUT"], !path.isEmpty else { return }
        let (payload, _) = try Self.scrapedPayload()
        try Data(payload).write(to: URL(fileURLWithPath: path))
    }

    // MARK: - The reference parsers

    /// `promtool check metrics` must exit 0 on `payload`.
    static func checkWithPromtool(_ payload: [UInt8]) throws {
        guard let promtool = Tool.find("promtool", install: "apt-get install -y prometheus") else { return }
        let file = try Tool.temporaryFile(payload)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Tool.run(promtool, ["check", "metrics"], stdin: file)
        #expect(result.status == 0, "promtool check metrics failed:\n\(result.output)")
    }

    /// `prometheus_client`'s parser must read `payload` and find every `expected` sample, exactly.
    static func checkWithPrometheusClient(_ payload: [UInt8], _ expected: [Expected]) throws {
        guard let python = Tool.find("python3", install: "apt-get install -y python3"),
            Tool.pythonHasPrometheusClient(python)
        else { return }
        let payloadFile = try Tool.temporaryFile(payload)
        let expectations = Expectations(samples: expected, help: ["conformance_requests_total": Self.helpText])
        let expectedFile = try Tool.temporaryFile(Array(try JSONEncoder().encode(expectations)))
        let script = try Tool.temporaryFile(Array(Self.parseScript.utf8))
        defer {
            for file in [payloadFile, expectedFile, script] { try? FileManager.default.removeItem(at: file) }
        }
        let result = try Tool.run(python, [script.path, payloadFile.path, expectedFile.path])
        #expect(result.status == 0, "prometheus_client disagrees:\n\(result.output)")
        #expect(result.output.contains("OK \(expected.count) samples"))
    }

    /// Parses the payload with prometheus_client and compares every expected sample, exactly.
    static let parseScript = #"""
        import json, math, struct, sys
        from prometheus_client.parser import text_string_to_metric_families

        payload = open(sys.argv[1], encoding="utf-8").read()
        expectations = json.load(open(sys.argv[2], encoding="utf-8"))
        expected, helps = expectations["samples"], expectations["help"]
        seen = {}
        for family in text_string_to_metric_families(payload):
            for name in (family.name, family.name + "_total"):
                if name in helps and family.documentation != helps[name]:
                    sys.exit(f"help of {name}: parsed {family.documentation!r}, registered {helps[name]!r}")
            for sample in family.samples:
                key = (sample.name, tuple(sorted(sample.labels.items())))
                if key in seen:
                    sys.exit(f"duplicate series {key}")
                seen[key] = sample.value
        errors = []
        for item in expected:
            key = (item["name"], tuple(sorted(item["labels"].items())))
            want = struct.unpack("<d", struct.pack("<Q", int(item["bits"])))[0]
            if key not in seen:
                errors.append(f"missing {key}")
            elif not (seen[key] == want or (math.isnan(want) and math.isnan(seen[key]))):
                errors.append(f"{key}: parsed {seen[key]!r}, recorded {want!r}")
        wanted = {(item["name"], tuple(sorted(item["labels"].items()))) for item in expected}
        for key in seen:
            if key[0].startswith("conformance") and key not in wanted:
                errors.append(f"unexpected {key}")
        if errors:
            sys.exit("\n".join(errors))
        print(f"OK {len(expected)} samples")
        """#
}

/// Finding and running the external tools of the conformance tests.
enum Tool {
    /// The executable `name` on `PATH`. When absent: fails the test in CI (`CI=true`), else prints a note.
    static func find(_ name: String, install: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        missing("\(name) is not installed (\(install))")
        return nil
    }

    /// Whether `python` can import `prometheus_client`; reports it missing like ``find(_:install:)``.
    static func pythonHasPrometheusClient(_ python: URL) -> Bool {
        let status = (try? run(python, ["-c", "import prometheus_client"]))?.status
        if status != 0 { missing("python3 cannot import prometheus_client (python3 -m pip install prometheus_client)") }
        return status == 0
    }

    private static func missing(_ what: String) {
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("\(what); the conformance tests require it in CI")
        } else {
            print("note: skipping a conformance check: \(what)")
        }
    }

    /// Runs `executable` to completion, optionally with a file on standard input.
    /// - Returns: The exit status and the combined standard output and error.
    static func run(
        _ executable: URL, _ arguments: [String], stdin: URL? = nil
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        if let stdin { process.standardInput = try FileHandle(forReadingFrom: stdin) }
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A new temporary file holding `bytes`.
    static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tenancy-metrics-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        return url
    }
}
