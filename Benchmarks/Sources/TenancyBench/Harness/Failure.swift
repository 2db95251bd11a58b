#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Prints `message` to standard error and exits with status 1: a benchmark whose premise broke (a quota
/// rejected, a request refused) must not report a number.
func benchmarkFailure(_ message: String) -> Never {
    printError("tenancy-bench: FAILED: \(message)")
    exit(1)
}

/// Writes `message` and a newline to standard error.
func printError(_ message: String) {
    var line = message + "\n"
    line.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
            guard written > 0 else { return }
            offset += written
        }
    }
}
