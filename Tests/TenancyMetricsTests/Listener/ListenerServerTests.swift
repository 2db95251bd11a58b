import Tenancy
import Testing

@testable import TenancyMetrics

#if canImport(Glibc)
import Glibc
#endif

/// The accept loop's error handling and the handoff's bound, without a network.
@Suite struct ListenerServerTests {
    @Test func theBackoffDoublesFromTenMillisecondsUpToOneSecondAndResets() {
        var backoff = AcceptLoop.Backoff()
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

    @Test func theHandoffGivesEachJobToOneWorkerAndCountsItUntilFinished() throws {
        let handoff = ConnectionHandoff(workers: 1)
        let job = ConnectionHandoff.Job(connection: try devNull(), headOnly: false)
        #expect(handoff.submit(job))  // the worker has not started yet: the job waits for it
        #expect(handoff.outstanding == 1)
        let taken = try ListenerThread.spawn(name: "test-worker") {
            if let job = handoff.next() { handoff.finished(job.connection) }
        }
        taken.join()
        #expect(handoff.outstanding == 0)
        handoff.close()
        #expect(handoff.next() == nil)
    }

    @Test func aClosedHandoffEndsEveryWorkerAndRefusesJobs() throws {
        let handoff = ConnectionHandoff(workers: 2)
        #expect(handoff.submit(.init(connection: try devNull(), headOnly: true)))  // closed by `close()`
        handoff.close()
        #expect(handoff.outstanding == 0)
        #expect(handoff.next() == nil)
        #expect(handoff.next() == nil)
        #expect(!handoff.submit(.init(connection: Socket(descriptor: -1), headOnly: false)))
    }

    @Test func aThreadRunsItsBodyAndIsJoined() throws {
        let ran = Synchronized(false)
        let thread = try ListenerThread.spawn(name: "a-name-longer-than-fifteen-bytes") { ran.withLock { $0 = true } }
        thread.join()
        #expect(ran.withLock { $0 })
    }

    private func devNull() throws -> Socket {
        let descriptor = open("/dev/null", O_RDONLY)
        try #require(descriptor >= 0)
        return Socket(descriptor: descriptor)
    }
}
