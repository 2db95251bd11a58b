import Dispatch
import TenancyHTTP
import TenancyTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What well-behaved clients get, over real loopback sockets.
@Suite struct HTTPServerTests {
    @Test func listensOnAnEphemeralPortAndReportsIt() throws {
        let (server, port) = try startedServer()
        defer { server.shutdown() }
        #expect(port > 0)
        #expect(server.localAddress == "127.0.0.1:\(port)")
        #expect(try servesANormalRequest(port: port))
    }

    @Test func keepsAConnectionOpenForSeveralRequests() throws {
        let (server, port) = try startedServer()
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        for index in 0..<3 {
            try connection.send("GET /\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.text == "GET /\(index) 0")
            #expect(response.header("Connection") == nil)
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
        }
    }

    @Test func answersPipelinedRequestsInRequestOrderWhateverTheirHandlersTake() throws {
        let (server, port) = try startedServer { request in
            // The first request is the slowest: its answer must still come first.
            let delay = request.target == "/1" ? 60 : request.target == "/2" ? 30 : 0
            try? await Task.sleep(for: .milliseconds(delay))
            return .text(request.target)
        }
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send((1...3).map { "GET /\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        let bodies = try (1...3).map { _ in try connection.readResponse().text }
        #expect(bodies == ["/1", "/2", "/3"])
    }

    @Test func closesAnHTTP10ConnectionUnlessKeepAliveIsAsked() throws {
        let (server, port) = try startedServer()
        defer { server.shutdown() }
        let plain = try RawHTTPClient.exchange(Array("GET /old HTTP/1.0\r\n\r\n".utf8), port: port)
        #expect(plain.text == "GET /old 0")
        #expect(plain.header("Connection") == "close")
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try connection.readResponse().header("Connection") == "keep-alive")
        try connection.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try connection.readResponse().text == "GET /b 0")
    }

    @Test func hasTheHandlerSeeADecodedChunkedBody() throws {
        let (server, port) = try startedServer()
        defer { server.shutdown() }
        let request = "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            + "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n"
        let response = try RawHTTPClient.exchange(Array(request.utf8), port: port)
        #expect(response.text == "POST /c 5")
        #expect(response.header("X-Body") == "abcde")
    }

    @Test func sendsContinueBeforeReadingAnExpectedBody() throws {
        let (server, port) = try startedServer()
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send("PUT /u HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        let interim = try connection.readResponse()
        #expect(interim.status == 100)
        try connection.send("data")
        let response = try connection.readResponse()
        #expect(response.status == 200)
        #expect(response.header("X-Body") == "data")
    }

    @Test func answersHeadWithTheContentLengthOfTheBodyItLeavesOut() throws {
        let (server, port) = try startedServer()
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try connection.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try connection.readResponse(headOnly: true)
        #expect(head.header("Content-Length") == "\("HEAD /h 0".utf8.count)")
        #expect(head.body.isEmpty)
        #expect(try connection.readResponse().text == "GET /next 0")  // nothing stray came in between
    }

    @Test func writesTheFramingFieldsItselfWhateverTheHandlerSets() throws {
        let (server, port) = try startedServer { _ in
            var response = HTTPResponse.text("four")
            try? response.headers.add("Content-Length", "999")
            try? response.headers.add("Transfer-Encoding", "chunked")
            try? response.headers.add("X-Kept", "yes")
            return response
        }
        defer { server.shutdown() }
        let response = try RawHTTPClient.request("GET", "/", port: port, headers: ["Connection: close"])
        #expect(response.header("Content-Length") == "4")
        #expect(response.header("Transfer-Encoding") == nil)
        #expect(response.header("X-Kept") == "yes")
        #expect(response.text == "four")
    }

    @Test func sendsALargeResponseCompletelyToASlowReader() throws {
        let large = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let (server, port) = try startedServer { _ in HTTPResponse(body: large) }
        defer { server.shutdown() }
        let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        // A small window makes the server's sends partial, so they wait for room. Not smaller than the
        // loopback MSS (64 KiB), or the kernel stops announcing the window and the transfer crawls.
        connection.setReceiveBuffer(65536)
        try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /again HTTP/1.1\r\nHost: x\r\n\r\n")
        let first = try connection.readResponse(within: .seconds(30))
        #expect(first.body == large)
        #expect(try connection.readResponse(within: .seconds(30)).body.count == large.count)
    }

    @Test func replacesAnInterimStatusFromAHandlerWithA500() throws {
        let (server, port) = try startedServer { _ in HTTPResponse(status: HTTPStatus(code: 101)) }
        defer { server.shutdown() }
        let response = try RawHTTPClient.request("GET", "/", port: port, headers: ["Connection: close"])
        #expect(response.status == 500)
        #expect(response.header("Content-Type") == "application/problem+json")
    }

    @Test(.enabled(if: loopbackIPv6IsAvailable(), "this machine has no IPv6 loopback"))
    func servesIPv6Loopback() throws {
        let (server, port) = try startedServer(.init(host: "::1", port: 0, eventLoops: 1))
        defer { server.shutdown() }
        #expect(server.localAddress == "[::1]:\(port)")
        let response = try RawHTTPClient.request("GET", "/six", host: "::1", port: port, headers: ["Connection: close"])
        #expect(response.text == "GET /six 0")
    }

    @Test func givesTheHandlerThePeerAddress() throws {
        let (server, port) = try startedServer { request in .text(request.remoteAddress ?? "none") }
        defer { server.shutdown() }
        let response = try RawHTTPClient.request("GET", "/", port: port, headers: ["Connection: close"])
        #expect(response.text.hasPrefix("127.0.0.1:"))
    }

    /// Whichever loop accepts, connections are dealt round-robin, so a burst of connects (what a load
    /// generator opens) is served by every loop, not by the one that woke first.
    @Test func servesConsecutiveConnectionsOnDifferentEventLoops() throws {
        let (server, port) = try startedServer(.init(port: 0, eventLoops: 2)) { _ in .text(currentThreadName()) }
        defer { server.shutdown() }
        let first = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let firstLoop = try first.readResponse().text
        let second = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        try second.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let secondLoop = try second.readResponse().text
        #expect(Set([firstLoop, secondLoop]) == ["http-loop-0", "http-loop-1"])
    }
}

/// The name of the calling thread (a handler that does not suspend runs on its connection's loop thread),
/// from `/proc/thread-self/comm`: Glibc's module does not export `pthread_getname_np`.
private func currentThreadName() -> String {
    let descriptor = open("/proc/thread-self/comm", O_RDONLY)
    guard descriptor >= 0 else { return "?" }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: 64)
    let count = read(descriptor, &bytes, bytes.count)
    guard count > 0 else { return "?" }
    return String(decoding: bytes[..<count].prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
}

/// Whether a socket can bind `::1`; without IPv6 the IPv6 test is skipped, and says so.
func loopbackIPv6IsAvailable() -> Bool {
    let descriptor = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    address.sin6_addr = in6addr_loopback
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) == 0
        }
    }
}

