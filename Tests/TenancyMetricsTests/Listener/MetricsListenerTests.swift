import TenancyTestSupport
import Testing

@testable import TenancyMetrics

/// What the listener answers, over real sockets on ephemeral loopback ports.
@Suite struct MetricsListenerTests {
    @Test func getServesTheRenderedRegistryWithExactlyTheExpositionHeaders() throws {
        let registry = try sampleRegistry()
        let (listener, port) = try startedListener(registry)
        defer { listener.stop() }
        let response = try RawHTTPClient.request(port: port)
        let expected = registry.render()
        #expect(response.status == 200)
        #expect(response.reason == "OK")
        #expect(response.headerLines == metricsHeaderLines(contentLength: expected.count))
        #expect(response.body == expected)
    }

    @Test func headAnswersTheSameHeadersWithoutABody() throws {
        let registry = try sampleRegistry()
        let (listener, port) = try startedListener(registry)
        defer { listener.stop() }
        let response = try RawHTTPClient.request("HEAD", port: port)
        #expect(response.status == 200)
        #expect(response.headerLines == metricsHeaderLines(contentLength: registry.render().count))
        #expect(response.body.isEmpty)
    }

    @Test(arguments: [
        "/metrics?x=y", "/metrics?", "/metrics#top", "http://127.0.0.1/metrics", "HTTP://host:9/metrics?a",
    ])
    func theQueryAndTheAbsoluteFormStillServeTheMetrics(target: String) throws {
        let (listener, port) = try startedListener(serving: Array("up 1\n".utf8))
        defer { listener.stop() }
        let response = try RawHTTPClient.request("GET", target, port: port)
        #expect(response.status == 200)
        #expect(response.text == "up 1\n")
    }

    @Test func theBodyIsRenderedAfreshForEveryScrape() throws {
        let registry = try plainRegistry()
        let scrapes = try registry.counter(name: "scrapes_total", help: "Scrapes.")
        let (listener, port) = try startedListener(registry)
        defer { listener.stop() }
        for count in 0..<3 {
            let response = try RawHTTPClient.request(port: port)
            #expect(response.text.hasSuffix("scrapes_total \(count)\n"))
            scrapes.increment()
        }
    }

