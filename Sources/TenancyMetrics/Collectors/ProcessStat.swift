/// The fields of `/proc/self/stat` the ``ProcessCollector`` reports, and parsers for `/proc/stat` and
/// `/proc/self/limits`. Pure functions of the file text, so they are tested with fixtures.
struct ProcessStat: Hashable, Sendable {
    /// Field 14, `utime`: user-mode CPU time in clock ticks.
    var userTicks: UInt64
    /// Field 15, `stime`: kernel-mode CPU time in clock ticks.
    var systemTicks: UInt64
    /// Field 22, `starttime`: when the process started, in clock ticks after boot.
    var startTicks: UInt64
    /// Field 23, `vsize`: virtual memory size in bytes.
    var virtualBytes: UInt64
    /// Field 24, `rss`: resident set size in pages.
    var residentPages: UInt64

    /// Parses `/proc/self/stat`. The command name (field 2) is in parentheses and may itself contain
    /// spaces and parentheses, so fields are counted from the last `)`.
    /// - Parameter text: The file's content, or `nil` when it could not be read.
    init?(parsing text: String?) {
        guard let text, let close = text.utf8.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // After the `)` come fields 3 (state), 4, ...: field n is at offset n - 3.
        let fields = text.utf8[text.utf8.index(after: close)...].split(separator: UInt8(ascii: " "))
        func field(_ number: Int) -> UInt64? {
            let offset = number - 3
            guard offset < fields.count else { return nil }
            return UInt64(Substring(fields[offset]))
        }
        guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23),
            let resident = field(24)
        else { return nil }
        userTicks = user
        systemTicks = system
        startTicks = start
        virtualBytes = virtual
        residentPages = resident
    }

    /// The `btime` line of `/proc/stat`: boot time in seconds since the epoch.
    /// - Parameter text: The file's content, or `nil` when it could not be read.
    /// - Returns: The boot time, or `nil` when absent or malformed.
    static func bootTime(parsing text: String?) -> UInt64? {
        guard let text else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            let parts = line.split(separator: " ")
            return parts.count == 2 ? UInt64(parts[1]) : nil
        }
        return nil
    }

    /// The soft limit of the `Max open files` line of `/proc/self/limits`; `unlimited` is `UInt64.max`,
    /// as client_golang's procfs reports it.
    /// - Parameter text: The file's content, or `nil` when it could not be read.
    /// - Returns: The soft limit, or `nil` when absent or malformed.
    static func maximumOpenFiles(parsing text: String?) -> UInt64? {
        guard let text else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("Max open files") {
            guard let soft = line.dropFirst("Max open files".count).split(separator: " ").first else { return nil }
            return soft == "unlimited" ? UInt64.max : UInt64(soft)
        }
        return nil
    }
}
