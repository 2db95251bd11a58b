import TenancyPOSIX

#if canImport(Glibc)
import Glibc
#endif

extension HTTPServer {
    /// Where an ``HTTPServer`` listens, how many threads it runs and how it bounds its clients.
    ///
    /// Every bound exists so that a slow, broken or hostile client costs a bounded amount of memory and
    /// time: request heads and bodies are capped, heads and bodies must arrive within their timeouts,
    /// idle keep-alive connections are closed, responses must be taken within ``writeTimeout``, and at
    /// most ``maximumConnections`` connections are open at once (more are answered `503` and closed).
    public struct Configuration: Hashable, Sendable {
        /// The IP address to bind: an IPv4 literal (`127.0.0.1`, `0.0.0.0`), an IPv6 literal with or without
        /// brackets (`::1`, `[::]`), or `localhost` (`127.0.0.1`). Host names are not resolved.
        public var host: String
        /// The TCP port, 0-65535; 0 lets the system choose a free port, readable as ``HTTPServer/port``.
        public var port: Int
        /// Event-loop threads (1-64); each serves its share of the connections and runs their handlers.
        ///
        /// ``HTTPServer/defaultEventLoops`` by default: one per processor but one, from 1 to 64. A loop
        /// serves its connections alone, so while it waits for a processor every one of them waits too;
        /// with as many loops as processors, any other busy thread (the kernel's network processing, the
        /// metrics listener, the global executor, another process on the host) makes some loop wait, up to
        /// a scheduler tick. The processor left over absorbs that work. On a machine the server has to
        /// itself and drives at full load, ``HTTPServer/processorCount`` loops give up to a loop's worth
        /// more throughput for a longer tail.
        public var eventLoops: Int
        /// How many connections may be open at once (1-1,000,000); more are answered `503` and closed.
        public var maximumConnections: Int
        /// The largest request head (request line and fields) in bytes (256 bytes to 1 MiB); larger: `431`.
        public var maximumHeadBytes: Int
        /// The most header fields in one request (1-1000); more: `431`.
        public var maximumHeaderCount: Int
        /// The largest request body in bytes (0 to 1 GiB); larger: `413`.
        public var maximumBodyBytes: Int
        /// How long a request head may take to arrive, from its first byte; then `408` and close.
        public var headTimeout: Duration
        /// How long a request body may take to arrive, from the end of its head; then `408` and close.
        public var bodyTimeout: Duration
        /// How long a keep-alive connection may wait for its next request before it is closed.
        public var idleTimeout: Duration
        /// How long a client has to take a response; then the connection is closed.
        public var writeTimeout: Duration
        /// How long ``HTTPServer/run()`` lets in-flight requests finish after cancellation.
        public var shutdownGracePeriod: Duration
        /// The listen backlog (1-65535).
        public var backlog: Int
        /// Where handler tasks run.
        public var handlerExecution: HandlerExecution

        /// Where an ``HTTPServer`` runs its handler tasks.
        public enum HandlerExecution: Hashable, Sendable {
            /// On the event loop of their connection (its `TaskExecutor`): no thread hop, and the response
            /// leaves in the same loop iteration. For handlers that never block their thread; one that
            /// blocks (synchronous disk or network I/O, long computations) stalls its loop's connections.
            case eventLoop
            /// On Swift's global concurrent executor; the response is handed back to the loop through its
            /// `eventfd`. Two thread hops per request, but a slow synchronous handler stalls only itself.
            case globalExecutor
        }