    @Test(arguments: [
        "/", "/metric", "/metrics/", "/Metrics", "/metrics%20", "*", "http://host", "http://host?metrics",
    ])
    func anotherPathIsNotFound(path: String) throws {
        let (listener, port) = try startedListener(serving: [])
        defer { listener.stop() }
        let response = try RawHTTPClient.request("GET", path, port: port)
        let body = "404 Not Found: not found; metrics are served at /metrics\n"
        #expect(response.status == 404)
        #expect(
            response.headerLines == [
                "Content-Type: text/plain; charset=utf-8", "Content-Length: \(body.utf8.count)", "Connection: close",
            ]
        )
        #expect(response.text == body)
    }

    @Test func aConfiguredPathReplacesMetrics() throws {
        let (listener, port) = try startedListener(
            serving: Array("up 1\n".utf8),
            .init(port: 0, path: "/internal/prom")
        )
        defer { listener.stop() }
        #expect(try RawHTTPClient.request("GET", "/internal/prom", port: port).status == 200)
        #expect(try RawHTTPClient.request("GET", "/metrics", port: port).status == 404)
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "get", "Head"])
    func anotherMethodIsNotAllowedAndTheAllowedOnesAreNamed(method: String) throws {
        let (listener, port) = try startedListener(serving: Array("up 1\n".utf8))
        defer { listener.stop() }
        let response = try RawHTTPClient.request(method, port: port)
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        #expect(response.header("Connection") == "close")
        #expect(response.text == "405 Method Not Allowed: only GET and HEAD are allowed\n")
    }

    @Test func aPostWithABodyStillReadsItsAnswer() throws {
        let (listener, port) = try startedListener(serving: [])
        defer { listener.stop() }
        let body = String(repeating: "x", count: 100_000)
        let request = "POST /metrics HTTP/1.1\r\nHost: a\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        let response = try RawHTTPClient.exchange(Array(request.utf8), port: port)
        #expect(response.status == 405)
    }

    @Test func anOversizedRequestHeadIsAnswered431() throws {
        let (listener, port) = try startedListener(serving: [], .init(port: 0, maximumRequestHeadBytes: 8192))
        defer { listener.stop() }
        let response = try RawHTTPClient.request(
            port: port,
            headers: ["X-Padding: " + String(repeating: "a", count: 9000)]
        )
        #expect(response.status == 431)
        #expect(response.reason == "Request Header Fields Too Large")
        #expect(response.header("Connection") == "close")
    }

    @Test func aHeadJustUnderTheBoundIsServed() throws {
        let (listener, port) = try startedListener(
            serving: Array("up 1\n".utf8),
            .init(port: 0, maximumRequestHeadBytes: 1024)
        )
        defer { listener.stop() }
        let fixed = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \r\n\r\n".utf8.count
        let response = try RawHTTPClient.request(
            port: port,
            headers: ["X-Padding: " + String(repeating: "a", count: 1024 - fixed)]
        )
        #expect(response.status == 200)
    }

    @Test(arguments: [
        "GET /metrics\r\n\r\n",  // HTTP/0.9 style, no version
        "GET  /metrics HTTP/1.1\r\nHost: a\r\n\r\n",  // two spaces
        "GET /metrics HTTP/1.1 \r\nHost: a\r\n\r\n",  // trailing space
        "GET /metrics HTTP/1.1\r\n\r\n",  // HTTP/1.1 without Host
        "GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",  // two Hosts
        "GET /metrics HTTP/1.1\r\nHost : a\r\n\r\n",  // space before the colon
        "GET /metrics HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",  // obsolete line folding
        "GET /metrics HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: a\u{0}b\r\n\r\n",  // NUL in a value
        "GET /metrics HTTP/1.1\r\nHost: a\rb\r\n\r\n",  // bare CR
        "GET /metrics HTTP/1.1\r\nHost: a\r\nX-\u{7F}: b\r\n\r\n",
        "GET /metrics HTTP/1.x\r\nHost: a\r\n\r\n",
        "GET /metrics http/1.1\r\nHost: a\r\n\r\n",
        "GET /metrics HTTP/11\r\nHost: a\r\n\r\n",
        "G(T /metrics HTTP/1.1\r\nHost: a\r\n\r\n",  // not a token
        "GET metrics HTTP/1.1\r\nHost: a\r\n\r\n",  // not origin-form
        "GET /met rics HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /métrics HTTP/1.1\r\nHost: a\r\n\r\n",  // non-ASCII target
        "GET http:///metrics HTTP/1.1\r\nHost: a\r\n\r\n",  // no authority
        "GET /metrics HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\n\r\n",
        "GET /metrics HTTP/1.1\r\nHost: a\r\n",  // then the client closes its side
    ])
    func malformedRequestsAreAnswered400(request: String) throws {
        let (listener, port) = try startedListener(serving: Array("up 1\n".utf8))
        defer { listener.stop() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send(request)
        connection.shutdownWrite()
        let response = try RawHTTPClient.parse(connection.readUntilClosed(within: .seconds(10)).bytes)
        #expect(response.status == 400)
        #expect(response.text == "400 Bad Request: malformed HTTP request\n")
    }

    @Test(arguments: ["HTTP/2.0", "HTTP/0.9", "HTTP/3.0"])
    func otherMajorVersionsAreAnswered505(version: String) throws {
        let (listener, port) = try startedListener(serving: [])
        defer { listener.stop() }
        let response = try RawHTTPClient.exchange(Array("GET /metrics \(version)\r\nHost: a\r\n\r\n".utf8), port: port)
        #expect(response.status == 505)
    }

    @Test(arguments: [
        "GET /metrics HTTP/1.0\r\n\r\n",  // HTTP/1.0 needs no Host
        "\r\n\r\nGET /metrics HTTP/1.1\r\nHost: a\r\n\r\n",  // empty lines before the request line
        "GET /metrics HTTP/1.1\nHost: a\n\n",  // bare LF line ends
        "GET /metrics HTTP/1.1\r\nhost:a\r\nX-Empty:\r\nX-Tab:\tv\t\r\nX-Obs: caf\u{E9}\r\n\r\n",
        "GET /metrics HTTP/1.9\r\nHost: a\r\n\r\n",  // a later 1.x minor version
    ])
    func unusualButValidRequestsAreServed(request: String) throws {
        let (listener, port) = try startedListener(serving: Array("up 1\n".utf8))
        defer { listener.stop() }
        let response = try RawHTTPClient.exchange(Array(request.utf8), port: port)
        #expect(response.status == 200)
        #expect(response.text == "up 1\n")
    }

    @Test func aRequestSentOneByteAtATimeIsServed() throws {
        let (listener, port) = try startedListener(serving: Array("up 1\n".utf8))
        defer { listener.stop() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        for byte in "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n".utf8 { try connection.send([byte]) }
        let response = try RawHTTPClient.parse(connection.readUntilClosed(within: .seconds(10)).bytes)
        #expect(response.status == 200)
    }

    @Test func aClientThatConnectsAndClosesGetsNothingAndBreaksNothing() throws {
        let (listener, port) = try startedListener(serving: Array("up 1\n".utf8))
        defer { listener.stop() }
        for _ in 0..<10 {
            try RawHTTPClient.Connection(host: "127.0.0.1", port: port).close()
        }
        #expect(try RawHTTPClient.request(port: port).status == 200)
    }

    @Test func aLargeExpositionArrivesWhole() throws {
        var body = [UInt8](repeating: 0, count: 4 << 20)  // beyond the socket buffers below
        for index in stride(from: 0, to: body.count, by: 4096) { body[index] = UInt8(truncatingIfNeeded: index >> 12) }
        let (listener, port) = try startedListener(serving: body)
        defer { listener.stop() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        connection.setReceiveBuffer(32 * 1024)  // the server's sends stop short and wait for room, many times
        try connection.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
        let response = try RawHTTPClient.parse(connection.readUntilClosed(within: .seconds(30)).bytes)
        #expect(response.header("Content-Length") == "\(body.count)")
        #expect(response.body == body)
    }

    // MARK: - Bearer token

    @Test(
        arguments: [
            (nil, 401), ("Bearer wrong", 401), ("Bearer s3cret-", 401), ("Bearer s3cre", 401), ("Basic czNjcmV0", 401),
            ("Bearer", 401), ("s3cret", 401), ("Bearer s3cret", 200), ("bearer s3cret", 200), ("BEARER   s3cret", 200),
        ] as [(String?, Int)]
    )
    func aConfiguredBearerTokenIsRequired(authorization: String?, status: Int) throws {
        let (listener, port) = try startedListener(
            serving: Array("up 1\n".utf8),
            .init(port: 0, bearerToken: "s3cret")
        )
        defer { listener.stop() }
        let response = try RawHTTPClient.request(
            port: port,
            headers: authorization.map { ["Authorization: \($0)"] } ?? []
        )
        #expect(response.status == status)
        if status == 401 {
            #expect(response.header("WWW-Authenticate") == "Bearer")
            #expect(response.text == "401 Unauthorized: a bearer token is required\n")
        } else {
            #expect(response.text == "up 1\n")
        }
    }

    @Test func withoutATokenConfiguredAnAuthorizationHeaderIsIgnored() throws {
        let (listener, port) = try startedListener(serving: Array("up 1\n".utf8))
        defer { listener.stop() }
        #expect(try RawHTTPClient.request(port: port, headers: ["Authorization: Bearer x"]).status == 200)
    }

    // MARK: - Addresses

    @Test func portZeroPicksAFreePortThatIsReadableAfterStart() throws {
        let (listener, port) = try startedListener(serving: [])
        defer { listener.stop() }
        #expect(port > 0)
        #expect(listener.localAddress == "127.0.0.1:\(port)")
        #expect(listener.configuration.port == 0)
    }

    @Test func theIPv6LoopbackIsServedWhenAvailable() throws {
        let listener = try MetricsListener(configuration: .init(host: "::1", port: 0)) {
            $0.append(contentsOf: "up 1\n".utf8)
        }
        do {
            try listener.start()
        } catch {
            #expect(error.code == .invalidAddress)
            print("note: skipping the IPv6 listener test: ::1 is not available here (\(error))")
            return
        }
        defer { listener.stop() }
        let port = try #require(listener.port)
        #expect(listener.localAddress == "[::1]:\(port)")
        let response = try RawHTTPClient.request(host: "::1", port: port)
        #expect(response.status == 200)
        #expect(response.text == "up 1\n")
    }

    @Test func allIPv4InterfacesIncludeTheLoopback() throws {
        let (listener, port) = try startedListener(serving: Array("up 1\n".utf8), .init(host: "0.0.0.0", port: 0))
        defer { listener.stop() }
        #expect(listener.localAddress == "0.0.0.0:\(port)")
        #expect(try RawHTTPClient.request(port: port).status == 200)
    }
}
