import Foundation
import Testing

@testable import TenancyMetrics

/// Feeds a hostile exposition to the reference parsers: `promtool check metrics` must accept it, and
/// `prometheus_client`'s parser must read back every value exactly.
///
/// Both tools are optional locally (the test prints a note and passes without them) and required in CI
/// (`CI=true`), where `.ci/run` installs them. `scripts/check-exposition.sh` sets `TENANCY_EXPOSITION_OUT`
/// to receive the same payload for the strict structural checks of `check_exposition.py`.
@Suite struct ConformanceTests {
    /// A sample the parser must read back, with the value as its bit pattern so nothing is lost in JSON.
    struct Expected: Encodable {
        var name: String
        var labels: [String: String]
        var bits: String
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
        var expected: [Expected] = []
        func expect(_ name: String, _ labels: [String: String], _ value: Double) {
            expected.append(Expected(name: name, labels: labels, bits: String(value.bitPattern)))
        }

        let requests = try registry.counterVec(
            name: "conformance_requests_total", help: helpText, labelNames: ["tenant_id", "outcome"])
        for (index, value) in hostileValues.enumerated() {
            try requests.labels(value, "allowed").increment(by: UInt64(index + 1))
        }
        // The cap of 8 sends the last values, and the literal `__other__`, to the overflow series.
        var overflowTotal: Double = 0
        for (index, value) in hostileValues.enumerated() {
            if index < 8 && value != "__other__" {
                expect("conformance_requests_total", ["tenant_id": value, "outcome": "allowed"], Double(index + 1))
            } else {
                overflowTotal += Double(index + 1)
            }
        }
        expect("conformance_requests_total", ["tenant_id": "__other__", "outcome": "allowed"], overflowTotal)
        expect("tenancy_metrics_overflow_total", ["family": "conformance_requests_total"], 5)
        expect("tenancy_metrics_tenants_tracked", [:], 8)

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

        try registry.register(ProcessCollector())
        return (registry.render(), expected)
    }

    @Test func promtoolAcceptsTheHostilePayload() throws {
        guard let promtool = Tool.find("promtool", install: "apt-get install -y prometheus") else { return }
        let (payload, _) = try Self.hostilePayload()
        let file = try Tool.temporaryFile(payload)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Tool.run(promtool, ["check", "metrics"], stdin: file)
        #expect(result.status == 0, "promtool check metrics failed:\n\(result.output)")
    }

    @Test func prometheusClientParsesEveryValueBackExactly() throws {
        guard let python = Tool.find("python3", install: "apt-get install -y python3"),
            Tool.pythonHasPrometheusClient(python)
        else { return }
        let (payload, expected) = try Self.hostilePayload()
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

    /// Writes the payload where `scripts/check-exposition.sh` asks for it (`TENANCY_EXPOSITION_OUT`).
    @Test func theHostilePayloadIsWrittenWhereTheCheckScriptAsks() throws {
        guard let path = ProcessInfo.processInfo.environment["TENANCY_EXPOSITION_OUT"], !path.isEmpty else { return }
        let (payload, _) = try Self.hostilePayload()
        try Data(payload).write(to: URL(fileURLWithPath: path))
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