/// Handlers on the global executor: every response comes back to its loop through the wake-up descriptor.
@Suite struct HTTPServerGlobalExecutorTests {
    @Test func servesKeepAliveAndPipelinedRequestsInOrder() async throws {
        let configuration = HTTPServer.Configuration(port: 0, eventLoops: 1, handlerExecution: .globalExecutor)
        let (server, port) = try startedServer(configuration) { request in
            let delay = request.target == "/1" ? 40 : 0
            try? await Task.sleep(for: .milliseconds(delay))
            return .text(request.target)
        }
        defer { server.shutdown() }
        // The blocking client runs off the cooperative pool, which the handlers need. Tests running in
        // parallel may block every pool thread for a while (sync tests run on it): hence the long wait.
        let bodies = try await offThePool {
            let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
            try connection.send((1...3).map { "GET /\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
            let pipelined = try (1...3).map { _ in try connection.readResponse(within: .seconds(120)).text }
            try connection.send("GET /4 HTTP/1.1\r\nHost: x\r\n\r\n")
            return pipelined + [try connection.readResponse(within: .seconds(120)).text]
        }
        #expect(bodies == ["/1", "/2", "/3", "/4"])
    }
}

/// Runs blocking `work` on a Dispatch thread and awaits its result.
func offThePool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}
