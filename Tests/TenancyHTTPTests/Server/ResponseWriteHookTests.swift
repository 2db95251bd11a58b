import Tenancy
import Testing

@testable import TenancyHTTP

/// The hook takes one record per request, only from that request's ticket, and only while it is handled.
@Suite struct ResponseWriteHookTests {
    private func record() -> CompletionRecord {
        CompletionRecord(observers: TenancyObservers(), elapsed: { .zero })
    }

    @Test func theServerTakesBackWhatTheRequestsTicketInstalled() {
        let hook = ResponseWriteHook()
        let ticket = hook.open(serial: 7)
        let record = record()
        #expect(ticket.install(record))
        #expect(hook.take() === record)
        #expect(hook.take() == nil)
    }

    @Test func aSecondRecordForTheSameRequestIsRefused() {
        let hook = ResponseWriteHook()
        let ticket = hook.open(serial: 1)
        let first = record()
        #expect(ticket.install(first))
        #expect(!ticket.install(record()))
        #expect(hook.take() === first)
    }

    @Test func aTicketOfAnEarlierRequestOrAfterTheTakeIsRefused() {
        let hook = ResponseWriteHook()
        let earlier = hook.open(serial: 1)
        #expect(hook.take() == nil)
        #expect(!earlier.install(record()))  // taken: the response is on its way
        let current = hook.open(serial: 2)
        #expect(!earlier.install(record()))  // another request's turn
        #expect(current.install(record()))
    }

    @Test func nothingIsInstalledBeforeTheFirstRequest() {
        let hook = ResponseWriteHook()
        #expect(!ResponseWriteHook.Ticket(hook: hook, serial: 0).install(record()))
        #expect(hook.take() == nil)
    }
}
