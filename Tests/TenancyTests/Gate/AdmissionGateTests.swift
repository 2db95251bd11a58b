import Testing

@testable import Tenancy

@Suite struct AdmissionGateTests {
    let clock = ManualClock(at: Timestamp(year: 2026, month: 3, day: 1, hour: 12, minute: 0, second: 15))
    let store: InMemoryTenantConfigStore
    let observer = RecordingObserver()

    init() throws {
        store = InMemoryTenantConfigStore(clock: clock)
        _ = try store.upsert(
            TenantConfig(
                id: .valid("acme"),
                quota: QuotaConfig(limits: [QuotaLimit(window: .minute, requests: 3, tokens: 100)]),
                policy: PolicyConfig(allowedModels: ["gpt-4o"], allowedMethods: ["GET", "POST"])),
            condition: .always)
        _ = try store.upsert(TenantConfig(id: .valid("free")), condition: .always)
        _ = try store.upsert(TenantConfig(id: .valid("frozen"), status: .suspended), condition: .always)
    }

    func gate(
        _ configuration: AdmissionGate.Configuration = .init(), quotaStore: any QuotaStore = InMemoryQuotaStore(),
        configStore: (any TenantConfigStore)? = nil
    ) -> AdmissionGate {
        AdmissionGate(
            store: configStore ?? store, quota: QuotaEnforcer(store: quotaStore, clock: clock),
            observers: TenancyObservers([observer]), configuration: configuration)
    }

    func request(
        _ tenant: String?, method: String = "GET", target: String = "/api/v1/ping", headers: [HeaderField] = []
    ) -> RequestHead {
        RequestHead(
            method: method, target: target, headers: (tenant.map { [HeaderField("X-Tenant-ID", $0)] } ?? []) + headers)
    }

