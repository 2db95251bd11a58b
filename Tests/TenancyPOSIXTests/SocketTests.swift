import Synchronization
import Testing

@testable import TenancyPOSIX

#if canImport(Glibc)
import Glibc
#endif

/// How accept failures are classified, poll timeouts rounded and addresses parsed, without a network.
@Suite struct SocketTests {
    @Test func theBackoffDoublesFromTenMillisecondsUpToOneSecondAndResets() {
        var backoff = AcceptBackoff()
        let pauses = (0..<9).map { _ in backoff.next() }
        #expect(pauses == [10, 20, 40, 80, 160, 320, 640, 1000, 1000].map { Duration.milliseconds($0) })
        backoff.reset()
        #expect(backoff.next() == .milliseconds(10))
    }

    @Test(arguments: [EMFILE, ENFILE, ENOBUFS, ENOMEM, EINVAL, EBADF])
    func runningOutOfResourcesOrAnUnexpectedFailureBacksOff(code: Int32) {
        #expect(Socket.classifyAcceptError(code) == .backOff(errno: code))
    }

    @Test(arguments: [EINTR, ECONNABORTED, EPROTO, EPERM, ENETDOWN, EHOSTUNREACH])
    func aFailureOfOneConnectionIsRetriedAtOnce(code: Int32) {
        #expect(Socket.classifyAcceptError(code) == .retry)
    }

    @Test func noWaitingConnectionEndsTheBatch() {
        #expect(Socket.classifyAcceptError(EAGAIN) == Socket.Accepted.none)
    }

    @Test(arguments: [
        (Duration.nanoseconds(1), Int32(1)), (.zero, 1), (.milliseconds(1), 1), (.microseconds(1001), 2),
        (.seconds(5), 5000), (.seconds(Int64.max / 2), Int32.max),
    ])
    func pollTimeoutsRoundUpToWholeMilliseconds(duration: Duration, milliseconds: Int32) {
        #expect(Socket.milliseconds(duration) == milliseconds)
    }

    @Test(arguments: [
        ("localhost", "127.0.0.1:80"), ("[::1]", "[::1]:80"), ("::", "[::]:80"), ("0.0.0.0", "0.0.0.0:80"),
    ])
    func hostsAreParsedAsAddresses(host: String, description: String) throws {
        #expect(try #require(SocketAddress(host: host, port: 80)).description == description)
    }

    @Test(arguments: [("example.com", 80), ("127.0.0.1", -1), ("::1", 65536), ("", 80)])
    func namesAndPortsOutOfRangeAreNotAddresses(host: String, port: Int) {
        #expect(SocketAddress(host: host, port: port) == nil)
    }

    @Test func aThreadRunsItsBodyAndIsJoined() throws {
        final class Flag: Sendable { let ran = Atomic(false) }
        let flag = Flag()
        let thread = try POSIXThread.spawn(name: "a-name-longer-than-fifteen-bytes") {
            flag.ran.store(true, ordering: .releasing)
        }
        thread.join()
        let ran = flag.ran.load(ordering: .acquiring)
        #expect(ran)
    }

    @Test func aSystemCallErrorNamesTheCallAndTheErrno() {
        #expect(SystemCallError("bind", EADDRINUSE).description == "bind: Address already in use (errno 98)")
    }
}
