#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pipe whose only purpose is to wake the accept thread from `poll` when the listener stops.
struct WakeupPipe: Sendable {
    /// Polled by the accept thread.
    let readEnd: Int32
    private let writeEnd: Int32

    /// Creates the pipe.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/listenerFailure`` when the process is out of
    ///   descriptors.
    init() throws(MetricsError) {
        guard let (readEnd, writeEnd) = System.pipe() else {
            throw MetricsError(.listenerFailure, "MetricsListener cannot create a pipe: \(System.describe(errno))")
        }
        self.readEnd = readEnd
        self.writeEnd = writeEnd
    }

    /// Makes `readEnd` readable; never blocks (a full pipe is readable already).
    func signal() {
        var byte: UInt8 = 1
        _ = System.write(writeEnd, &byte, 1)
    }

    /// Closes both ends, once no thread polls `readEnd` any more.
    func close() {
        System.close(readEnd)
        System.close(writeEnd)
    }
}
