import Testing

@testable import TenancyHTTP

/// The parser alone, fed whole messages and byte by byte: the same bytes must give the same outcomes.
@Suite struct RequestParserTests {
    static let limits = RequestParser.Limits(maximumHeadBytes: 1024, maximumHeaderCount: 8, maximumBodyBytes: 64)

    @Test(arguments: [false, true])
    func parsesAGetWithItsFieldsInOrder(byteByByte: Bool) throws {
        let outcomes = feed("GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-One:  1 \r\nx-two:2\r\n\r\n", byteByByte: byteByByte)
        #expect(outcomes == [.request("GET /a?b=1 HTTP/1.1 Host=x X-One=1 x-two=2", body: "", keepAlive: true)])
    }

    @Test(arguments: [false, true])
    func readsAContentLengthBody(byteByByte: Bool) {
        let outcomes = feed("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello", byteByByte: byteByByte)
        #expect(outcomes == [.request("POST / HTTP/1.1 Host=x Content-Length=5", body: "hello", keepAlive: true)])
    }

    @Test(arguments: [false, true])
    func decodesAChunkedBodyWithExtensionsAndDropsTrailers(byteByByte: Bool) {
        let message = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: t\r\n\r\n"
        let outcomes = feed(message, byteByByte: byteByByte)
        #expect(outcomes == [.request("POST / HTTP/1.1 Host=x Transfer-Encoding=chunked", body: "hello, world!!!", keepAlive: true)])
    }

