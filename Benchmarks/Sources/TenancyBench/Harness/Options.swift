/// The command line of `tenancy-bench`.
struct Options: Sendable {
    /// One JSON object per line instead of a table.
    var json = false
    /// Run only benchmarks whose name contains one of these substrings; empty runs everything.
    var filters: [String] = []
    /// Seconds of measured batches per timed benchmark (after warm-up).
    var minTime = 1.0
    /// List the benchmarks and exit.
    var list = false

    static let usage = """
        usage: tenancy-bench [--json] [--filter <substring>]... [--min-time <seconds>] [--list]

          --json                 one JSON object per line: {"name": ..., "ns_per_op": ..., "iterations": ...}
          --filter <substring>   run only benchmarks whose name contains <substring> (repeatable: any match)
          --min-time <seconds>   measured time per timed benchmark, after warm-up (default 1)
          --list                 print the benchmark names and exit
        """

    /// Parses `arguments` (without the program name).
    /// - Returns: The options, or a message for standard error when they are malformed or help was asked.
    static func parse(_ arguments: [String]) -> Result<Options, UsageError> {
        var options = Options()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            switch argument {
            case "--json":
                options.json = true
            case "--list":
                options.list = true
            case "--filter":
                guard let value = remaining.popFirst() else { return .failure(UsageError("--filter needs a value")) }
                options.filters.append(value)
            case "--min-time":
                guard let value = remaining.popFirst(), let seconds = Double(value), seconds > 0, seconds.isFinite else {
                    return .failure(UsageError("--min-time needs a positive number of seconds"))
                }
                options.minTime = seconds
            case "-h", "--help":
                return .failure(UsageError(nil))
            default:
                return .failure(UsageError("unknown argument '\(argument)'"))
            }
        }
        return .success(options)
    }

    /// Whether `name` passes the filters.
    func selects(_ name: String) -> Bool {
        filters.isEmpty || filters.contains { name.contains($0) }
    }
}

/// A malformed command line, or a request for help (no message).
struct UsageError: Error {
    var message: String?

    init(_ message: String?) {
        self.message = message
    }
}
