import Tenancy

@testable import TenancyHTTP

/// Every `requestCompleted` event, in the order reported.
final class CompletionCollector: TenancyObserver {
    private let events = Synchronized<[CompletionEvent]>([])

    var all: [CompletionEvent] { events.withLock { $0 } }
    var count: Int { events.withLock { $0.count } }

    func requestCompleted(_ event: CompletionEvent) {
        events.withLock { $0.append(event) }
    }
}

/// A clock that stands still until the test moves it, so a duration can be asserted exactly.
final class AdvancingClock: Clock {
    typealias Instant = SteppingClock.Instant

    private let reading = Synchronized(Duration.zero)

    var now: Instant { Instant(offset: reading.withLock { $0 }) }
    var minimumResolution: Duration { .nanoseconds(1) }

    func advance(by duration: Duration) { reading.withLock { $0 += duration } }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {}
}

/// Holds handlers until the test opens it, and counts the handlers that reached it.
final class HandlerLatch: Sendable {
    private struct State {
        var isOpen = false
        var entered = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Synchronized(State())

    /// How many handlers reached ``wait()``.
    var entered: Int { state.withLock { $0.entered } }

    /// Returns once the latch is open.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isOpen = state.withLock { state in
                state.entered += 1
                if !state.isOpen { state.waiting.append(continuation) }
                return state.isOpen
            }
            if isOpen { continuation.resume() }
        }
    }

    /// Lets every waiting and later handler through.
    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
