import Tenancy
#if canImport(Glibc)
import Glibc
#endif

// tenancy-demo, first cut: the HTTP server, SQLite storage and /metrics arrive with their modules. Until
// then this walks two tenants through the admission gate in-process and prints every decision, so that
// `swift run tenancy-demo` already shows resolve -> policy -> quota and the HTTP contract.

struct PrintingObserver: TenancyObserver {
    func tenantResolved(_ event: ResolutionEvent) {
        print("  resolve  result=\(event.result.rawValue) source=\(event.source ?? "-") tenant=\(event.tenant?.rawValue ?? "-")")
    }

    func policyEvaluated(_ event: PolicyEvent) {
        switch event.decision {
        case .allowed: print("  policy   tenant=\(event.tenant) allowed")
        case .denied(let reason, let detail): print("  policy   tenant=\(event.tenant) denied reason=\(reason.rawValue): \(detail)")
        }
    }

    func quotaEvaluated(_ event: QuotaEvent) {
        print("  quota    tenant=\(event.tenant) outcome=\(event.outcome) cost=\(event.cost.requests)r/\(event.cost.tokens)t")
    }

    func adminChanged(_ event: AdminEvent) {
        print("  admin    \(event.action.rawValue) tenant=\(event.tenant) version=\(event.version)")
    }
}

let observers = TenancyObservers([PrintingObserver()])
let store = InMemoryTenantConfigStore()
let quota = QuotaEnforcer()
let admin = TenantAdminService(store: store, quota: quota, observers: observers)
let gate = AdmissionGate(store: store, quota: quota, observers: observers)

do {
    print("== create two tenants")
    _ = try await admin.create(
        TenantConfig(
            id: TenantID("acme"),
            quota: QuotaConfig(limits: [QuotaLimit(window: .minute, requests: 3, tokens: 1_000)]),
            policy: PolicyConfig(allowedModels: ["gpt-4o"]), metadata: ["plan": "pro"]))
    _ = try await admin.create(
        TenantConfig(
            id: TenantID("globex"), quota: QuotaConfig(algorithm: .tokenBucket, limits: [QuotaLimit(window: .second, requests: 1)])))

    let calls: [(String, RequestHead, PolicyRequirements)] = [
        ("acme calls the model", head("acme", model: "gpt-4o", tokens: "120"), .model),
        ("acme asks for a model it may not use", head("acme", model: "gpt-3"), .model),
        ("acme forgets the model on a route that needs one", head("acme"), .model),
        ("acme pings", head("acme"), []),
        ("acme pings again", head("acme"), []),
        ("acme is out of requests this minute", head("acme"), []),
        ("globex pings", head("globex"), []),
        ("globex pings within the same second", head("globex"), []),
        ("nobody says who they are", head(nil), []),
        ("a tenant that does not exist", head("initech"), []),
        ("a malformed tenant ID", head("acme:admin"), []),
    ]
    for (title, request, requirements) in calls {
        print("== \(title)")
        switch await gate.admit(request, requirements: requirements) {
        case .admitted(let admitted):
            print("  -> 200 tenant=\(admitted.tenant?.rawValue ?? "-") \(admitted.responseHeaders.map(\.description).joined(separator: " | "))")
        case .rejected(let rejection):
            print("  -> \(rejection.status) \(rejection.headers.map(\.description).joined(separator: " | "))")
            print("     \(rejection.body())")
        }
    }
    print("== usage of acme")
    for entry in try await admin.usage(TenantID("acme")).entries {
        print("  \(entry.window.rawValue) \(entry.dimension.rawValue): used \(entry.used) of \(entry.limit), resets in \(entry.reset)")
    }
} catch {
    print("tenancy-demo: \(error)")
    exit(1)
}

func head(_ tenant: String?, model: String? = nil, tokens: String? = nil) -> RequestHead {
    var headers: [HeaderField] = []
    if let tenant { headers.append(HeaderField("X-Tenant-ID", tenant)) }
    if let model { headers.append(HeaderField("X-Model", model)) }
    if let tokens { headers.append(HeaderField("X-Token-Count", tokens)) }
    return RequestHead(method: "POST", target: "/api/v1/chat/completions", headers: headers)
}
