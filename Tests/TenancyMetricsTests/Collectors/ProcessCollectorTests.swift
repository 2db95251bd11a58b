import Foundation
import Testing

@testable import TenancyMetrics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct ProcessCollectorTests {
    /// Fields 3-25 of a stat line: utime 250, stime 150, starttime 5000, vsize 123456789, rss 2500.
    static let statFields =
        "S 1 1234 1234 0 -1 4194560 1000 0 0 0 250 150 0 0 20 0 4 0 5000 123456789 2500 18446744073709551615"

    static let limits = """
        Limit                     Soft Limit           Hard Limit           Units
        Max cpu time              unlimited            unlimited            seconds
        Max open files            1024                 4096                 files
        Max locked memory         8388608              8388608              bytes

        """

    /// A fake `/proc` in a temporary directory.
    private static func fixture(
        stat: String? = "1234 (my (weird) proc) \(statFields)\n",
        procStat: String? = "cpu  1 2 3\nbtime 1700000000\nprocesses 5\n", limits: String? = limits, fds: Int? = 4
    ) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(UUID().uuidString)")
        let selfDirectory = root.appendingPathComponent("self")
        try FileManager.default.createDirectory(at: selfDirectory, withIntermediateDirectories: true)
        try stat?.write(to: selfDirectory.appendingPathComponent("stat"), atomically: true, encoding: .utf8)
        try procStat?.write(to: root.appendingPathComponent("stat"), atomically: true, encoding: .utf8)
        try limits?.write(to: selfDirectory.appendingPathComponent("limits"), atomically: true, encoding: .utf8)
        if let fds {
            let fdDirectory = selfDirectory.appendingPathComponent("fd")
            try FileManager.default.createDirectory(at: fdDirectory, withIntermediateDirectories: true)
            for fd in 0..<fds {
                try "".write(to: fdDirectory.appendingPathComponent("\(fd)"), atomically: true, encoding: .utf8)
            }
        }
        return root
    }

    @Test func readsTheSixStandardMetricsFromProc() throws {
        let root = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = try plainRegistry()
        try registry.register(ProcessCollector(procRoot: root.path))
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        var cpu: [UInt8] = []
        ExpositionFormat.appendValue(400 / ticks, to: &cpu)
        var start: [UInt8] = []
        ExpositionFormat.appendValue(1_700_000_000 + 5000 / ticks, to: &start)
        #expect(
            exposition(registry) == """
                # HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
                # TYPE process_cpu_seconds_total counter
                process_cpu_seconds_total \(String(decoding: cpu, as: UTF8.self))
                # HELP process_max_fds Maximum number of open file descriptors.
                # TYPE process_max_fds gauge
                process_max_fds 1024
                # HELP process_open_fds Number of open file descriptors.
                # TYPE process_open_fds gauge
                process_open_fds 4
                # HELP process_resident_memory_bytes Resident memory size in bytes.
                # TYPE process_resident_memory_bytes gauge
                process_resident_memory_bytes \(2500 * pageSize)
                # HELP process_start_time_seconds Start time of the process since unix epoch in seconds.
                # TYPE process_start_time_seconds gauge
                process_start_time_seconds \(String(decoding: start, as: UTF8.self))
                # HELP process_virtual_memory_bytes Virtual memory size in bytes.
                # TYPE process_virtual_memory_bytes gauge
                process_virtual_memory_bytes 123456789

                """)
    }

    @Test func unreadableFilesLeaveTheirMetricsOut() throws {
        let registry = try plainRegistry()
        try registry.register(ProcessCollector(procRoot: "/nonexistent-proc-root"))
        #expect(registry.render().isEmpty)
    }

    @Test func aMissingBootTimeLeavesOnlyTheStartTimeOut() throws {
        let root = try Self.fixture(procStat: "cpu 1 2 3\n", limits: nil, fds: nil)
        defer { try? FileManager.default.removeItem(at: root) }
        let names = Set(ProcessCollector(procRoot: root.path).collect().map(\.name))
        #expect(names == ["process_cpu_seconds_total", "process_virtual_memory_bytes", "process_resident_memory_bytes"])
    }

    @Test func theRealProcessReportsPlausibleValues() throws {
        #if os(Linux)
        let samples = Dictionary(
            ProcessCollector().collect().map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        #expect(samples.count == 6)
        #expect((samples["process_cpu_seconds_total"] ?? -1) >= 0)
        #expect((samples["process_resident_memory_bytes"] ?? 0) > 1_000_000)
        #expect((samples["process_virtual_memory_bytes"] ?? 0) >= (samples["process_resident_memory_bytes"] ?? 0))
        #expect((samples["process_open_fds"] ?? 0) >= 3)
        #expect((samples["process_max_fds"] ?? 0) >= (samples["process_open_fds"] ?? 0))
        let now = Date().timeIntervalSince1970
        let started = samples["process_start_time_seconds"] ?? 0
        #expect(started <= now + 1 && started > now - 86_400 * 30)
        #endif
    }

    @Test(arguments: [
        "1 (comm) S 1 2", "no parenthesis", "1 (comm) \(statFields.replacingOccurrences(of: " 250 ", with: " x "))", "",
    ])
    func malformedStatLinesAreNotParsed(text: String) {
        #expect(ProcessStat(parsing: text) == nil)
    }

    @Test func theCommandNameMayContainSpacesAndParentheses() {
        let stat = ProcessStat(parsing: "77 (a) b (c)) \(Self.statFields)")
        #expect(stat == ProcessStat(parsing: "77 (x) \(Self.statFields)"))
        #expect(stat?.userTicks == 250)
        #expect(stat?.systemTicks == 150)
        #expect(stat?.startTicks == 5000)
        #expect(stat?.virtualBytes == 123_456_789)
        #expect(stat?.residentPages == 2500)
        #expect(ProcessStat(parsing: nil) == nil)
    }

    @Test(arguments: [
        ("btime 1700000000\n", UInt64(1_700_000_000)), ("cpu 1\nbtime 42", 42), ("btime x", nil), ("btime 1 2", nil),
        ("nothing", nil),
    ] as [(String, UInt64?)])
    func theBootTimeComesFromTheBtimeLine(text: String, expected: UInt64?) {
        #expect(ProcessStat.bootTime(parsing: text) == expected)
        #expect(ProcessStat.bootTime(parsing: nil) == nil)
    }

    @Test(arguments: [
        (limits, UInt64(1024)), ("Max open files unlimited unlimited files", UInt64.max),
        ("Max open files            bad  1 files", nil), ("Max open files", nil), ("Max processes 5 5", nil),
    ] as [(String, UInt64?)])
    func theMaximumOpenFilesIsTheSoftLimit(text: String, expected: UInt64?) {
        #expect(ProcessStat.maximumOpenFiles(parsing: text) == expected)
        #expect(ProcessStat.maximumOpenFiles(parsing: nil) == nil)
    }

    @Test func unlimitedOpenFilesRenderLikeClientGolang() throws {
        let root = try Self.fixture(limits: "Max open files unlimited unlimited files\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = try plainRegistry()
        try registry.register(ProcessCollector(procRoot: root.path))
        #expect(exposition(registry).contains("process_max_fds 1.8446744073709552e+19\n"))
    }
}
