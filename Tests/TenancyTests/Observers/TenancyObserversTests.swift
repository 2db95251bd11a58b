import Testing

@testable import Tenancy

/// Appends `name:event` to a shared log for every call, so order across observers is visible.
private final class OrderLog: Sendable {
    let lines = Synchronized<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

private struct LoggingObserver: TenancyObserver {
    let name: String
    let log: OrderLog

    func tenantResolved(_ event: ResolutionEvent) { log.append("\(name):resolved:\(event.result.rawValue)") }
    func policyEvaluated(_ event: PolicyEvent) { log.append("\(name):policy:\(event.decision.isAllowed)") }
    func quotaEvaluated(_ event: QuotaEvent) { log.append("\(name):quota:\(event.cost.tokens)") }
    func requestCompleted(_ event: CompletionEvent) { log.append("\(name):completed:\(event.status)") }
    func adminChanged(_ event: AdminEvent) { log.append("\(name):admin:\(event.action.rawValue)") }
}

/// Implements one method and relies on the defaults for the rest.
private struct CompletionOnlyObserver: TenancyObserver {
    let log: OrderLog

    func requestCompleted(_ event: CompletionEvent) { log.append("completed:\(event.status)") }
}

/// Implements nothing: every method is the default.
private struct SilentObserver: TenancyObserver {}

@Suite struct TenancyObserversTests {
    enum Kind: String, CaseIterable, Sendable {
        case resolved, policy, quota, completed, admin
    }

    static let acme = TenantID(validating: "acme")!

    /// Sends one event of `kind` to `observer` and returns the suffix its log line carries.
    static func send(_ kind: Kind, to observer: some TenancyObserver) -> String {
        switch kind {
        case .resolved:
            observer.tenantResolved(ResolutionEvent(result: .unknown, source: "header", tenant: acme))
            return "unknown"
        case .policy:
            observer.policyEvaluated(PolicyEvent(tenant: acme, decision: .denied(.path, detail: "no")))
            return "false"
        case .quota:
            observer.quotaEvaluated(
                QuotaEvent(tenant: acme, outcome: .allowed, cost: QuotaCost(requests: 1, tokens: 17), decision: nil)
            )
            return "17"
        case .completed:
            observer.requestCompleted(
                CompletionEvent(tenant: acme, outcome: .allowed, status: 204, duration: .milliseconds(3))
            )
            return "204"
        case .admin:
            observer.adminChanged(AdminEvent(action: .quotaUpdated, tenant: acme, version: 2, actor: nil))
            return "quota_updated"
        }
    }

    @Test(arguments: Kind.allCases)
    func callsEveryObserverInRegistrationOrder(_ kind: Kind) {
        let log = OrderLog()
        let fanOut = TenancyObservers(["c", "a", "b"].map { LoggingObserver(name: $0, log: log) })
        let suffix = Self.send(kind, to: fanOut)
        #expect(log.all == ["c", "a", "b"].map { "\($0):\(kind.rawValue):\(suffix)" })
    }

    @Test(arguments: Kind.allCases)
    func callsTheSameObserverTwiceWhenItIsRegisteredTwice(_ kind: Kind) {
        let log = OrderLog()
        let observer = LoggingObserver(name: "x", log: log)
        _ = Self.send(kind, to: TenancyObservers([observer, observer]))
        #expect(log.all.count == 2)
    }

    @Test func nestsFanOutsDepthFirst() {
        let log = OrderLog()
        let inner = TenancyObservers([LoggingObserver(name: "b", log: log), LoggingObserver(name: "c", log: log)])
        let outer = TenancyObservers([
            LoggingObserver(name: "a", log: log), inner, LoggingObserver(name: "d", log: log),
        ])
        _ = Self.send(.completed, to: outer)
        #expect(log.all == ["a", "b", "c", "d"].map { "\($0):completed:204" })
    }

    @Test func isEmptyOnlyWithoutObservers() {
        #expect(TenancyObservers().isEmpty)
        #expect(TenancyObservers([]).isEmpty)
        #expect(!TenancyObservers([CompletionOnlyObserver(log: OrderLog())]).isEmpty)
    }

    @Test(arguments: Kind.allCases)
    func doesNothingWithoutObservers(_ kind: Kind) {
        let fanOut = TenancyObservers()
        _ = Self.send(kind, to: fanOut)
        #expect(fanOut.observers.isEmpty)
    }

    @Test(arguments: Kind.allCases.filter { $0 != .completed })
    func defaultMethodsDoNothing(_ kind: Kind) {
        let log = OrderLog()
        _ = Self.send(kind, to: CompletionOnlyObserver(log: log))
        #expect(log.all.isEmpty)
    }

    @Test(arguments: Kind.allCases)
    func anObserverImplementingNothingCanBeCalledAndSitsInAFanOutHarmlessly(_ kind: Kind) {
        let log = OrderLog()
        let fanOut = TenancyObservers([SilentObserver(), LoggingObserver(name: "after", log: log)])
        let suffix = Self.send(kind, to: fanOut)
        _ = Self.send(kind, to: SilentObserver())
        #expect(log.all == ["after:\(kind.rawValue):\(suffix)"])
    }

    @Test func anObserverImplementingOneMethodStillReceivesIt() {
        let log = OrderLog()
        let fanOut = TenancyObservers([CompletionOnlyObserver(log: log)])
        for kind in Kind.allCases { _ = Self.send(kind, to: fanOut) }
        #expect(log.all == ["completed:204"])
    }

    @Test func letsObserversBeAddedAfterCreation() {
        let log = OrderLog()
        var fanOut = TenancyObservers()
        fanOut.observers.append(LoggingObserver(name: "late", log: log))
        _ = Self.send(.admin, to: fanOut)
        #expect(log.all == ["late:admin:quota_updated"])
    }
}
