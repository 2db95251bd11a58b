import TenancyPOSIX

extension MetricsListener {
    /// Where a ``MetricsListener`` listens and how it bounds its clients.
    ///
    /// Every bound exists so that a slow, broken or hostile client cannot stop Prometheus from scraping:
    /// request heads are capped in size and must arrive within ``readTimeout``, responses must be taken
    /// within ``writeTimeout``, at most ``maximumConnections`` connections are open at once (more are
    /// answered `503` and closed), and ``workerThreads`` threads answer scrapes.
    public struct Configuration: Hashable, Sendable {
        /// The IP address to bind: an IPv4 literal (`127.0.0.1`, `0.0.0.0` for all interfaces), an IPv6
        /// literal with or without brackets (`::1`, `[::]`), or `localhost` (`127.0.0.1`). Host names are not
        /// resolved.
        public var host: String
        /// The TCP port, 0-65535; 0 lets the system choose a free port, readable as ``MetricsListener/port``.
        public var port: Int
        /// The path that serves the exposition; a `?query` after it is ignored.
        public var path: String
        /// When set, requests must carry `Authorization: Bearer <token>`, compared in constant time;
        /// others are answered `401` with `WWW-Authenticate: Bearer`. Visible ASCII without spaces.
        public var bearerToken: String?
        /// How many connections may be open at once, whether their request is still arriving, waiting
        /// for a worker or being answered; more are answered `503` and closed at once (1-4096). A slow
        /// client costs one of these until its ``readTimeout``, never a thread.
        public var maximumConnections: Int
        /// How many threads render and send the exposition: scrapes answered at the same time (1-64).
        /// Request heads are read, and errors answered, by the listener's accept thread.
        public var workerThreads: Int
        /// The largest request head (request line and headers) accepted, in bytes; a larger one is
        /// answered `431` (256 bytes to 1 MiB).
        public var maximumRequestHeadBytes: Int
        /// How long a client has, from the moment it is accepted, to send its whole request head; a
        /// client that dribbles bytes cannot extend it.
        public var readTimeout: Duration
        /// How long a client has to take the whole response.
        public var writeTimeout: Duration
        /// The listen backlog: connections the kernel queues before they are accepted (1-4096).
        public var backlog: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - host: `127.0.0.1` by default: only local clients can scrape.
        ///   - port: 9464 (the Prometheus exporter default) by default; 0 for an ephemeral port.
        ///   - path: `/metrics` by default.
        ///   - bearerToken: `nil` (no authentication) by default.
        ///   - maximumConnections: 64 by default.
        ///   - workerThreads: 2 by default.
        ///   - maximumRequestHeadBytes: 8 KiB by default.
        ///   - readTimeout: 5 seconds by default.
        ///   - writeTimeout: 10 seconds by default.
        ///   - backlog: 64 by default.
        public init(
            host: String = "127.0.0.1",
            port: Int = 9464,
            path: String = "/metrics",
            bearerToken: String? = nil,
            maximumConnections: Int = 64,
            workerThreads: Int = 2,
            maximumRequestHeadBytes: Int = 8192,
            readTimeout: Duration = .seconds(5),
            writeTimeout: Duration = .seconds(10),
            backlog: Int = 64
        ) {
            self.host = host
            self.port = port
            self.path = path
            self.bearerToken = bearerToken
            self.maximumConnections = maximumConnections
            self.workerThreads = workerThreads
            self.maximumRequestHeadBytes = maximumRequestHeadBytes
            self.readTimeout = readTimeout
            self.writeTimeout = writeTimeout
            self.backlog = backlog
        }

        /// Checks every bound and parses the address.
        /// - Returns: The address to bind.
        /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidAddress`` for a bad host or port, or
        ///   ``MetricsError/Code/invalidConfiguration`` for any other value out of range.
        func validate() throws(MetricsError) -> SocketAddress {
            guard (0...65535).contains(port) else {
                throw MetricsError(.invalidAddress, "MetricsListener port \(port) is not in 0...65535")
            }
            guard let address = SocketAddress(host: host, port: port) else {
                throw MetricsError(
                    .invalidAddress,
                    "MetricsListener host \(MetricsError.quote(host)) is not an IPv4 or IPv6 address "
                        + "(such as 127.0.0.1 or ::1); host names are not resolved"
                )
            }
            let pathIsValid = path.utf8.first == UInt8(ascii: "/") && path.utf8.allSatisfy(Self.isPathByte)
            try Self.check(pathIsValid, "path", MetricsError.quote(path) + " (visible ASCII from /, no ? or #)")
            if let bearerToken {
                let tokenIsValid = !bearerToken.isEmpty && bearerToken.utf8.allSatisfy(Self.isTokenByte)
                try Self.check(tokenIsValid, "bearerToken", "\(bearerToken.utf8.count) bytes, not all visible ASCII")
            }
            try Self.check((1...4096).contains(maximumConnections), "maximumConnections", "\(maximumConnections)")
            try Self.check((1...64).contains(workerThreads), "workerThreads", "\(workerThreads)")
            try Self.check(
                (256...(1 << 20)).contains(maximumRequestHeadBytes),
                "maximumRequestHeadBytes",
                "\(maximumRequestHeadBytes)"
            )
            try Self.check(readTimeout > .zero, "readTimeout", "\(readTimeout)")
            try Self.check(writeTimeout > .zero, "writeTimeout", "\(writeTimeout)")
            try Self.check((1...4096).contains(backlog), "backlog", "\(backlog)")
            return address
        }

        private static func check(
            _ valid: Bool,
            _ name: String,
            _ shown: @autoclosure () -> String
        ) throws(MetricsError) {
            guard !valid else { return }
            throw MetricsError(.invalidConfiguration, "MetricsListener \(name) is out of range: \(shown())")
        }

        /// Visible ASCII except `?` and `#`, which would never match a request's path.
        private static func isPathByte(_ byte: UInt8) -> Bool {
            (0x21...0x7E).contains(byte) && byte != UInt8(ascii: "?") && byte != UInt8(ascii: "#")
        }

        /// Visible ASCII: what a credential in an `Authorization` header can hold.
        private static func isTokenByte(_ byte: UInt8) -> Bool {
            (0x21...0x7E).contains(byte)
        }
    }
}
