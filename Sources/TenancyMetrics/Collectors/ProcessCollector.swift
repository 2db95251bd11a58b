#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard `process_*` metrics with client_golang's names and meanings, read from Linux `/proc` at
/// every scrape:
///
/// | family | type | source |
/// |---|---|---|
/// | `process_cpu_seconds_total` | counter | `utime + stime` of `/proc/self/stat`, in clock ticks |
/// | `process_resident_memory_bytes` | gauge | `rss` pages of `/proc/self/stat` times the page size |
/// | `process_virtual_memory_bytes` | gauge | `vsize` of `/proc/self/stat` |
/// | `process_open_fds` | gauge | entries of `/proc/self/fd` |
/// | `process_max_fds` | gauge | the soft `Max open files` of `/proc/self/limits` |
/// | `process_start_time_seconds` | gauge | `btime` of `/proc/stat` plus `starttime` of `/proc/self/stat` |
///
/// Clock ticks come from `sysconf(_SC_CLK_TCK)`. A value that cannot be read (another OS, a hardened
/// `/proc`) is left out of the scrape rather than reported as zero.
public struct ProcessCollector: MetricsCollector {
    /// Where `/proc` is mounted; tests point it at a fixture directory.
    public var procRoot: String

    /// Creates a collector.
    /// - Parameter procRoot: Where `/proc` is mounted; `/proc` by default.
    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// The six `process_*` families.
    public var descriptors: [MetricDescriptor] {
        [
            MetricDescriptor(
                name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.",
                type: .counter),
            MetricDescriptor(
                name: "process_max_fds", help: "Maximum number of open file descriptors.", type: .gauge),
            MetricDescriptor(name: "process_open_fds", help: "Number of open file descriptors.", type: .gauge),
            MetricDescriptor(
                name: "process_resident_memory_bytes", help: "Resident memory size in bytes.", type: .gauge),
            MetricDescriptor(
                name: "process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.",
                type: .gauge),
            MetricDescriptor(
                name: "process_virtual_memory_bytes", help: "Virtual memory size in bytes.", type: .gauge),
        ]
    }

    /// Reads `/proc` now.
    /// - Returns: A sample for every value that could be read.
    public func collect() -> [CollectedSample] {
        var samples: [CollectedSample] = []
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = ProcessStat(parsing: Self.readFile("\(procRoot)/self/stat")), ticks > 0, pageSize > 0 {
            let cpuTicks = Double(stat.userTicks) + Double(stat.systemTicks)
            samples.append(.init(name: "process_cpu_seconds_total", value: cpuTicks / ticks))
            samples.append(.init(name: "process_virtual_memory_bytes", value: Double(stat.virtualBytes)))
            let residentBytes = Double(stat.residentPages) * pageSize
            samples.append(.init(name: "process_resident_memory_bytes", value: residentBytes))
            if let bootTime = ProcessStat.bootTime(parsing: Self.readFile("\(procRoot)/stat")) {
                let startTime = Double(bootTime) + Double(stat.startTicks) / ticks
                samples.append(.init(name: "process_start_time_seconds", value: startTime))
            }
        }
        if let openFiles = Self.countEntries("\(procRoot)/self/fd") {
            samples.append(.init(name: "process_open_fds", value: Double(openFiles)))
        }
        if let maximum = ProcessStat.maximumOpenFiles(parsing: Self.readFile("\(procRoot)/self/limits")) {
            samples.append(.init(name: "process_max_fds", value: Double(maximum)))
        }
        return samples
    }

    /// The whole file (files in `/proc` report size 0, so read until end of file); `nil` when unreadable.
    static func readFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[..<count])
            } else if count == 0 {
                return String(decoding: bytes, as: UTF8.self)
            } else if errno != EINTR {
                return nil
            }
        }
    }

    /// The number of entries of a directory, without `.` and `..`; `nil` when unreadable.
    static func countEntries(_ path: String) -> Int? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            // Only `.` and `..` start with a dot in /proc/self/fd.
            if entry.pointee.d_name.0 != CChar(UInt8(ascii: ".")) { count += 1 }
        }
        return count
    }
}
