import TenancyTestSupport
import Testing

@testable import TenancyMetrics

#if canImport(Glibc)
import Glibc
#endif

/// Slow, silent, greedy and hostile clients hold at most one worker each for a bounded time, and never
/// keep Prometheus from scraping.
@Suite struct MetricsListenerSlowClientTests {
    /// How long a scrape may take while a slow client is connected: 4x below every read timeout used (60 s),
    /// so a scrape that waited for a slow client still fails, yet loose enough for a ThreadSanitizer run on
    /// 2 busy cores (2 s failed there once with 60 connections open).
    static let prompt = Duration.seconds(15)

    @Test func aClientThatSendsNothingDoesNotDelayAnotherScrape() throws {
        let (listener, port) = try startedListener(
            serving: Array("up 1\n".utf8),
            .init(port: 0, readTimeout: .seconds(60))
        )
        defer { listener.stop() }
        let silent = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        defer { silent.close() }
        let started = ContinuousClock.now
        let response = try RawHTTPClient.request(port: port, within: Self.prompt)
        #expect(response.status == 200)
        #expect(ContinuousClock.now - started < Self.prompt)
    }

    @Test func aClientThatDribblesBytesDoesNotDelayAnotherScrape() throws {
        let (listener, port) = try startedListener(
            serving: Array("up 1\n".utf8),
            .init(port: 0, readTimeout: .seconds(60))
        )
        defer { listener.stop() }
        let dribbler = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        defer { dribbler.close() }
        for byte in "GET /metrics HTTP/1.1\r\nHo".utf8 {
            try dribbler.send([byte])
            let response = try RawHTTPClient.request(port: port, within: Self.prompt)
            #expect(response.status == 200)
        }
    }

    @Test func manySilentAndDribblingClientsDoNotDelayAScrapeWhileSlotsRemain() throws {
        let (listener, port) = try startedListener(
            serving: Array("up 1\n".utf8),
            .init(port: 0, maximumConnections: 64, readTimeout: .seconds(60))
        )
        defer { listener.stop() }
        var slow: [RawHTTPClient.Connection] = []
        for index in 0..<60 {
            let connection = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
            if index.isMultiple(of: 2) { try connection.send("GET /metrics HTTP/1.1\r\nHost") }
            slow.append(connection)
        }
        defer { for connection in slow { connection.close() } }
        for _ in 0..<3 {
            let started = ContinuousClock.now
            #expect(try RawHTTPClient.request(port: port, within: Self.prompt).status == 200)
            #expect(ContinuousClock.now - started < Self.prompt)
        }
    }

    @Test func aClientThatDribblesPastTheReadTimeoutIsAnswered408() throws {
        let (listener, port) = try startedListener(serving: [], .init(port: 0, readTimeout: .milliseconds(300)))
        defer { listener.stop() }
        let dribbler = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        let started = ContinuousClock.now
        var cutOff = false
        for byte in "GET /metrics HTTP/1.1\r\nX-Slow: ".utf8 + Array(repeating: UInt8(ascii: "z"), count: 1000) {
            // Dribbling does not extend the deadline: the server answers within the read timeout of the accept.
            guard (try? dribbler.send([byte])) != nil, ContinuousClock.now - started < .seconds(10) else {
                cutOff = true
                break
            }
            var pause = timespec(tv_sec: 0, tv_nsec: 20_000_000)
            _ = nanosleep(&pause, nil)
            var probe = pollfd(fd: dribbler.descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&probe, 1, 0) > 0 {
                cutOff = true
                break
            }
        }
        #expect(cutOff)
        let (bytes, _) = try dribbler.readUntilClosed(within: .seconds(5))
        let response = try RawHTTPClient.parse(bytes)
        #expect(response.status == 408)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func aSilentClientIsClosedAtTheReadTimeoutWithoutAResponse() throws {
        let (listener, port) = try startedListener(serving: [], .init(port: 0, readTimeout: .milliseconds(200)))
        defer { listener.stop() }
        let silent = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        #expect(silent.isClosedBySilence(within: .seconds(5)))
    }

    @Test func connectionsBeyondTheBoundAreRefusedWith503AndServedAgainOnceAWorkerIsFree() throws {
        let (listener, port) = try startedListener(
            serving: Array("up 1\n".utf8),
            .init(port: 0, maximumConnections: 1, readTimeout: .seconds(60))
        )
        defer { listener.stop() }
        let holder = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        let refused = try RawHTTPClient.request(port: port)
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "1")
        #expect(refused.header("Connection") == "close")
        holder.close()
        #expect(try eventually { try RawHTTPClient.request(port: port).status == 200 })
    }

    @Test func aClientThatNeverReadsIsCutOffAtTheWriteTimeout() throws {
        let body = [UInt8](repeating: UInt8(ascii: "#"), count: 64 << 20)  // far beyond the socket buffers
        let (listener, port) = try startedListener(
            serving: body,
            .init(port: 0, workerThreads: 1, writeTimeout: .milliseconds(300))
        )
        defer { listener.stop() }
        let greedy = try RawHTTPClient.Connection(host: "127.0.0.1", port: port)
        greedy.setReceiveBuffer(4096)
        try greedy.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
        // The only worker is stuck writing to `greedy` until the write timeout frees it; scrapes wait for it.
        let started = ContinuousClock.now
        #expect(try eventually { try RawHTTPClient.request("HEAD", port: port).status == 200 })
        #expect(ContinuousClock.now - started < .seconds(5))
        greedy.close()  // what the kernel still holds for it would trickle through its small window for minutes
    }

    @Test func concurrentScrapesGetCompleteAnswersOrA503() async throws {
        let registry = try sampleRegistry()
        let expected = registry.render()
        let (listener, port) = try startedListener(registry)
        defer { listener.stop() }
        let served = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var served = 0
                    for _ in 0..<25 {
                        let response = try RawHTTPClient.request(port: port)
                        if response.status == 200 {
                            #expect(response.body == expected)
                            served += 1
                        } else {
                            #expect(response.status == 503)
                        }
                    }
                    return served
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(served > 0)
    }

    @Test func scrapesWhileMetricsAreRecordedAreWellFormed() async throws {
        let registry = try plainRegistry()
        let counter = try registry.counterVec(name: "busy_total", help: "Busy.", labelNames: ["worker"])
        let (listener, port) = try startedListener(registry)
        defer { listener.stop() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for index in 0..<20_000 { try counter.labels("w\(index % 50)").increment() }
            }
            group.addTask {
                for _ in 0..<20 {
                    let response = try RawHTTPClient.request(port: port)
                    #expect(response.status == 200)
                    #expect(response.header("Content-Length") == "\(response.body.count)")
                    #expect(response.body.last == UInt8(ascii: "\n") || response.body.isEmpty)
                }
            }
            try await group.waitForAll()
        }
    }
}