        /// Creates a configuration.
        /// - Parameters:
        ///   - host: `127.0.0.1` by default.
        ///   - port: 8080 by default; 0 for an ephemeral port.
        ///   - eventLoops: ``HTTPServer/defaultEventLoops`` by default: one per processor but one, from 1 to 64.
        ///   - maximumConnections: 10,000 by default.
        ///   - maximumHeadBytes: 16 KiB by default.
        ///   - maximumHeaderCount: 100 by default.
        ///   - maximumBodyBytes: 1 MiB by default.
        ///   - headTimeout: 10 seconds by default.
        ///   - bodyTimeout: 30 seconds by default.
        ///   - idleTimeout: 60 seconds by default.
        ///   - writeTimeout: 30 seconds by default.
        ///   - shutdownGracePeriod: 10 seconds by default.
        ///   - backlog: 1024 by default.
        ///   - handlerExecution: ``HandlerExecution/eventLoop`` by default.
        public init(
            host: String = "127.0.0.1",
            port: Int = 8080,
            eventLoops: Int = HTTPServer.defaultEventLoops,
            maximumConnections: Int = 10_000,
            maximumHeadBytes: Int = 16 * 1024,
            maximumHeaderCount: Int = 100,
            maximumBodyBytes: Int = 1 << 20,
            headTimeout: Duration = .seconds(10),
            bodyTimeout: Duration = .seconds(30),
            idleTimeout: Duration = .seconds(60),
            writeTimeout: Duration = .seconds(30),
            shutdownGracePeriod: Duration = .seconds(10),
            backlog: Int = 1024,
            handlerExecution: HandlerExecution = .eventLoop
        ) {
            self.host = host
            self.port = port
            self.eventLoops = eventLoops
            self.maximumConnections = maximumConnections
            self.maximumHeadBytes = maximumHeadBytes
            self.maximumHeaderCount = maximumHeaderCount
            self.maximumBodyBytes = maximumBodyBytes
            self.headTimeout = headTimeout
            self.bodyTimeout = bodyTimeout
            self.idleTimeout = idleTimeout
            self.writeTimeout = writeTimeout
            self.shutdownGracePeriod = shutdownGracePeriod
            self.backlog = backlog
            self.handlerExecution = handlerExecution
        }

        /// The parser's bounds.
        var limits: RequestParser.Limits {
            RequestParser.Limits(
                maximumHeadBytes: maximumHeadBytes,
                maximumHeaderCount: maximumHeaderCount,
                maximumBodyBytes: maximumBodyBytes
            )
        }

        /// The shortest timeout: the event loops check deadlines a few times within it.
        var shortestTimeout: Duration {
            min(headTimeout, bodyTimeout, idleTimeout, writeTimeout)
        }

        /// Checks every bound and parses the address.
        /// - Returns: The address to bind.
        /// - Throws: ``HTTPError`` with ``HTTPError/Code/invalidAddress`` or
        ///   ``HTTPError/Code/invalidConfiguration``.
        func validate() throws(HTTPError) -> SocketAddress {
            guard let address = SocketAddress(host: host, port: port) else {
                throw HTTPError(
                    .invalidAddress,
                    "HTTPServer cannot listen on host '\(host.boundedForMessage())' port \(port): the host must be "
                        + "an IPv4 or IPv6 address (host names are not resolved) and the port in 0...65535"
                )
            }
            try Self.check((1...64).contains(eventLoops), "eventLoops", eventLoops)
            try Self.check((1...1_000_000).contains(maximumConnections), "maximumConnections", maximumConnections)
            try Self.check((256...(1 << 20)).contains(maximumHeadBytes), "maximumHeadBytes", maximumHeadBytes)
            try Self.check((1...1000).contains(maximumHeaderCount), "maximumHeaderCount", maximumHeaderCount)
            try Self.check((0...(1 << 30)).contains(maximumBodyBytes), "maximumBodyBytes", maximumBodyBytes)
            for (name, value) in [
                ("headTimeout", headTimeout), ("bodyTimeout", bodyTimeout), ("idleTimeout", idleTimeout),
                ("writeTimeout", writeTimeout), ("shutdownGracePeriod", shutdownGracePeriod),
            ] {
                try Self.check(value > .zero, name, value)
            }
            try Self.check((1...65535).contains(backlog), "backlog", backlog)
            return address
        }

        private static func check(_ valid: Bool, _ name: String, _ value: some Any) throws(HTTPError) {
            guard !valid else { return }
            throw HTTPError(.invalidConfiguration, "HTTPServer \(name) is out of range: \(value)")
        }
    }

    /// The number of processors online.
    public static var processorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// The default number of event loops: ``processorCount`` less one, at least one and at most 64 (see
    /// ``Configuration/eventLoops``).
    public static var defaultEventLoops: Int {
        defaultEventLoops(processors: processorCount)
    }

    /// The default number of event loops on a machine with `processors` processors.
    package static func defaultEventLoops(processors: Int) -> Int {
        min(max(1, processors - 1), 64)
    }
}
