import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM, turned from "kill the process" into an event the demo waits for.
///
/// The handler only writes the signal's number to a pipe (`write` is async-signal-safe); a thread of its
/// own reads it. A handler rather than a blocked-signal mask, because a mask set in `main` does not reach
/// the threads the runtime started before it.
enum TerminationSignal {
    /// The pipe from the handler to the waiting thread, made before the handlers are installed.
    private static let pipe: (read: Int32, write: Int32) = {
        var descriptors: [Int32] = [-1, -1]
        _ = Glibc.pipe(&descriptors)
        return (descriptors[0], descriptors[1])
    }()

    /// Installs the handlers; call it first thing in `main`.
    static func install() {
        // A reader of standard output that goes away (`tenancy-demo | head`, a restarted log shipper) must not
        // kill the server: the write fails with EPIPE instead, and Console drops the line.
        signal(SIGPIPE, SIG_IGN)
        _ = pipe
        for number in [SIGINT, SIGTERM] {
            signal(number) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = Glibc.write(TerminationSignal.pipe.write, &byte, 1)
            }
        }
    }

    /// Waits on a thread of its own until SIGINT or SIGTERM arrives; returns its number.
    static func wait() async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let thread = Thread {
                var byte: UInt8 = 0
                while true {
                    let count = Glibc.read(pipe.read, &byte, 1)
                    if count == 1 { break }
                    if count < 0 && errno == EINTR { continue }
                    byte = UInt8(SIGTERM)  // the pipe broke: behave as if asked to stop
                    break
                }
                continuation.resume(returning: Int32(byte))
            }
            thread.name = "tenancy-demo signals"
            thread.start()
        }
    }
}
