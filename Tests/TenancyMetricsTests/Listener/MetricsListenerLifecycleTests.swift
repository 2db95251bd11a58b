import TenancyTestSupport
import Testing

@testable import TenancyMetrics

/// Starting, stopping and running the listener, and the errors of a bad address or configuration.
@Suite struct MetricsListenerLifecycleTests {
    @Test func theDefaultsAreTheLoopbackExporterPortAndModestBounds() {
        let configuration = MetricsListener.Configuration()
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 9464)
        #expect(configuration.path == "/metrics")
        #expect(configuration.bearerToken == nil)
        #expect(configuration.maximumConnections == 64)
        #expect(configuration.workerThreads == 2)
        #expect(configuration.maximumRequestHeadBytes == 8192)
        #expect(configuration.readTimeout == .seconds(5))
        #expect(configuration.writeTimeout == .seconds(10))
    }

    @Test func stopWhileClientsAreConnectedReturnsPromptlyAndClosesTheirConnections() throws {
        let body = [UInt8](repeating: UInt8(ascii: "#"), count: 32 << 20)  // far beyond the socket buffers
        let (listener, port) = try startedListener(
            serving: body, .init(port: 0, readTimeout: .seconds(60), writeTimeout: .seconds(60)))
        let idle = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        let partial = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try partial.send("GET /metr")
        let greedy = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        greedy.setReceiveBuffer(4096)
        try greedy.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")  // a worker blocks writing to it
        // Accepted in order, so once a later scrape is answered, all three are being read or served.
        #expect(try eventually { try RawHTTPClient.request("HEAD", port: port).status == 200 })
        let started = ContinuousClock.now
        listener.stop()
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(idle.isClosedBySilence(within: .seconds(20)))
        #expect(partial.isClosedBySilence(within: .seconds(20)))
        #expect(listener.port == nil)
        #expect(listener.localAddress == nil)
    }

    @Test func afterStopTheAddressRefusesConnections() throws {
        let (listener, port) = try startedListener(serving: [])
        listener.stop()
        #expect(throws: RawHTTPClient.Failure.self) { try RawHTTPClient.Connection(host: "127.0.0.1", port: port) }
    }

    @Test func stopIsIdempotentAndTheListenerStartsAgainOnTheSamePort() throws {
        let listener = try MetricsListener(configuration: .init(port: 0)) { $0.append(contentsOf: "up 1\n".utf8) }
        listener.stop()  // before any start
        try listener.start()
        let port = try #require(listener.port)
        #expect(try RawHTTPClient.request(port: port).status == 200)
        listener.stop()
        listener.stop()

        let again = try MetricsListener(configuration: .init(port: port)) { $0.append(contentsOf: "up 2\n".utf8) }
        try again.start()  // SO_REUSEADDR: no wait for TIME_WAIT
        defer { again.stop() }
        #expect(try RawHTTPClient.request(port: port).text == "up 2\n")
    }

    @Test func startWhileRunningKeepsTheSameSocket() throws {
        let (listener, port) = try startedListener(serving: [])
        defer { listener.stop() }
        try listener.start()
        #expect(listener.port == port)
    }

    @Test func concurrentStopsAllReturnAfterTheListenerStopped() async throws {
        let (listener, port) = try startedListener(serving: [])
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { listener.stop() } }
        }
        #expect(listener.port == nil)
        #expect(throws: RawHTTPClient.Failure.self) { try RawHTTPClient.Connection(host: "127.0.0.1", port: port) }
    }

    @Test func releasingARunningListenerStopsIt() throws {
        var listener: MetricsListener? = try MetricsListener(configuration: .init(port: 0)) { _ in }
        try listener?.start()
        let port = try #require(listener?.port)
        listener = nil
        #expect(throws: RawHTTPClient.Failure.self) { try RawHTTPClient.Connection(host: "127.0.0.1", port: port) }
    }

    // MARK: - async

    @Test func runServesUntilTheTaskIsCancelled() async throws {
        let listener = try MetricsListener(configuration: .init(port: 0)) { $0.append(contentsOf: "up 1\n".utf8) }
        let task = Task { try await listener.run() }
        #expect(await eventuallyAsync { listener.port != nil })
        let port = try #require(listener.port)
        #expect(try RawHTTPClient.request(port: port).status == 200)
        task.cancel()
        try await task.value
        #expect(listener.port == nil)
        #expect(throws: RawHTTPClient.Failure.self) { try RawHTTPClient.Connection(host: "127.0.0.1", port: port) }
    }

    @Test func runReturnsWhenStopIsCalled() async throws {
        let listener = try MetricsListener(configuration: .init(port: 0)) { _ in }
        let task = Task { try await listener.run() }
        #expect(await eventuallyAsync { listener.port != nil })
        listener.stop()
        try await task.value
    }

    @Test func runInAnAlreadyCancelledTaskReturnsAtOnceStopped() async throws {
        let listener = try MetricsListener(configuration: .init(port: 0)) { _ in }
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await listener.run()
        }
        try await task.value
        #expect(listener.port == nil)
    }

    @Test func runThrowsWhatStartThrows() async throws {
        let (holder, port) = try startedListener(serving: [])
        defer { holder.stop() }
        let listener = try MetricsListener(configuration: .init(port: port)) { _ in }
        let error = await #expect(throws: MetricsError.self) { try await listener.run() }
        #expect(error?.code == .addressInUse)
    }

    // MARK: - Errors

    @Test func aTakenPortIsAddressInUse() throws {
        let (holder, port) = try startedListener(serving: [])
        defer { holder.stop() }
        let listener = try MetricsListener(configuration: .init(port: port)) { _ in }
        let error = #expect(throws: MetricsError.self) { try listener.start() }
        #expect(error?.code == .addressInUse)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
        #expect(listener.port == nil)
    }

    @Test(arguments: ["192.0.2.1", "2001:db8::1"])  // documentation ranges: no machine has them
    func anAddressOfAnotherMachineIsAnInvalidAddress(host: String) throws {
        let listener = try MetricsListener(configuration: .init(host: host, port: 0)) { _ in }
        let error = #expect(throws: MetricsError.self) { try listener.start() }
        #expect(error?.code == .invalidAddress)
    }

    @Test(arguments: ["", "example.com", "127.0.0.256", "::g", "[::1", "1.2.3", "127.0.0.1:80"])
    func aHostThatIsNotAnIPAddressIsRejectedAtCreation(host: String) {
        let error = #expect(throws: MetricsError.self) {
            try MetricsListener(configuration: .init(host: host)) { _ in }
        }
        #expect(error?.code == .invalidAddress)
    }

    @Test(arguments: [-1, 65536])
    func aPortOutOfRangeIsAnInvalidAddress(port: Int) {
        let error = #expect(throws: MetricsError.self) {
            try MetricsListener(configuration: .init(port: port)) { _ in }
        }
        #expect(error?.code == .invalidAddress)
    }

    @Test(arguments: [
        MetricsListener.Configuration(path: ""), .init(path: "metrics"), .init(path: "/metrics?x"),
        .init(path: "/a b"), .init(bearerToken: ""), .init(bearerToken: "two words"),
        .init(maximumConnections: 0), .init(maximumConnections: 4097), .init(workerThreads: 0),
        .init(workerThreads: 65), .init(maximumRequestHeadBytes: 255),
        .init(maximumRequestHeadBytes: (1 << 20) + 1), .init(readTimeout: .zero), .init(writeTimeout: .seconds(-1)),
        .init(backlog: 0), .init(backlog: 4097),
    ])
    func aBoundOutOfRangeIsAnInvalidConfiguration(configuration: MetricsListener.Configuration) {
        let error = #expect(throws: MetricsError.self) { try MetricsListener(configuration: configuration) { _ in } }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func theBearerTokenIsNeverQuotedInAnError() {
        let error = #expect(throws: MetricsError.self) {
            try MetricsListener(configuration: .init(bearerToken: "secret value")) { _ in }
        }
        #expect(error?.message.contains("secret") == false)
    }
}
