#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable POSIX thread running one closure: a server's threads must be joined when it stops, which
/// Foundation's `Thread` cannot do.
///
/// `@unchecked Sendable`: a `pthread_t` is an identifier that any thread may pass to `pthread_join`; the
/// owner joins each thread exactly once.
package struct POSIXThread: @unchecked Sendable {
    private let thread: pthread_t

    /// The closure, carried through `pthread_create`'s single pointer argument.
    private final class Body {
        let name: String
        let run: @Sendable () -> Void

        init(name: String, run: @escaping @Sendable () -> Void) {
            self.name = name
            self.run = run
        }
    }

    /// Starts a thread running `body`.
    /// - Parameters:
    ///   - name: The thread's name in debuggers and `top -H` (at most 15 bytes are kept).
    ///   - body: What the thread runs; the thread ends when it returns.
    /// - Throws: ``SystemCallError`` for `pthread_create` when the system refuses a thread.
    package static func spawn(
        name: String,
        _ body: @escaping @Sendable () -> Void
    ) throws(SystemCallError) -> POSIXThread {
        let argument = Unmanaged.passRetained(Body(name: name, run: body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let status = pthread_create(
            &thread,
            nil,
            { argument in
                let pointer: UnsafeMutableRawPointer? = argument
                guard let pointer else { return nil }
                let body = Unmanaged<Body>.fromOpaque(pointer).takeRetainedValue()
                System.nameCurrentThread(body.name)
                body.run()
                return nil
            },
            argument
        )
        #if canImport(Glibc)
        let created: pthread_t? = status == 0 ? thread : nil
        #else
        let created = status == 0 ? thread : nil
        #endif
        guard let created else {
            Unmanaged<Body>.fromOpaque(argument).release()
            throw SystemCallError("pthread_create", status)
        }
        return POSIXThread(thread: created)
    }

    /// Waits for the thread to end.
    package func join() {
        _ = pthread_join(thread, nil)
    }
}
