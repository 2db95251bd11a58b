import Testing

@testable import TenancyMetrics

@Suite struct RequestHeadParserTests {
    /// Feeds `request` in one piece, padded with unused capacity as the listener's buffer is.
    private func parse(_ request: String, maximumBytes: Int = 8192) -> RequestHeadParser.Step {
        parse(Array(request.utf8), maximumBytes: maximumBytes)
    }

    private func parse(_ request: [UInt8], maximumBytes: Int) -> RequestHeadParser.Step {
        var parser = RequestHeadParser(maximumBytes: maximumBytes)
        var bytes = request
        let count = bytes.count
        bytes += [UInt8](repeating: 0, count: max(0, maximumBytes - count))
        return parser.consume(bytes, count: count)
    }

    private func head(
        _ method: String = "GET",
        _ path: String = "/metrics",
        minor: Int = 1,
        authorization: String? = nil
    ) -> RequestHeadParser.Step {
        .head(.init(method: method, path: path, minorVersion: minor, authorization: authorization))
    }

    @Test func aTypicalPrometheusScrapeIsParsed() {
        let request = """
            GET /metrics HTTP/1.1\r
            Host: 127.0.0.1:9464\r
            User-Agent: Prometheus/2.53.0\r
            Accept: application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2\r
            Accept-Encoding: gzip\r
            X-Prometheus-Scrape-Timeout-Seconds: 10\r
            Authorization: Bearer  abc \r
            \r

            """
        #expect(parse(request) == head(authorization: "Bearer  abc"))
    }

    @Test func aHeadFedOneByteAtATimeIsParsedOnceComplete() {
        let request = Array("\r\nHEAD /metrics?x=1 HTTP/1.0\r\nHost: a\r\n\r\n".utf8)
        var parser = RequestHeadParser(maximumBytes: 8192)
        for count in 1..<request.count {
            #expect(parser.consume(request, count: count) == .needMore)
        }
        #expect(parser.consume(request, count: request.count) == head("HEAD", minor: 0))
    }

    @Test func bytesAfterTheHeadAreLeftAlone() {
        #expect(parse("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\nGET /again HTTP/1.1\r\n") == head())
    }

    @Test func aHeadThatReachesTheBoundWithoutEndingIs431() {
        let request = "GET /metrics HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "a", count: 300)
        #expect(parse(request, maximumBytes: 256) == .reject(.requestHeaderFieldsTooLarge))
        #expect(parse(Array(request.utf8.prefix(255)), maximumBytes: 256) == .needMore)
    }

    @Test func aHeadEndingExactlyAtTheBoundIsAccepted() {
        let request = "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(parse(request, maximumBytes: request.utf8.count) == head())
    }

    @Test func emptyLinesAloneAreNotARequest() {
        #expect(parse("\r\n\r\n\n\r\n") == .needMore)
        #expect(
            parse(String(repeating: "\r\n", count: 200), maximumBytes: 256) == .reject(.requestHeaderFieldsTooLarge)
        )
    }

    @Test(arguments: [
        ("/metrics", "/metrics"), ("/metrics?a=b&c", "/metrics"), ("/metrics#f", "/metrics"), ("/", "/"),
        ("*", "*"), ("http://h/metrics", "/metrics"), ("https://h:1/x/y?z", "/x/y"), ("http://h", "/"),
        ("http://h?q", "/"), ("/%6Detrics", "/%6Detrics"),
    ])
    func theTargetsPathIsExtracted(target: String, path: String) {
        #expect(parse("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n") == head("GET", path))
    }

    @Test(arguments: ["metrics", "ftp://h/metrics", "http://", "http:///x", "/a\u{7F}", "**"])
    func targetsThatAreNotOriginAbsoluteOrAsteriskFormAre400(target: String) {
        #expect(parse("GET \(target) HTTP/1.1\r\nHost: a\r\n\r\n") == .reject(.badRequest))
    }

    @Test func headerNamesAreCaseInsensitiveAndValuesTrimmed() {
        #expect(
            parse("GET /metrics HTTP/1.1\r\nhOsT: a\r\nauthorization:\t Bearer x \t\r\n\r\n")
                == head(authorization: "Bearer x")
        )
    }

    @Test(arguments: ["HTTP/1.0", "HTTP/1.1", "HTTP/1.7"])
    func everyHTTP1MinorVersionIsAccepted(version: String) {
        let minor = Int(String(version.last!))!
        #expect(parse("GET /metrics \(version)\r\nHost: a\r\n\r\n") == head(minor: minor))
    }

    @Test func aMissingHostIsAcceptedOnlyInHTTP10() {
        #expect(parse("GET /metrics HTTP/1.0\r\n\r\n") == head(minor: 0))
        #expect(parse("GET /metrics HTTP/1.1\r\n\r\n") == .reject(.badRequest))
        #expect(parse("GET /metrics HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n") == .reject(.badRequest))
    }

    @Test func theMethodIsKeptAsSent() {
        #expect(parse("M-SEARCH * HTTP/1.1\r\nHost: a\r\n\r\n") == head("M-SEARCH", "*"))
        #expect(parse("get /metrics HTTP/1.1\r\nHost: a\r\n\r\n") == head("get"))
    }

    @Test func aCaseInsensitiveComparisonMatchesOnlyASCIILetters() {
        #expect(RequestHeadParser.equalsIgnoringCase(Array("HoSt".utf8)[...], "host"))
        #expect(!RequestHeadParser.equalsIgnoringCase(Array("hos".utf8)[...], "host"))
        #expect(!RequestHeadParser.equalsIgnoringCase(Array("h0st".utf8)[...], "host"))
        #expect(!RequestHeadParser.equalsIgnoringCase(Array("HOST".utf8)[...], "HOST"))  // the pattern is lowercase
    }
}
