#if canImport(Glibc)
import Glibc
#endif

/// Lines to standard output or error, each in one `write` so that lines from concurrent requests never
/// interleave, and unbuffered so a pipe or file sees every line at once (the address lines included).
enum Console {
    /// Writes `text` and a newline to standard output.
    static func line(_ text: String) {
        write(text + "\n", to: STDOUT_FILENO)
    }

    /// Writes `text` and a newline to standard error.
    static func error(_ text: String) {
        write(text + "\n", to: STDERR_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }  // a closed pipe: nobody is reading the log any more
            bytes = bytes.dropFirst(written)
        }
    }
}
