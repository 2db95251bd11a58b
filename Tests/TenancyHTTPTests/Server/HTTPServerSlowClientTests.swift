import TenancyHTTP
import TenancyTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Slow, silent, idle, half-closed and vanishing clients cost a bounded time and never stall the others.
@Suite struct HTTPServerSlowClientTests {
    @Test func aSlowlorisIsTimedOutWhileOthersAreServedPromptly() throws {
        // A head deadline long enough that "served before it" is not a race under ThreadSanitizer.
        let (server, port) = try startedServer(.init(port: 0, eventLoops: 1, headTimeout: .seconds(10)))
        defer { server.shutdown() }
        let slow = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try slow.send("GET / HTTP/1.1\r\nHo")
        let started = ContinuousClock.now
        #expect(try servesANormalRequest(port: port))
        #expect(ContinuousClock.now - started < .seconds(8))  // not held up until the slow head's deadline
        // Dribbling more bytes does not extend the head's deadline.
        try slow.send("st: x\r\nX-A: 1\r\n")
        let (bytes, _) = try slow.readUntilClosed(within: .seconds(20))
        #expect(try RawHTTPClient.parse(bytes).status == 408)
    }

    @Test(arguments: ["", "GET /first HTTP/1.1\r\nHost: x\r\n\r\n"])
    func emptyLinesDoNotKeepAConnectionAlive(firstRequest: String) throws {
        let (server, port) = try startedServer(
            .init(port: 0, eventLoops: 1, headTimeout: .milliseconds(300), idleTimeout: .milliseconds(300))
        )
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        if !firstRequest.isEmpty {
            try connection.send(firstRequest)
            #expect(try connection.readResponse().status == 200)
        }
        // An empty line every 50 ms (allowed before a request line) must not extend any deadline.
        let closed = eventually(within: .seconds(30)) {
            guard (try? connection.send("\r\n")) != nil else { return true }
            var pause = timespec(tv_sec: 0, tv_nsec: 50_000_000)
            _ = nanosleep(&pause, nil)
            return server.openConnections == 0
        }
        #expect(closed)
    }

    @Test func aBodyThatStopsArrivingIs408() throws {
        let (server, port) = try startedServer(.init(port: 0, eventLoops: 1, bodyTimeout: .milliseconds(300)))
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        let (bytes, _) = try connection.readUntilClosed(within: .seconds(20))
        #expect(try RawHTTPClient.parse(bytes).status == 408)
    }

    @Test func aSilentClientIsClosedWithoutAnAnswer() throws {
        let (server, port) = try startedServer(.init(port: 0, eventLoops: 1, headTimeout: .milliseconds(200)))
        defer { server.shutdown() }
        let silent = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        #expect(silent.isClosedBySilence(within: .seconds(20)))
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws {
        let (server, port) = try startedServer(.init(port: 0, eventLoops: 1, idleTimeout: .milliseconds(200)))
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.readResponse().status == 200)
        #expect(connection.isClosedBySilence(within: .seconds(20)))
    }

    @Test func aClientThatDoesNotTakeItsResponseIsClosedAfterTheWriteTimeout() throws {
        let large = [UInt8](repeating: UInt8(ascii: "a"), count: 8 << 20)
        let (server, port) = try startedServer(.init(port: 0, eventLoops: 1, writeTimeout: .milliseconds(300))) { request in
            request.target == "/large" ? HTTPResponse(body: large) : await echo(request)
        }
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        connection.setReceiveBuffer(4096)
        try connection.send("GET /large HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try servesANormalRequest(port: port))
        #expect(eventually { server.openConnections == 0 })
        let (bytes, reset) = try connection.readUntilClosed(within: .seconds(10))
        #expect(reset)
        #expect(bytes.count < large.count)
    }

    @Test func hundredsOfIdleConnectionsDoNotStopServing() throws {
        let (server, port) = try startedServer(.init(port: 0, eventLoops: 2))
        defer { server.shutdown() }
        let idle = try (0..<300).map { _ in try RawHTTPClient.Connection(host: "127.0.0.1", port: port) }
        for connection in idle.prefix(100) { try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n") }
        for connection in idle.prefix(100) { #expect(try connection.readResponse().status == 200) }
        #expect(try servesANormalRequest(port: port))
        for connection in idle { connection.close() }
    }

    @Test func connectionsOverTheBoundAre503WhileTheOthersStayServed() throws {
        let (server, port) = try startedServer(.init(port: 0, eventLoops: 2, maximumConnections: 20))
        defer { server.shutdown() }
        let held = try (0..<20).map { _ in try RawHTTPClient.Connection(host: "127.0.0.1", port: port) }
        // Both loops accept: until all 20 are admitted, the 21st could take a slot before one of them.
        try #require(eventually { server.openConnections == 20 })
        let refused = try RawHTTPClient.exchange(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), port: port)
        #expect(refused.status == 503)
        try held[0].send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try held[0].readResponse().text == "GET /held 0")
        for connection in held { connection.close() }
        #expect(eventually { (try? servesANormalRequest(port: port)) == true })
    }

    @Test func aHalfClosedClientStillGetsItsResponse() throws {
        let (server, port) = try startedServer()
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send("GET /half HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.shutdownWrite()
        let (bytes, _) = try connection.readUntilClosed(within: .seconds(20))
        #expect(try RawHTTPClient.parse(bytes).text == "GET /half 0")
    }

    @Test func resetConnectionsMidRequestDoNotDisturbTheServer() throws {
        let (server, port) = try startedServer()
        defer { server.shutdown() }
        for partial in ["GET / HT", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"] {
            let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
            try connection.send(partial)
            connection.reset()
        }
        #expect(try servesANormalRequest(port: port))
    }

    @Test func aClientThatClosesMidRequestGetsA400OrNothing() throws {
        let (server, port) = try startedServer()
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send("GET / HTTP/1.1\r\nHost")
        connection.shutdownWrite()
        let (bytes, _) = try connection.readUntilClosed(within: .seconds(20))
        #expect(try RawHTTPClient.parse(bytes).status == 400)
        #expect(try servesANormalRequest(port: port))
    }
}
