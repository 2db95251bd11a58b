import Tenancy
import Testing

@testable import TenancyHTTP

/// Tenants in a real in-memory store, a manual clock and an event log: `acme` (2 requests and 100 tokens a
/// minute, models `gpt-4o` only), `free` (unlimited, no policy), `frozen` (suspended).
struct TenantFixture {
    let clock = ManualClock(at: Timestamp(year: 2026, month: 3, day: 1, hour: 12, minute: 0, second: 15))
    let store: SwitchableConfigStore
    let quotaStore = SwitchableQuotaStore()
    let log = EventLog()

    init() throws {
        let configs = InMemoryTenantConfigStore(clock: clock)
        _ = try configs.upsert(
            TenantConfig(
                id: TenantID("acme"),
                quota: QuotaConfig(limits: [QuotaLimit(window: .minute, requests: 2, tokens: 100)]),
                policy: PolicyConfig(allowedModels: ["gpt-4o"])),
            condition: .always)
        _ = try configs.upsert(TenantConfig(id: TenantID("free")), condition: .always)
        _ = try configs.upsert(TenantConfig(id: TenantID("frozen"), status: .suspended), condition: .always)
        store = SwitchableConfigStore(configs)
    }

    func gate(_ configuration: AdmissionGate.Configuration = .init(), observers: [any TenancyObserver] = []) -> AdmissionGate {
        AdmissionGate(
            store: store, quota: QuotaEnforcer(store: quotaStore, clock: clock),
            observers: TenancyObservers([log] + observers), configuration: configuration)
    }

    /// ``handler(_:_:)`` behind the resolver and then `step`, both over one gate.
    func handler(
        afterResolver configuration: AdmissionGate.Configuration, _ step: (AdmissionGate) -> any Middleware
    ) throws -> HTTPHandler {
        let gate = gate(configuration)
        return try handler([TenantResolverMiddleware(gate: gate), step(gate)])
    }

    /// A router serving `handler` at `/api/{rest}` (every method) behind `middleware`.
    func handler(_ middleware: [any Middleware], _ handler: @escaping HTTPResponder = echoTenant) throws -> HTTPHandler {
        var router = Router()
        try router.group("/api", middleware: middleware) { api in
            for method in [HTTPMethod.get, .post, .delete] { try api.add(method, "/*", handler) }
        }
        return router.handler
    }
}

/// Answers `tenant=<request.tenant> bound=<TenantContext.current>`.
let echoTenant: HTTPResponder = { request in
    .text("tenant=\(request.tenant?.rawValue ?? "-") bound=\(TenantContext.current?.rawValue ?? "-")")
}

/// Sends a request through `handler`.
func send(
    _ handler: HTTPHandler, _ method: HTTPMethod = .get, _ target: String = "/api/x", tenant: String? = nil,
    headers: [(String, String)] = [], body: String = ""
) async throws -> HTTPResponse {
    let fields = (tenant.map { [("X-Tenant-ID", $0)] } ?? []) + headers
    return await handler(try .make(method, target, headers: fields, body: body))
}

/// Every decision as a short line: `resolve missing -`, `policy acme denied model`, `quota acme allowed`,
/// `done acme allowed 200`.
final class EventLog: TenancyObserver {
    private let lines = Synchronized<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func tenantResolved(_ event: ResolutionEvent) {
        append("resolve \(event.result.rawValue) \(event.source ?? "-")")
    }

    func policyEvaluated(_ event: PolicyEvent) {
        switch event.decision {
        case .allowed: append("policy \(event.tenant) allowed")
        case .denied(let reason, _): append("policy \(event.tenant) denied \(reason.rawValue)")
        }
    }

    func quotaEvaluated(_ event: QuotaEvent) {
        append("quota \(event.tenant) \(event.outcome)")
    }

    func requestCompleted(_ event: CompletionEvent) {
        append("done \(event.tenant?.rawValue ?? "-") \(event.outcome?.rawValue ?? "-") \(event.status)")
    }

    private func append(_ line: String) { lines.withLock { $0.append(line) } }
}

/// The in-memory config store, with a switch that makes every read fail as a database that went away.
final class SwitchableConfigStore: TenantConfigStore {
    private let base: InMemoryTenantConfigStore
    private let down = Synchronized(false)

    init(_ base: InMemoryTenantConfigStore) { self.base = base }

    func setDown(_ isDown: Bool) { down.withLock { $0 = isDown } }

    func config(for id: TenantID) throws(TenancyError) -> TenantConfig? {
        if down.withLock({ $0 }) { throw TenancyError(.backendUnavailable, "config database is down") }
        return base.config(for: id)
    }
    func upsert(_ config: TenantConfig, condition: WriteCondition) throws(TenancyError) -> TenantConfig {
        try base.upsert(config, condition: condition)
    }
    func delete(_ id: TenantID, condition: WriteCondition) throws(TenancyError) -> TenantConfig {
        try base.delete(id, condition: condition)
    }
    func list(after: TenantID?, limit: Int) throws(TenancyError) -> TenantPage { try base.list(after: after, limit: limit) }
    func onChange(_ handler: @escaping @Sendable (TenantConfigChange) -> Void) -> TenantConfigSubscription {
        base.onChange(handler)
    }
}

/// The in-memory quota store, with a switch that makes it fail as a Redis that went away.
final class SwitchableQuotaStore: QuotaStore {
    private let base = InMemoryQuotaStore()
    private let down = Synchronized(false)

    func setDown(_ isDown: Bool) { down.withLock { $0 = isDown } }

    func withState<R: Sendable>(of tenant: TenantID, now: Timestamp, _ body: (inout QuotaState) -> R) throws(TenancyError) -> R {
        if down.withLock({ $0 }) { throw TenancyError(.backendUnavailable, "quota store is down") }
        return base.withState(of: tenant, now: now, body)
    }

    func removeState(of tenant: TenantID) throws(TenancyError) { base.removeState(of: tenant) }
}
