import Dispatch
import Tenancy
import TenancyTestSupport
import Testing

@testable import TenancyHTTP

/// Behind ``HTTPServer``, the completion middleware's event is reported once the response is written:
/// exactly once per request, whatever happens to the connection.
@Suite struct RequestCompletionLoopbackTests {
    struct Broken: Error {}

    /// Four times what the server's send buffer (at most `tcp_wmem`'s 4 MiB) and the receive buffer of a
    /// client that has not read yet (`tcp_rmem`'s 128 KiB) hold together: the write cannot finish until
    /// the client reads. (A shrunken receive buffer would also do, but draining it takes minutes on
    /// loopback, whose 64 KiB segments never fit the window it advertises.)
    static let large = [UInt8](repeating: UInt8(ascii: "a"), count: 16 << 20)

    let fixture: TenantFixture
    let events = CompletionCollector()
    let clock = AdvancingClock()
    let latch = HandlerLatch()
    /// How many responses the whole chain has handed to the server.
    let returned = Synchronized(0)

    init() throws {
        fixture = try TenantFixture()
    }

    /// `/api/...` for tenant `free` behind recovery, request ID, completion (on ``clock``) and the tenant
    /// middleware, on one event loop.
    private func serve(_ configuration: HTTPServer.Configuration = .init(port: 0, eventLoops: 1)) throws
        -> (server: HTTPServer, port: Int)
    {
        let gate = fixture.gate(observers: [events])
        let latch = self.latch
        var router = Router(middleware: [RecoveryMiddleware(), RequestIDMiddleware()])
        try router.group(
            "/api", middleware: [RequestCompletionMiddleware(observers: gate.observers, clock: clock), TenantMiddleware(gate: gate)]
        ) { api in
            try api.get("/ok") { _ in .text("ok") }
            try api.post("/ok") { request in .text("\(request.body.count)") }
            try api.get("/large") { _ in HTTPResponse(body: Self.large) }
            try api.get("/boom") { _ in throw Broken() }
            try api.get("/wait") { _ in
                await latch.wait()
                return .text("waited")
            }
        }
        let handler = router.handler
        let returned = self.returned
        return try startedServer(configuration) { request in
            let response = await handler(request)
            returned.withLock { $0 += 1 }
            return response
        }
    }

    private func connect(_ port: Int) throws -> RawHTTPClient.Connection {
        try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
    }

