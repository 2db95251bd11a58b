#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A pipe whose only purpose is to wake a thread from `poll`, such as the listener's accept thread when it
/// stops.
package struct WakeupPipe: Sendable {
    /// Polled by the accept thread.
    package let readEnd: Int32
    private let writeEnd: Int32

    /// Creates the pipe.
    /// - Throws: ``SystemCallError`` for `pipe` when the process is out of descriptors.
    package init() throws(SystemCallError) {
        guard let (readEnd, writeEnd) = System.pipe() else { throw SystemCallError("pipe", errno) }
        self.readEnd = readEnd
        self.writeEnd = writeEnd
    }

    /// Makes `readEnd` readable; never blocks (a full pipe is readable already).
    package func signal() {
        var byte: UInt8 = 1
        _ = System.write(writeEnd, &byte, 1)
    }

    /// Closes both ends, once no thread polls `readEnd` any more.
    package func close() {
        System.close(readEnd)
        System.close(writeEnd)
    }
}