    @Test(arguments: [false, true])
    func parsesPipelinedRequestsInOrder(byteByByte: Bool) {
        let message = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nzGET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let outcomes = feed(message, byteByByte: byteByByte)
        #expect(
            outcomes == [
                .request("GET /1 HTTP/1.1 Host=x", body: "", keepAlive: true),
                .request("POST /2 HTTP/1.1 Host=x Content-Length=1", body: "z", keepAlive: true),
                .request("GET /3 HTTP/1.1 Host=x Connection=close", body: "", keepAlive: false),
            ])
    }

    @Test func skipsEmptyLinesBeforeTheRequestLine() {
        #expect(feed("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n") == [.request("GET / HTTP/1.1 Host=x", body: "", keepAlive: true)])
    }

    @Test(arguments: [
        ("GET / HTTP/1.0\r\n\r\n", false), ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: x\r\nConnection: TE, Close\r\n\r\n", false),
    ])
    func keepAliveFollowsTheVersionAndConnectionField(message: String, keepAlive: Bool) throws {
        let outcome = try #require(feed(message).first)
        guard case .request(_, _, let actual) = outcome else { Issue.record("\(outcome)"); return }
        #expect(actual == keepAlive)
    }

    @Test func announcesAnExpectedContinueBeforeTheBody() {
        let message = "PUT / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok"
        #expect(feed(message) == [.continueExpected, .request("PUT / HTTP/1.1 Host=x Expect=100-continue Content-Length=2", body: "ok", keepAlive: true)])
    }

    @Test func turnsAnAbsoluteTargetIntoOriginFormAndItsAuthorityIntoHost() {
        let outcomes = feed("GET http://example.com:8080/p?q HTTP/1.1\r\nHost: other\r\n\r\n")
        #expect(outcomes == [.request("GET /p?q HTTP/1.1 Host=example.com:8080", body: "", keepAlive: true)])
    }

    @Test(arguments: [
        "GET http://example.com/p HTTP/1.1\r\n\r\n", "GET http://example.com/p HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    ])
    func anAbsoluteTargetStillNeedsExactlyOneHostField(message: String) {
        #expect(feed(message) == [.rejected(400)])
    }

    @Test(arguments: [
        "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.1 \r\nHost: x\r\n\r\n", "GET /\r\nHost: x\r\n\r\n",
        "G(T / HTTP/1.1\r\nHost: x\r\n\r\n", "GET a HTTP/1.1\r\nHost: x\r\n\r\n", "GET / HTTP/1.x\r\nHost: x\r\n\r\n",
        "GET / http/1.1\r\nHost: x\r\n\r\n", "GET /\u{7F} HTTP/1.1\r\nHost: x\r\n\r\n", "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\nHost: x\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\n\n", "GET / HTTP/1.1\r\nHost: x\rY: 1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : x\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\n Folded: y\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nX: a\u{0}b\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nX: a\u{1}b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nX: a\u{7F}\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\n: empty\r\n\r\n",
        "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nz",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 1\r\n\r\nz", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +1\r\n\r\nz", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0x1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 99999999999999999999\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ])
    func rejectsMalformedFramingWith400(message: String) {
        #expect(feed(message) == [.rejected(400)])
    }

    @Test(arguments: [
        "zz\r\n", "-1\r\n", " 1\r\n", "1 x\r\n", "\r\n", "1\n", "10000000000000000\r\n", "1\r\nab\r\n", "1\r\na\nx",
        "1\r\na\r\n0\r\nbad trailer\r\n\r\n", "0\r\nX: y\n", "1;" + String(repeating: "e", count: 1100),
    ])
    func rejectsBadChunksWith400(chunks: String) {
        #expect(feed("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks) == [.rejected(400)])
    }

    @Test(arguments: [
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505), ("GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n", 501),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999999999999999999\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n" + String(repeating: "a", count: 64) + "\r\n1\r\n", 413),
        ("GET / HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n", 417),
        ("GET / HTTP/1.1\r\nHost: x\r\n" + String(repeating: "A: b\r\n", count: 8) + "\r\n", 431),
        ("GET /" + String(repeating: "a", count: 1100) + " HTTP/1.1\r\nHost: x\r\n\r\n", 431),
        ("GET / HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "a", count: 1100), 431),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + String(repeating: "t", count: 1100), 431),
    ])
    func rejectsWithTheStatusForTheLimitOrFeature(message: String, status: Int) {
        #expect(feed(message) == [.rejected(status)])
    }

    @Test func anIncompleteHeadWithinTheBoundAsksForMore() {
        var parser = RequestParser(limits: Self.limits)
        let bytes = Array("GET / HTTP/1.1\r\nHost: x\r\n\r".utf8)
        let (step, consumed) = bytes.withUnsafeBytes { parser.parse($0) }
        guard case .needMore = step else { Issue.record("\(step)"); return }
        #expect(consumed == 0)
        #expect(!parser.isIdle)
    }

    // MARK: - Helpers

    enum Outcome: Equatable {
        /// The method, target, version and fields on one line, the body as text, and keep-alive.
        case request(String, body: String, keepAlive: Bool)
        case continueExpected
        case rejected(Int)
    }

    /// Feeds `message` whole or a byte at a time, as a connection would, and collects the outcomes.
    private func feed(_ message: String, byteByByte: Bool = false) -> [Outcome] {
        var parser = RequestParser(limits: Self.limits)
        let bytes = Array(message.utf8)
        let pieces = byteByByte ? bytes.map { [$0] } : [bytes]
        var pending: [UInt8] = []
        var outcomes: [Outcome] = []
        for piece in pieces {
            pending += piece
            while !pending.isEmpty {
                let (step, consumed) = pending.withUnsafeBytes { parser.parse($0) }
                pending.removeFirst(consumed)
                switch step {
                case .needMore:
                    break
                case .continueExpected:
                    outcomes.append(.continueExpected)
                    continue
                case .request(let request, let keepAlive):
                    let fields = request.headers.map { " \($0.name)=\($0.value)" }.joined()
                    let line = "\(request.method) \(request.target) \(request.version)\(fields)"
                    outcomes.append(.request(line, body: String(decoding: request.body, as: UTF8.self), keepAlive: keepAlive))
                    continue
                case .reject(let rejection):
                    outcomes.append(.rejected(rejection.status.code))
                    return outcomes
                }
                break
            }
        }
        return outcomes
    }
}
