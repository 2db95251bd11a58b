import Dispatch
import Tenancy
import TenancyHTTP
import TenancyTestSupport
import Testing

/// Starting, stopping and running the server, and the errors of a bad address or configuration.
///
/// The async tests wait long (60 s) for what needs a cooperative thread: synchronous socket tests
/// running in parallel can hold every one of them for many seconds under ThreadSanitizer.
@Suite struct HTTPServerLifecycleTests {
    @Test func shutdownFinishesAnInFlightRequestAndClosesIdleConnections() async throws {
        let release = Synchronized(false)
        let started = Synchronized(false)
        let (server, port) = try startedServer { request in
            if request.target == "/slow" { started.withLock { $0 = true } }
            while request.target == "/slow" && !release.withLock({ $0 }) {
                try? await Task.sleep(for: .milliseconds(5))
            }
            return .text("done \(request.target)")
        }
        let idle = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try idle.send("GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try idle.readResponse().status == 200)
        let inFlight = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try inFlight.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await eventuallyAsync(within: .seconds(60)) { started.withLock { $0 } })
        let stopped = Synchronized(false)
        DispatchQueue.global().async {
            // Far beyond the waits below: under ThreadSanitizer they took 40 s once, and a deadline that
            // passes first cuts the request this test expects to finish.
            server.shutdown(deadline: .now + .seconds(300))
            stopped.withLock { $0 = true }
        }
        #expect(idle.isClosedBySilence(within: .seconds(20)))
        #expect(await eventuallyAsync(within: .seconds(60)) { (try? RawHTTPClient.Connection(host: "127.0.0.1", port: port)) == nil })
        #expect(!stopped.withLock { $0 })
        release.withLock { $0 = true }
        let (bytes, _) = try inFlight.readUntilClosed(within: .seconds(60))
        let response = try RawHTTPClient.parse(bytes)
        #expect(response.text == "done /slow")
        #expect(response.header("Connection") == "close")
        #expect(await eventuallyAsync(within: .seconds(60)) { stopped.withLock { $0 } })
    }

    @Test func shutdownClosesARequestStillInFlightAtTheDeadline() throws {
        let (started, finished) = (Synchronized(false), Synchronized(false))
        let (server, port) = try startedServer { _ in
            started.withLock { $0 = true }
            try? await Task.sleep(for: .milliseconds(600))
            finished.withLock { $0 = true }  // after its loop has ended: the task still runs to its end
            return .text("late")
        }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(eventually { started.withLock { $0 } })
        let stopping = ContinuousClock.now
        server.shutdown(deadline: .now + .milliseconds(200))
        #expect(ContinuousClock.now - stopping < .seconds(5))
        #expect(connection.isClosedBySilence(within: .seconds(20)))
        #expect(server.port == nil)
        #expect(eventually(within: .seconds(60)) { finished.withLock { $0 } })
    }

    @Test func runServesUntilItsTaskIsCancelled() async throws {
        let server = try HTTPServer(configuration: .init(port: 0, eventLoops: 1, shutdownGracePeriod: .seconds(1)), handler: echo)
        let task = Task { try await server.run() }
        #expect(await eventuallyAsync(within: .seconds(60)) { server.port != nil })
        let port = try #require(server.port)
        #expect(try servesANormalRequest(port: port))
        task.cancel()
        try await task.value
        #expect(server.port == nil)
    }

    @Test func aStoppedServerCanStartAgain() throws {
        let (server, _) = try startedServer()
        server.shutdown()
        try server.start()
        defer { server.shutdown() }
        #expect(try servesANormalRequest(port: try #require(server.port)))
    }

    @Test func aTakenAddressIsAddressInUse() throws {
        let (server, port) = try startedServer()
        defer { server.shutdown() }
        let second = try HTTPServer(configuration: .init(port: port), handler: echo)
        let error = #expect(throws: HTTPError.self) { try second.start() }
        #expect(error?.code == .addressInUse)
    }

    @Test(arguments: [("example.com", 80), ("127.0.0.1", 65536), ("127.0.0.1", -1)])
    func aHostNameOrAPortOutOfRangeIsAnInvalidAddress(host: String, port: Int) {
        let error = #expect(throws: HTTPError.self) { try HTTPServer(configuration: .init(host: host, port: port), handler: echo) }
        #expect(error?.code == .invalidAddress)
    }

    @Test(arguments: [(1, 1), (2, 1), (4, 3), (65, 64), (256, 64)])
    func theDefaultEventLoopsLeaveOneProcessorToOtherWork(processors: Int, loops: Int) {
        #expect(HTTPServer.defaultEventLoops(processors: processors) == loops)
    }

    @Test func aConfigurationRunsTheDefaultEventLoopsUnlessToldOtherwise() {
        #expect(HTTPServer.Configuration().eventLoops == HTTPServer.defaultEventLoops(processors: HTTPServer.processorCount))
        #expect(HTTPServer.Configuration(eventLoops: 3).eventLoops == 3)
    }

    @Test(arguments: [
        HTTPServer.Configuration(eventLoops: 0), .init(maximumConnections: 0), .init(maximumHeadBytes: 255),
        .init(maximumHeaderCount: 0), .init(maximumBodyBytes: -1), .init(headTimeout: .zero), .init(idleTimeout: .seconds(-1)),
        .init(backlog: 0),
    ])
    func aBoundOutOfRangeIsAnInvalidConfiguration(configuration: HTTPServer.Configuration) {
        let error = #expect(throws: HTTPError.self) { try HTTPServer(configuration: configuration, handler: echo) }
        #expect(error?.code == .invalidConfiguration)
    }
}
