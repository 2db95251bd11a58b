import TenancyHTTP
import TenancyTestSupport
import Testing

/// Malformed and abusive requests over raw sockets: each is answered with its status and the connection
/// closed (nothing after it on that connection is served), and the server keeps serving others.
@Suite struct HTTPServerHostileInputTests {
    static let configuration = HTTPServer.Configuration(
        port: 0, eventLoops: 2, maximumHeadBytes: 1024, maximumHeaderCount: 20, maximumBodyBytes: 1024
    )

    @Test(arguments: [
        ("GET\r\n\r\n", 400), ("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400), ("GET / FTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("/ GET HTTP/1.1\r\nHost: x\r\n\r\n", 400), ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("GET / HTTP/1.1\r\n\r\n", 400), ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET /\u{0}x HTTP/1.1\r\nHost: x\r\n\r\n", 400), ("GET / HTTP/1.1\r\nHost: x\r\nX: \u{0}\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", 400), ("GET / HTTP/1.1\r\nHost: x\r\nX: \u{1B}[31m\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX : y\r\n\r\n", 400), ("GET / HTTP/1.1\r\nHost: x\r\nX: y\r\n\tfolded\r\n\r\n", 400),
        ("GET / HTTP/1.1\nHost: x\n\n", 400),
    ])
    func malformedRequestLinesAndFieldsAreRejected(message: String, status: Int) throws {
        try expectRejection(message, status: status)
    }

    @Test(arguments: [
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3 \r\nContent-Length: 3\r\n\r\nabc", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551617\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nG\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n401\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", 400),
    ])
    func ambiguousOrOversizedBodiesAreRejected(message: String, status: Int) throws {
        try expectRejection(message, status: status)
    }

    @Test func oversizedHeadsAndTooManyFieldsAre431() throws {
        try expectRejection("GET / HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "a", count: 2000) + "\r\n\r\n", status: 431)
        try expectRejection("GET / HTTP/1.1\r\nHost: x\r\n" + String(repeating: "A: b\r\n", count: 21) + "\r\n", status: 431)
    }

    @Test func aRejectionIsAProblemDocumentAndEndsTheConnection() throws {
        let (server, port) = try startedServer(Self.configuration)
        defer { server.shutdown() }
        // A smuggled second request after a rejected one is never served.
        let message = "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send(message)
        let (bytes, _) = try connection.readUntilClosed(within: .seconds(10))
        let response = try RawHTTPClient.parse(bytes)
        #expect(response.status == 400)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(response.header("Connection") == "close")
        #expect(response.text.contains("\"code\":\"malformed_request\""))
        #expect(!String(decoding: bytes, as: UTF8.self).contains("smuggled"))
    }

    @Test func theBodyOfARejectedRequestIsDiscardedSoTheClientReadsTheAnswer() throws {
        let (server, port) = try startedServer(Self.configuration)
        defer { server.shutdown() }
        let body = String(repeating: "b", count: 10_000)
        let message = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        let response = try RawHTTPClient.exchange(Array(message.utf8), port: port)
        #expect(response.status == 413)
        #expect(try servesANormalRequest(port: port))
    }

    @Test func aBodyIsConsumedByItsLengthSoItsBytesAreNeverARequest() throws {
        let (server, port) = try startedServer(Self.configuration)
        defer { server.shutdown() }
        let inner = "GET /inner HTTP/1.1\r\nHost: x\r\n\r\n"
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send("POST /outer HTTP/1.1\r\nHost: x\r\nContent-Length: \(inner.utf8.count)\r\n\r\n" + inner)
        try connection.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.readResponse().text == "POST /outer \(inner.utf8.count)")
        #expect(try connection.readResponse().text == "GET /after 0")
    }

    // MARK: - Helpers

    /// Sends `message` on a fresh connection, expects `status` and a close, then a normal request served.
    private func expectRejection(_ message: String, status: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (server, port) = try startedServer(Self.configuration)
        defer { server.shutdown() }
        let response = try RawHTTPClient.exchange(Array(message.utf8), port: port)
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.header("Connection") == "close", sourceLocation: sourceLocation)
        #expect(try servesANormalRequest(port: port), sourceLocation: sourceLocation)
    }
}
