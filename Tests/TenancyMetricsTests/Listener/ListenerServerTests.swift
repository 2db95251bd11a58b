import Tenancy
import TenancyPOSIX
import Testing

@testable import TenancyMetrics

#if canImport(Glibc)
import Glibc
#endif

/// The accept loop's error handling and the handoff's bound, without a network.
@Suite struct ListenerServerTests {
    @Test func theHandoffGivesEachJobToOneWorkerAndCountsItUntilFinished() throws {
        let handoff = ConnectionHandoff(workers: 1)
        let job = ConnectionHandoff.Job(connection: try devNull(), headOnly: false)
        #expect(handoff.submit(job))  // the worker has not started yet: the job waits for it
        #expect(handoff.outstanding == 1)
        let taken = try POSIXThread.spawn(name: "test-worker") {
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

    private func devNull() throws -> Socket {
        let descriptor = open("/dev/null", O_RDONLY)
        try #require(descriptor >= 0)
        return Socket(descriptor: descriptor)
    }
}
