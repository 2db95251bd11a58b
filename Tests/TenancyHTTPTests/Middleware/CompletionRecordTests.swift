import Tenancy
import Testing

@testable import TenancyHTTP

/// Whichever side finishes last reports, exactly once, in every order the middleware and the server can
/// finish in.
@Suite struct CompletionRecordTests {
    let events = CompletionCollector()
    let clock = AdvancingClock()

    private func record() throws -> CompletionRecord {
        let clock = clock
        let origin = clock.now
        let record = CompletionRecord(observers: TenancyObservers([events]), elapsed: { origin.duration(to: clock.now) })
        record.record(tenant: try TenantID("acme"), outcome: .allowed)
        return record
    }

    private var reported: [String] {
        events.all.map { "\($0.tenant?.rawValue ?? "-") \($0.outcome?.rawValue ?? "-") \($0.status) \($0.duration)" }
    }

    @Test func withoutAServerTheChainsEndReports() throws {
        let record = try record()
        clock.advance(by: .seconds(1))
        record.chainEnded(status: 201, deferred: false)
        record.responseWritten(status: 200)
        record.abandon()
        #expect(reported == ["acme allowed 201 1.0 seconds"])
    }

    @Test func behindAServerTheWriteReportsWithTheStatusSentAndTheTimeItWasSent() throws {
        let record = try record()
        record.chainEnded(status: 100, deferred: true)
        #expect(events.count == 0)
        clock.advance(by: .seconds(2))
        record.responseWritten(status: 500)  // the server answers an interim status with a 500
        record.responseWritten(status: 500)
        record.abandon()
        #expect(reported == ["acme allowed 500 2.0 seconds"])
    }

    @Test func aConnectionClosedBeforeTheChainEndedLeavesTheReportToTheChain() throws {
        let record = try record()
        record.abandon()
        #expect(events.count == 0)
        clock.advance(by: .seconds(3))
        record.chainEnded(status: 200, deferred: true)
        record.abandon()
        #expect(reported == ["acme allowed 200 3.0 seconds"])
    }

    @Test func aConnectionClosedAfterTheChainEndedReportsTheChainsStatus() throws {
        let record = try record()
        record.chainEnded(status: 204, deferred: true)
        clock.advance(by: .seconds(4))
        record.abandon()
        record.chainEnded(status: 204, deferred: true)
        record.responseWritten(status: 204)
        #expect(reported == ["acme allowed 204 4.0 seconds"])
    }

    @Test func racingFinishesReportOnce() async throws {
        for _ in 0..<200 {
            let record = try record()
            record.chainEnded(status: 200, deferred: true)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { record.responseWritten(status: 200) }
                group.addTask { record.abandon() }
                group.addTask { record.responseWritten(status: 200) }
            }
        }
        #expect(events.count == 200)
    }
}
