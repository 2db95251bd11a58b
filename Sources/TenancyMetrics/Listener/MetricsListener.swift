import Dispatch
import Tenancy
import TenancyPOSIX

/// A tiny HTTP/1.1 listener that serves a ``MetricsRegistry`` at `/metrics` on its own threads and port,
/// separate from any application server, so that apps built on any framework can be scraped.
///
/// ```swift
/// let metrics = try TenantMetrics()
/// let listener = try MetricsListener(registry: metrics.registry, configuration: .init(port: 9464))
/// try listener.start()                    // or: try await listener.run() until the task is cancelled
/// print("metrics at http://\(listener.localAddress ?? "?")/metrics")
/// ...
/// listener.stop()
/// ```
///
/// What it answers (every response carries `Content-Length` and `Connection: close`):
///
/// | request | response |
/// |---|---|
/// | `GET /metrics`, `HEAD /metrics` (any query) | 200, `Content-Type: text/plain; version=0.0.4; charset=utf-8` |
/// | another path | 404 |
/// | another method on `/metrics` | 405, `Allow: GET, HEAD` |
/// | no or a wrong bearer token, when one is configured | 401, `WWW-Authenticate: Bearer` |
/// | a malformed request line or header, no `Host` in HTTP/1.1 | 400 |
/// | a request head over the bound (8 KiB) | 431 |
/// | a head that is still incomplete at the read timeout | 408 |
/// | HTTP/2.0 and other major versions | 505 |
/// | more than ``Configuration/maximumConnections`` connections open | 503, `Retry-After: 1` |
///
/// Threads and bounds: one accept thread and ``Configuration/workerThreads`` worker threads (2 by default),
/// created by ``start()`` and joined by ``stop()``; nothing else. The accept thread polls the listening
/// socket and every open connection without blocking on any of them: it reads request heads (within
/// ``Configuration/maximumRequestHeadBytes``, all of it before ``Configuration/readTimeout``, which
/// dribbling bytes does not extend) and answers errors itself, so a slow or silent client costs one of
/// ``Configuration/maximumConnections`` (64) slots for a bounded time, never a thread. Complete scrapes go
/// to a worker, which renders into its own reusable buffer, outside any lock, and must hand the response to
/// the kernel within ``Configuration/writeTimeout``. Sends use `MSG_NOSIGNAL`, partial writes continue,
/// `EINTR` is retried, and `accept` failures such as `EMFILE` pause accepting instead of spinning.
public final class MetricsListener: Sendable {
    /// Where the listener listens and how it bounds clients.
    public let configuration: Configuration
    private let address: SocketAddress
    private let handler: ConnectionHandler
    /// Serializes ``start()`` and ``stop()``, which block while binding or joining threads.
    private let lifecycle = DispatchSemaphore(value: 1)
    private let state = Synchronized(State())

    private struct State {
        var server: ListenerServer?
        /// ``run()`` calls waiting for the listener to stop.
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Creates a listener that serves `registry`; call ``start()`` or ``run()`` to listen.
    /// - Parameters:
    ///   - registry: The registry rendered at every scrape.
    ///   - configuration: Where to listen and the bounds; `127.0.0.1:9464` by default.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidAddress`` for a host that is not an IP
    ///   address or a port out of range, or ``MetricsError/Code/invalidConfiguration`` for another value out
    ///   of range.
    public convenience init(registry: MetricsRegistry, configuration: Configuration = .init()) throws(MetricsError) {
        try self.init(configuration: configuration) { registry.render(into: &$0) }
    }

    /// Creates a listener that serves whatever `render` appends, such as several registries one after the
    /// other (their family names must not overlap).
    /// - Parameters:
    ///   - configuration: Where to listen and the bounds.
    ///   - render: Appends a text-format 0.0.4 exposition to the buffer it is given (emptied first, and
    ///     reused between scrapes). Called on a worker thread, possibly on several at once.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidAddress`` or
    ///   ``MetricsError/Code/invalidConfiguration``.
    public init(
        configuration: Configuration = .init(),
        render: @escaping @Sendable (inout [UInt8]) -> Void
    ) throws(MetricsError) {
        address = try configuration.validate()
        self.configuration = configuration
        handler = ConnectionHandler(configuration: configuration, render: render)
    }

    deinit {
        stop()
    }

    /// The port the listener is bound to while it runs: the configured one, or the one the system chose
    /// for port 0. `nil` when not running.
    public var port: Int? {
        state.withLock { $0.server?.address.port }
    }

    /// The address the listener is bound to while it runs, such as `127.0.0.1:9464` or `[::1]:9464`;
    /// `nil` when not running.
    public var localAddress: String? {
        state.withLock { $0.server?.address.description }
    }

    /// Binds the socket and starts the accept and worker threads; returns once connections are accepted.
    /// Does nothing when already running. A stopped listener can be started again.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/addressInUse`` when another socket holds the
    ///   address, ``MetricsError/Code/invalidAddress`` when the host is not an address of this machine
    ///   (or its IP version is disabled), or ``MetricsError/Code/listenerFailure`` when a socket call or
    ///   thread creation fails (such as `EMFILE`, or `EACCES` for a privileged port).
    public func start() throws(MetricsError) {
        lifecycle.wait()
        defer { lifecycle.signal() }
        guard state.withLock({ $0.server == nil }) else { return }
        let server = try ListenerServer.start(on: address, handler: handler)
        state.withLock { $0.server = server }
    }

    /// Stops accepting, closes open connections (a scrape being written is cut short), joins every thread
    /// and closes the socket; returns when all of that is done. Does nothing when not running, so it is
    /// safe to call more than once and from several threads.
    public func stop() {
        lifecycle.wait()
        defer { lifecycle.signal() }
        let (server, waiters) = state.withLock { state in
            defer { (state.server, state.waiters) = (nil, []) }
            return (state.server, state.waiters)
        }
        server?.stop()
        for waiter in waiters { waiter.resume() }
    }

    /// Starts the listener (unless it runs already) and returns when the calling task is cancelled, which
    /// stops it, or when ``stop()`` is called.
    ///
    /// ```swift
    /// let task = Task { try await listener.run() }
    /// ...
    /// task.cancel()                            // stops the listener; run() returns
    /// ```
    /// - Throws: What ``start()`` throws; cancellation is not an error.
    public func run() async throws(MetricsError) {
        try start()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waiting = state.withLock { state -> Bool in
                    guard state.server != nil else { return false }
                    state.waiters.append(continuation)
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            stop()
        }
    }
}