    private static func request(_ method: String = "GET", _ path: String, _ fields: String = "") -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: x\r\nX-Tenant-ID: free\r\n\(fields)\r\n"
    }

    /// The statuses reported, once the server has stopped (its loops, which report, have ended).
    private func statuses(after server: HTTPServer) -> [Int] {
        server.shutdown()
        return events.all.map(\.status)
    }

    // MARK: - One event per request

    @Test func aRequestOnAKeepAliveConnectionIsReportedOnce() throws {
        let (server, port) = try serve()
        let connection = try connect(port)
        try connection.send(Self.request("GET", "/api/ok"))
        #expect(try connection.readResponse().text == "ok")
        #expect(eventually { events.count == 1 })
        #expect(statuses(after: server) == [200])
        let event = try #require(events.all.first)
        #expect(event.tenant?.rawValue == "free")
        #expect(event.outcome == .allowed)
    }

    @Test func aHeadRequestIsReportedOnceItsHeadIsWritten() throws {
        let (server, port) = try serve()
        let connection = try connect(port)
        try connection.send(Self.request("HEAD", "/api/ok"))
        let response = try connection.readResponse(headOnly: true)
        #expect(response.header("Content-Length") == "2")
        #expect(statuses(after: server) == [200])
    }

    @Test func aRequestThatExpected100ContinueIsReportedOnceForItsFinalResponse() throws {
        let (server, port) = try serve()
        let connection = try connect(port)
        try connection.send(Self.request("POST", "/api/ok", "Content-Length: 5\r\nExpect: 100-continue\r\n"))
        #expect(try connection.readResponse().status == 100)
        try connection.send("hello")
        #expect(try connection.readResponse().text == "5")
        #expect(statuses(after: server) == [200])
    }

    @Test func pipelinedRequestsAreReportedOnceEachInOrder() throws {
        let (server, port) = try serve()
        let connection = try connect(port)
        try connection.send(
            Self.request("GET", "/api/ok") + Self.request("HEAD", "/api/ok") + Self.request("GET", "/api/boom")
                + Self.request("POST", "/api/ok", "Content-Length: 3\r\n") + "abc" + Self.request("GET", "/api/ok"))
        #expect(try connection.readResponse().status == 200)
        #expect(try connection.readResponse(headOnly: true).status == 200)
        #expect(try connection.readResponse().status == 500)
        #expect(try connection.readResponse().text == "3")
        #expect(try connection.readResponse().status == 200)
        #expect(statuses(after: server) == [200, 200, 500, 200, 200])
    }

    @Test func aHandlerThatThrowsIsReportedOnceWithTheRecoveryMiddlewares500() throws {
        let (server, port) = try serve()
        let response = try RawHTTPClient.exchange(Array(Self.request("GET", "/api/boom", "Connection: close\r\n").utf8), port: port)
        #expect(response.status == 500)
        #expect(response.text.contains("\"code\":\"internal_error\""))
        #expect(statuses(after: server) == [500])
        #expect(events.all.first?.outcome == .allowed)
    }

    // MARK: - When the response is written

    @Test func theDurationIncludesAWriteTheClientStalls() throws {
        let (server, port) = try serve()
        defer { server.shutdown() }
        let connection = try connect(port)
        try connection.send(Self.request("GET", "/api/large"))
        // The chain has returned and the server is writing; it cannot finish while the client does not read.
        #expect(eventually { returned.withLock { $0 } == 1 })
        let stall = Duration.seconds(3)
        clock.advance(by: stall)
        #expect(events.count == 0)
        #expect(try connection.readResponse(within: .seconds(60)).body.count == Self.large.count)
        #expect(eventually { events.count == 1 })
        let event = try #require(events.all.first)
        #expect(event.duration >= stall)
        #expect(event.status == 200)
    }

    @Test func aConnectionResetWhileTheHandlerRunsIsReportedOnceWithTheStatusItWasSent() throws {
        let (server, port) = try serve()
        let connection = try connect(port)
        try connection.send(Self.request("GET", "/api/wait"))
        #expect(eventually { latch.entered == 1 })
        connection.reset()
        latch.open()
        // The server writes into the reset connection (or fails to), then closes it: one report either way.
        #expect(eventually { events.count == 1 && server.openConnections == 0 })
        #expect(statuses(after: server) == [200])
    }

    @Test func aConnectionResetInTheMiddleOfTheResponseIsReportedOnceWithTheStatusBeingSent() throws {
        let (server, port) = try serve()
        let connection = try connect(port)
        connection.setReceiveBuffer(4096)
        try connection.send(Self.request("GET", "/api/large"))
        #expect(eventually { returned.withLock { $0 } == 1 })
        #expect(events.count == 0)  // still writing
        connection.reset()
        #expect(eventually { events.count == 1 && server.openConnections == 0 })
        #expect(statuses(after: server) == [200])
    }

    @Test func aResponseTheClientNeverTakesIsReportedOnceAtTheWriteTimeout() throws {
        let (server, port) = try serve(.init(port: 0, eventLoops: 1, writeTimeout: .milliseconds(200)))
        let connection = try connect(port)
        connection.setReceiveBuffer(4096)
        try connection.send(Self.request("GET", "/api/large"))
        #expect(eventually { events.count == 1 && server.openConnections == 0 })
        #expect(statuses(after: server) == [200])
    }

    // MARK: - Shutdown

    @Test func anInFlightRequestFinishedDuringAShutdownIsReportedOnce() throws {
        let (server, port) = try serve()
        let connection = try connect(port)
        try connection.send(Self.request("GET", "/api/wait"))
        #expect(eventually { latch.entered == 1 })
        let stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            server.shutdown()
            stopped.signal()
        }
        #expect(eventually { server.port == nil })  // the shutdown has begun
        latch.open()
        let (bytes, _) = try connection.readUntilClosed(within: .seconds(30))
        #expect(try RawHTTPClient.parse(bytes).text == "waited")
        #expect(stopped.wait(timeout: .now() + 60) == .success)
        #expect(events.all.map(\.status) == [200])
    }

    @Test func aRequestCutOffByTheShutdownDeadlineIsReportedOnceWhenItsHandlerReturns() throws {
        let (server, port) = try serve()
        let connection = try connect(port)
        try connection.send(Self.request("GET", "/api/wait"))
        #expect(eventually { latch.entered == 1 })
        server.shutdown(deadline: .now)
        #expect(connection.isClosedBySilence(within: .seconds(30)))
        #expect(events.count == 0)  // the handler has not returned: there is no status yet
        latch.open()
        // The chain reports as it returns, before the handler hands the response to the stopped server.
        #expect(eventually { returned.withLock { $0 } == 1 })
        #expect(events.all.map(\.status) == [200])
    }
}
