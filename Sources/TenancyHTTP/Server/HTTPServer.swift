import Dispatch
import Tenancy
import TenancyPOSIX

/// An HTTP/1.1 server on POSIX sockets: event-driven (epoll, non-blocking sockets, a few event-loop
/// threads), keep-alive and pipelining, HTTP/1.0, `Content-Length` and chunked request bodies,
/// `Expect: 100-continue`, IPv4 and IPv6, and hardened against hostile clients.
///
/// ```swift
/// let server = try HTTPServer(configuration: .init(port: 8080)) { request in
///     .text("hello \(request.path)")
/// }
/// try server.start()                      // or: try await server.run() until the task is cancelled
/// print("listening on \(server.localAddress ?? "?")")
/// ...
/// server.shutdown()                       // stop accepting, finish in-flight requests, close
/// ```
///
/// Handlers are `async` and run as tasks that, by default, prefer the event loop of their connection as
/// executor: a handler that does not suspend runs on the loop thread and its response is sent in the same
/// loop iteration; one that suspends elsewhere is handed back to the loop through an `eventfd`. Such a
/// handler must not block its thread (no `sleep`, no blocking I/O): it would stall its loop's
/// connections. Handlers that do block belong on ``Configuration/HandlerExecution/globalExecutor``.
///
/// What the server answers itself (problem+json, then it closes the connection):
///
/// | request | status |
/// |---|---|
/// | malformed request line or field, bare CR or LF, obs-fold, space before a colon, control characters, no or several `Host` in HTTP/1.1, bad or duplicate `Content-Length`, `Content-Length` with `Transfer-Encoding`, a bad chunk | 400 |
/// | incomplete head or body at its timeout | 408 |
/// | body over ``Configuration/maximumBodyBytes`` | 413 |
/// | `Expect` other than `100-continue` | 417 |
/// | head over ``Configuration/maximumHeadBytes``, more than ``Configuration/maximumHeaderCount`` fields | 431 |
/// | a transfer coding other than `chunked` | 501 |
/// | more than ``Configuration/maximumConnections`` connections | 503 |
/// | a version other than HTTP/1.0 and HTTP/1.1 | 505 |
///
/// Sends use `MSG_NOSIGNAL`, partial writes continue when the socket is writable again, `EINTR` is
/// retried, and `accept` failures such as `EMFILE` pause accepting (10 ms doubling to 1 s) instead of
/// spinning. Idle keep-alive connections cost a descriptor and a few hundred bytes, never a thread.
public final class HTTPServer: Sendable {
    /// Where the server listens and how it bounds clients.
    public let configuration: Configuration
    private let address: SocketAddress
    private let handler: HTTPHandler
    /// Serializes ``start()`` and ``shutdown(deadline:)``, which block while binding or joining threads.
    private let lifecycle = DispatchSemaphore(value: 1)
    private let state = Synchronized(State())

    private struct State {
        var run: ServerRun?
        /// ``run()`` calls waiting for the server to stop.
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Creates a server; call ``start()`` or ``run()`` to listen.
    /// - Parameters:
    ///   - configuration: Where to listen and the bounds; `127.0.0.1:8080` by default.
    ///   - handler: Answers every well-formed request (such as a router's handler).
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/invalidAddress`` for a host that is not an IP address or
    ///   a port out of range, or ``HTTPError/Code/invalidConfiguration`` for another value out of range.
    public init(configuration: Configuration = .init(), handler: @escaping HTTPHandler) throws(HTTPError) {
        address = try configuration.validate()
        self.configuration = configuration
        self.handler = handler
    }

    deinit {
        shutdown(deadline: .now)
    }

    /// The port the server is bound to while it runs: the configured one, or the one the system chose for
    /// port 0. `nil` when not running.
    public var port: Int? {
        state.withLock { $0.run?.address.port }
    }

    /// The address the server is bound to while it runs, such as `127.0.0.1:8080` or `[::1]:8080`; `nil`
    /// when not running.
    public var localAddress: String? {
        state.withLock { $0.run?.address.description }
    }

    /// How many connections are open while the server runs (being read, handled, written or closed);
    /// 0 when not running. Bounded by ``Configuration/maximumConnections``.
    public var openConnections: Int {
        state.withLock { $0.run?.openConnections ?? 0 }
    }

    /// Binds the socket and starts the event loops; returns once connections are accepted. Does nothing
    /// when already running. A stopped server can be started again.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/addressInUse`` when another socket holds the address,
    ///   ``HTTPError/Code/invalidAddress`` when the host is not an address of this machine (or its IP
    ///   version is disabled), or ``HTTPError/Code/serverFailure`` when a socket call or thread creation
    ///   fails (such as `EMFILE`, or `EACCES` for a privileged port).
    public func start() throws(HTTPError) {
        lifecycle.wait()
        defer { lifecycle.signal() }
        guard state.withLock({ $0.run == nil }) else { return }
        let run = try ServerRun.start(on: address, configuration: configuration, handler: handler)
        state.withLock { $0.run = run }
    }

    /// Stops the server: stops accepting (new clients are refused), closes idle connections, lets
    /// in-flight requests finish and send their response (with `Connection: close`) until `deadline`,
    /// then closes every connection and joins every thread. Returns when all of that is done. Does
    /// nothing when not running.
    /// - Parameter deadline: When to close connections whose request is still in flight; by default
    ///   ``Configuration/shutdownGracePeriod`` from now.
    public func shutdown(deadline: ContinuousClock.Instant? = nil) {
        lifecycle.wait()
        let (run, waiters) = state.withLock { state in
            defer { (state.run, state.waiters) = (nil, []) }
            return (state.run, state.waiters)
        }
        run?.stop(deadline: deadline ?? .now + configuration.shutdownGracePeriod)
        lifecycle.signal()
        for waiter in waiters { waiter.resume() }
    }

    /// Starts the server (unless it runs already) and returns when the calling task is cancelled, which
    /// shuts it down gracefully within ``Configuration/shutdownGracePeriod``, or when ``shutdown(deadline:)``
    /// is called.
    ///
    /// ```swift
    /// let task = Task { try await server.run() }
    /// ...
    /// task.cancel()                            // graceful shutdown; run() returns when it is done
    /// ```
    /// - Throws: What ``start()`` throws; cancellation is not an error.
    public func run() async throws(HTTPError) {
        try start()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waiting = state.withLock { state -> Bool in
                    guard state.run != nil else { return false }
                    state.waiters.append(continuation)
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            // Shutting down blocks until in-flight requests finish; not on a cooperative thread, which
            // those requests may need.
            DispatchQueue.global().async { self.shutdown() }
        }
    }
}