    @Test func admitsAKnownActiveTenantWithQuotaHeaders() async throws {
        let admitted = try #require(await gate().admit(request("acme")).admitted)
        #expect(admitted.tenant == .valid("acme"))
        #expect(admitted.quota?.remainingRequests == 2)
        #expect(admitted.cost == QuotaCost(requests: 1, tokens: 0))
        #expect(
            admitted.responseHeaders == [
                HeaderField("RateLimit-Policy", "\"minute\";q=3;w=60, \"minute-tokens\";q=100;qu=\"tokens\";w=60"),
                HeaderField("RateLimit", "\"minute\";r=2;t=45, \"minute-tokens\";r=100;t=45"),
                HeaderField("X-Quota-Remaining-Requests", "2"),
                HeaderField("X-Quota-Remaining-Tokens", "100"),
            ])
        #expect(observer.resolutions.map(\.result) == [.resolved])
        #expect(observer.resolutions.first?.source == "header")
        #expect(observer.policies.map(\.decision) == [.allowed])
        #expect(observer.quotas.map(\.outcome) == [.allowed])
    }

    /// The in-memory store is asked by the header's bytes before they are made a `TenantID`; the admitted
    /// tenant and the resolution event still carry the full ID, stable hash included.
    @Test func theResolvedTenantCarriesItsStableHash() async throws {
        let admitted = try #require(await gate().admit(request("acme")).admitted)
        #expect(admitted.tenant?.stableHash == StableHash.hash("acme"))
        #expect(observer.resolutions.first?.tenant?.stableHash == StableHash.hash("acme"))
        #expect(observer.resolutions.first?.tenant?.rawValue == "acme")
    }

    /// A header value that only looks like a known ID is not that tenant: invalid bytes are a 400, another
    /// valid ID an unknown tenant, each with one resolution event and no quota spent.
    @Test(arguments: [
        ("\u{212A}acme", AdmissionRejection.Code.tenantInvalidID), ("acme\u{301}", .tenantInvalidID), ("acme ", .tenantInvalidID),
        ("acme\u{0}", .tenantInvalidID), ("\u{FF41}\u{FF43}\u{FF4D}\u{FF45}", .tenantInvalidID), ("ACME", .tenantUnknown),
        ("acme.", .tenantUnknown), (String(repeating: "a", count: 256), .tenantInvalidID),
    ])
    func aLookAlikeOfAKnownIDIsNotThatTenant(_ raw: String, _ code: AdmissionRejection.Code) async throws {
        let rejection = try #require(await gate().admit(request(raw)).rejection)
        #expect(rejection.code == code)
        #expect(rejection.status == (code == .tenantInvalidID ? 400 : 403))
        #expect(observer.resolutions.map(\.result) == [code == .tenantInvalidID ? .invalid : .unknown])
        #expect(observer.quotas.isEmpty)
    }

    /// The longest valid ID is found by its bytes; one byte more is invalid, not a prefix match.
    @Test func theLongestIDIsFoundAndOneByteMoreIsInvalid() async throws {
        let longest = String(repeating: "z", count: TenantID.maximumLength)
        _ = try store.upsert(TenantConfig(id: .valid(longest)), condition: .always)
        #expect(try #require(await gate().admit(request(longest)).admitted).tenant == .valid(longest))
        #expect(try #require(await gate().admit(request(longest + "z")).rejection).code == .tenantInvalidID)
    }

    /// The fast ways (the in-memory store asked by the header's bytes, the default enforcer called directly)
    /// decide exactly as the general ones (a store behind the plain protocol, an engine behind a closure):
    /// the same admissions, rejections and events for every kind of tenant, over two requests each.
    @Test(arguments: ["acme", "free", "frozen", "globex", "ACME", "\u{212A}acme", "a:b", ""])
    func theFastAndTheGeneralWaysDecideAlike(_ raw: String) async throws {
        func decisions(fast: Bool) async -> ([String], [ResolutionResult], [String?]) {
            let recorder = RecordingObserver()
            let quotaStore = InMemoryQuotaStore()
            let gate = AdmissionGate(
                store: fast ? store : ForwardingConfigStore(base: store),
                quota: fast
                    ? QuotaEnforcer(store: quotaStore, clock: clock) as any QuotaEngine
                    : FixedWindowQuota(store: quotaStore, clock: clock),
                observers: TenancyObservers([recorder]))
            var outcomes: [String] = []
            for _ in 0..<2 {
                switch await gate.admit(request(raw.isEmpty ? nil : raw)) {
                case .admitted(let admitted):
                    outcomes.append("admitted \(admitted.tenant?.rawValue ?? "-") \(admitted.quota?.remainingRequests ?? -1)")
                case .rejected(let rejection):
                    outcomes.append("rejected \(rejection.status) \(rejection.code.rawValue) \(rejection.detail)")
                }
            }
            return (outcomes, recorder.resolutions.map(\.result), recorder.resolutions.map { $0.tenant?.rawValue })
        }
        let fast = await decisions(fast: true)
        let general = await decisions(fast: false)
        #expect(fast.0 == general.0)
        #expect(fast.1 == general.1)
        #expect(fast.2 == general.2)
    }

    @Test func anUnlimitedTenantGetsNoQuotaHeaders() async throws {
        let admitted = try #require(await gate().admit(request("free")).admitted)
        #expect(admitted.quota == .unlimited)
        #expect(admitted.responseHeaders.isEmpty)
    }

    @Test func aRequestWithoutATenantIs401WithAProblemBody() async throws {
        let rejection = try #require(await gate().admit(request(nil)).rejection)
        #expect(rejection.status == 401)
        #expect(rejection.code == .tenantRequired)
        #expect(rejection.headers == [HeaderField("WWW-Authenticate", "Tenant realm=\"tenancy\"")])
        #expect(rejection.outcome == nil)
        #expect(
            rejection.body()
                == #"{"type":"urn:swift-tenancy:problem:tenant_required","title":"Tenant required","status":401,"detail":"the request does not identify a tenant","code":"tenant_required"}"#
        )
        #expect(observer.resolutions.map(\.result) == [.missing])
        #expect(observer.policies.isEmpty && observer.quotas.isEmpty)
    }

    @Test func allowMissingTenantAdmitsWithoutPolicyOrQuota() async throws {
        let admitted = try #require(await gate(.init(allowMissingTenant: true)).admit(request(nil)).admitted)
        #expect(admitted.tenant == nil)
        #expect(admitted.quota == nil)
        #expect(admitted.responseHeaders.isEmpty)
        #expect(observer.resolutions.map(\.result) == [.missing])
    }

    @Test func aMalformedTenantIDIs400() async throws {
        let rejection = try #require(await gate().admit(request("acme\"}")).rejection)
        #expect(rejection.status == 400)
        #expect(rejection.code == .tenantInvalidID)
        #expect(rejection.detail.contains("offset 4"))
        #expect(rejection.body().contains(#""detail":"tenant ID has byte 0x22 ('\"') at offset 4"#))
        #expect(observer.resolutions.map(\.result) == [.invalid])
    }

    @Test func anUnknownTenantIs403NeverA429() async throws {
        let gate = gate()
        for _ in 0..<5 {
            let rejection = try #require(await gate.admit(request("ghost")).rejection)
            #expect(rejection.status == 403)
            #expect(rejection.code == .tenantUnknown)
            #expect(rejection.tenant == nil, "an unknown ID is client input and must never become a metric label")
        }
        #expect(observer.resolutions.map(\.result) == Array(repeating: .unknown, count: 5))
    }

    @Test func aSuspendedTenantIs403() async throws {
        let rejection = try #require(await gate().admit(request("frozen")).rejection)
        #expect(rejection.status == 403)
        #expect(rejection.code == .tenantSuspended)
        #expect(observer.resolutions.map(\.result) == [.suspended])
    }

    @Test func aPolicyDenialIs403WithTheReasonAndSpendsNoQuota() async throws {
        let quotaStore = InMemoryQuotaStore()
        let gate = gate(quotaStore: quotaStore)
        let rejection = try #require(
            await gate.admit(request("acme", headers: [HeaderField("X-Model", "gpt-3")])).rejection)
        #expect(rejection.status == 403)
        #expect(rejection.code == .tenantPolicyDenied)
        #expect(rejection.outcome == .policyDenied)
        #expect(rejection.tenant == .valid("acme"))
        #expect(rejection.extensions.map(\.key) == ["reason"])
        #expect(rejection.extensions.map(\.value) == ["model"])
        #expect(observer.quotas.isEmpty)
        #expect(quotaStore.count == 0)
        // The three allowed requests are all still there.
        for remaining in [2, 1, 0] as [Int64] {
            #expect(await gate.admit(request("acme")).admitted?.quota?.remainingRequests == remaining)
        }
    }

    @Test func aRouteThatNeedsAModelDeniesARequestWithoutOne() async throws {
        let rejection = try #require(await gate().admit(request("acme"), requirements: .model).rejection)
        #expect(rejection.code == .tenantPolicyDenied)
        #expect(rejection.detail == "this route needs a model and the request names none")
        #expect(await gate().admit(request("acme", headers: [HeaderField("X-Model", "gpt-4o")]), requirements: .model).admitted != nil)
    }

    @Test func aDisallowedMethodIsDenied() async throws {
        let rejection = try #require(await gate().admit(request("acme", method: "DELETE")).rejection)
        #expect(rejection.extensions.first?.value == "method")
    }

    @Test func customHeaderNamesAreUsed() async throws {
        let configuration = AdmissionGate.Configuration(
            resolver: TenantResolver([.header("X-Org")]), modelHeader: "X-LLM", tokenCountHeader: "X-Cost")
        let gate = gate(configuration)
        let denied = RequestHead(target: "/", headers: [HeaderField("X-Org", "acme"), HeaderField("X-LLM", "gpt-3")])
        #expect(await gate.admit(denied).rejection?.code == .tenantPolicyDenied)
        let costly = RequestHead(target: "/", headers: [HeaderField("X-Org", "acme"), HeaderField("X-Cost", "40")])
        #expect(await gate.admit(costly).admitted?.quota?.remainingTokens == 60)
    }

    @Test func exhaustingTheQuotaGives429WithRetryAfterAndRateLimitHeaders() async throws {
        let gate = gate()
        for _ in 0..<3 { #expect(await gate.admit(request("acme")).admitted != nil) }
        let rejection = try #require(await gate.admit(request("acme")).rejection)
        #expect(rejection.status == 429)
        #expect(rejection.code == .tenantQuotaExceeded)
        #expect(rejection.outcome == .quotaRejected)
        #expect(
            rejection.headers == [
                HeaderField("Retry-After", "45"),
                HeaderField("RateLimit-Policy", "\"minute\";q=3;w=60, \"minute-tokens\";q=100;qu=\"tokens\";w=60"),
                HeaderField("RateLimit", "\"minute\";r=0;t=45, \"minute-tokens\";r=100;t=45"),
                HeaderField("X-Quota-Remaining-Requests", "0"),
                HeaderField("X-Quota-Remaining-Tokens", "100"),
            ])
        #expect(
            rejection.body()
                == #"{"type":"urn:swift-tenancy:problem:tenant_quota_exceeded","title":"Tenant quota exceeded","status":429,"detail":"the minute requests quota is exhausted","code":"tenant_quota_exceeded","dimension":"requests","window":"minute"}"#
        )
        #expect(observer.quotas.last?.outcome == .rejected(.requests))
    }

    @Test func aCostThatCanNeverFitIs429WithoutRetryAfter() async throws {
        let rejection = try #require(
            await gate().admit(request("acme", headers: [HeaderField("X-Token-Count", "101")])).rejection)
        #expect(rejection.status == 429)
        #expect(!rejection.headers.contains { $0.name == "Retry-After" })
        #expect(rejection.detail == "the request costs more tokens than the minute limit allows")
    }

    @Test(arguments: ["-5", "+5", " 5", "5 ", "0x10", "1e3", "", "5, 6", "9999999999999999999"])
    func aMalformedOrNegativeTokenCountIs400AndConsumesNothing(_ header: String) async throws {
        let quotaStore = InMemoryQuotaStore()
        let rejection = try #require(
            await gate(quotaStore: quotaStore).admit(request("acme", headers: [HeaderField("X-Token-Count", header)]))
                .rejection)
        #expect(rejection.status == 400)
        #expect(rejection.code == .invalidTokenCount)
        #expect(rejection.outcome == .badRequest)
        #expect(quotaStore.count == 0)
        #expect(observer.quotas.map(\.outcome) == [.invalidCost])
    }

    @Test func theTokenHeaderIsCountedAgainstTheTokenLimit() async throws {
        let admitted = try #require(
            await gate().admit(request("acme", headers: [HeaderField("X-Token-Count", "30")])).admitted)
        #expect(admitted.cost.tokens == 30)
        #expect(admitted.quota?.remainingTokens == 70)
    }

    @Test func theEstimatorIsUsedWhenNoCountIsGiven() async throws {
        let gate = gate(.init(tokenEstimator: { request in request.target.hasSuffix("big") ? 80 : 10 }))
        #expect(await gate.admit(request("acme", target: "/big")).admitted?.quota?.remainingTokens == 20)
        #expect(await gate.admit(request("acme", target: "/big")).rejection?.code == .tenantQuotaExceeded)
    }

    @Test func aDeclaredCountBelowTheEstimateIsChargedAtTheEstimate() async throws {
        let gate = gate(.init(tokenEstimator: { _ in 50 }))
        let low = request("acme", headers: [HeaderField("X-Token-Count", "0")])
        #expect(await gate.admit(low).admitted?.cost.tokens == 50)
        let high = request("acme", headers: [HeaderField("X-Token-Count", "30")])
        #expect(await self.gate(.init(tokenEstimator: { _ in 20 })).admit(high).admitted?.cost.tokens == 30)
    }

    @Test func failOpenDoesNotAdmitAQuotaTheEngineCannotCount() async throws {
        var config = TenantConfig(id: .valid("odd"))
        config.quota.limits = (0..<6).map { _ in QuotaLimit(window: .minute, requests: 1) }
        let gate = AdmissionGate(
            store: FixedConfigStore(config: config), quota: QuotaEnforcer(store: InMemoryQuotaStore(), clock: clock),
            configuration: .init(failOpenOnQuotaBackendError: true))
        let rejection = try #require(await gate.admit(request("odd")).rejection)
        #expect(rejection.status == 503)
    }

    @Test func aNegativeEstimateOrExplicitCountIs400() async throws {
        let gate = gate(.init(tokenEstimator: { _ in -1 }))
        #expect(await gate.admit(request("acme")).rejection?.code == .invalidTokenCount)
        #expect(await self.gate().admit(request("acme"), tokens: -3).rejection?.code == .invalidTokenCount)
        #expect(await self.gate().admit(request("acme"), tokens: 7).admitted?.cost.tokens == 7)
    }

    @Test func aFailingConfigBackendIs503WithoutATenant() async throws {
        let rejection = try #require(await gate(configStore: FailingConfigStore()).admit(request("acme")).rejection)
        #expect(rejection.status == 503)
        #expect(rejection.code == .tenantBackendUnavailable)
        #expect(rejection.tenant == nil)
        #expect(rejection.outcome == nil)
        // Reported as a resolution that ended in error, so the outage reaches the metrics and alerts.
        #expect(observer.resolutions.map(\.result) == [.error])
        #expect(observer.resolutions.first?.source == "header")
    }

    @Test func aFailingQuotaBackendIs503() async throws {
        let rejection = try #require(await gate(quotaStore: FailingQuotaStore()).admit(request("acme")).rejection)
        #expect(rejection.status == 503)
        #expect(rejection.outcome == .error)
        #expect(rejection.tenant == .valid("acme"))
        guard case .backendError(let error) = observer.quotas.first?.outcome else {
            Issue.record("expected a backend error event")
            return
        }
        #expect(error.code == .backendUnavailable)
    }

    @Test func aFailingQuotaBackendAdmitsWhenFailOpenIsConfigured() async throws {
        let gate = gate(.init(failOpenOnQuotaBackendError: true), quotaStore: FailingQuotaStore())
        let admitted = try #require(await gate.admit(request("acme")).admitted)
        #expect(admitted.tenant == .valid("acme"))
        #expect(admitted.quota == nil)
        #expect(admitted.responseHeaders.isEmpty)
    }

    @Test func thePolicyStillAppliesWhenTheQuotaFailsOpen() async throws {
        let gate = gate(.init(failOpenOnQuotaBackendError: true), quotaStore: FailingQuotaStore())
        #expect(await gate.admit(request("acme", method: "PUT")).rejection?.code == .tenantPolicyDenied)
    }

    @Test func aQuotaChangeTakesEffectOnTheNextRequest() async throws {
        let gate = gate()
        for _ in 0..<3 { _ = await gate.admit(request("acme")) }
        #expect(await gate.admit(request("acme")).rejection != nil)
        var config = try #require(store.config(for: .valid("acme")))
        config.quota.limits = [QuotaLimit(window: .minute, requests: 5, tokens: 100)]
        _ = try store.upsert(config, condition: .always)
        #expect(await gate.admit(request("acme")).admitted?.quota?.remainingRequests == 1)
    }

    @Test func concurrentAdmissionsAdmitExactlyTheLimit() async throws {
        let gate = gate()
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { await gate.admit(self.request("acme")).admitted != nil } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 3)
    }

    @Test func problemBodiesEscapeClientInput() {
        let rejection = AdmissionRejection(
            status: 403, code: .tenantPolicyDenied, title: "t", detail: "a\"b\\c\nd\u{1}e\u{2028}",
            extensions: [("reason", "model")])
        #expect(
            rejection.body(typeBase: "https://example.com/p/")
                == #"{"type":"https://example.com/p/tenant_policy_denied","title":"t","status":403,"detail":"a\"b\\c\nd\u0001e\u2028","code":"tenant_policy_denied","reason":"model"}"#
        )
    }
}
