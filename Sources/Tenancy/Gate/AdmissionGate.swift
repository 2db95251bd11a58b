/// The framework-agnostic tenant gate: resolve, then policy, then quota, over an ``AdmissionRequest``.
///
/// Every HTTP integration (this package's middleware, a Hummingbird or Vapor adapter) is a thin wrapper
/// over ``admit(_:requirements:tokens:)``, so the decisions, statuses and bodies are identical everywhere.
/// Policy runs before quota, so a denied request spends no quota. Every decision is reported to the
/// observers. The gate fails closed: an unknown tenant or a failing backend never reaches a handler unless
/// ``Configuration/failOpenOnQuotaBackendError`` says so.
public struct AdmissionGate: Sendable {
    /// How the gate reads requests and what it does at the edges.
    public struct Configuration: Sendable {
        /// The default `type` prefix of problem documents.
        public static let defaultProblemTypeBase = "urn:swift-tenancy:problem:"

        /// How the tenant is found; principal, then `X-Tenant-ID`, by default.
        public var resolver: TenantResolver
        /// Admit requests without a tenant (no policy or quota applies) instead of 401.
        public var allowMissingTenant: Bool
        /// The header naming the model.
        public var modelHeader: String
        /// The header naming the tool.
        public var toolHeader: String
        /// The header carrying the token count of the request.
        public var tokenCountHeader: String
        /// Estimates tokens when the request names none (for example from the body size); `nil` means 0.
        public var tokenEstimator: (@Sendable (any AdmissionRequest) -> Int64?)?
        /// Admit requests when the quota backend fails (503 otherwise). The config backend always fails closed.
        public var failOpenOnQuotaBackendError: Bool
        /// Prefix of the problem documents' `type` URI.
        public var problemTypeBase: String

        /// Creates a configuration; every parameter has the DESIGN.md default.
        public init(
            resolver: TenantResolver = TenantResolver(), allowMissingTenant: Bool = false,
            modelHeader: String = "X-Model", toolHeader: String = "X-Tool", tokenCountHeader: String = "X-Token-Count",
            tokenEstimator: (@Sendable (any AdmissionRequest) -> Int64?)? = nil,
            failOpenOnQuotaBackendError: Bool = false, problemTypeBase: String = defaultProblemTypeBase
        ) {
            self.resolver = resolver
            self.allowMissingTenant = allowMissingTenant
            self.modelHeader = modelHeader
            self.toolHeader = toolHeader
            self.tokenCountHeader = tokenCountHeader
            self.tokenEstimator = tokenEstimator
            self.failOpenOnQuotaBackendError = failOpenOnQuotaBackendError
            self.problemTypeBase = problemTypeBase
        }
    }

    /// Where tenant configs come from.
    public let store: any TenantConfigStore
    /// Counts quota.
    public let quota: any QuotaEngine
    /// Receives every decision.
    public let observers: TenancyObservers
    /// How the gate reads requests.
    public let configuration: Configuration

    /// Creates a gate.
    /// - Parameters:
    ///   - store: Where tenant configs come from.
    ///   - quota: Counts quota; a ``QuotaEnforcer`` over an ``InMemoryQuotaStore`` by default.
    ///   - observers: Receive every decision.
    ///   - configuration: How the gate reads requests.
    public init(
        store: any TenantConfigStore, quota: any QuotaEngine = QuotaEnforcer(), observers: TenancyObservers = .init(),
        configuration: Configuration = .init()
    ) {
        self.store = store
        self.quota = quota
        self.observers = observers
        self.configuration = configuration
    }

    /// Decides whether `request` may proceed.
    /// - Parameters:
    ///   - request: The request head.
    ///   - requirements: What the route needs (a model, a tool) for the policy check.
    ///   - tokens: The request's token count when the caller knows it (for example from the body); otherwise
    ///     the token header, then the estimator, then 0.
    /// - Returns: The admitted request, or a rejection to send as the response.
    public func admit(
        _ request: some AdmissionRequest, requirements: PolicyRequirements = [], tokens: Int64? = nil
    ) async -> Admission {
        let config: TenantConfig
        switch await lookUpTenant(request) {
        case .success(let found): config = found
        case .failure(let rejection): return rejection
        }

        let policyRequest = PolicyRequest(
            method: request.method, path: request.target, model: request.header(configuration.modelHeader),
            tool: request.header(configuration.toolHeader), requirements: requirements)
        let policy = PolicyEvaluator.evaluate(config.policy, policyRequest)
        observers.policyEvaluated(PolicyEvent(tenant: config.id, decision: policy))
        if case .denied(let reason, let detail) = policy {
            return .rejected(
                AdmissionRejection(
                    status: 403, code: .tenantPolicyDenied, title: "Denied by tenant policy", detail: detail,
                    tenant: config.id, outcome: .policyDenied, extensions: [("reason", reason.rawValue)]))
        }

        let cost: QuotaCost
        switch tokenCount(request, explicit: tokens) {
        case .success(let count): cost = QuotaCost(requests: 1, tokens: count)
        case .failure(let rejection):
            observers.quotaEvaluated(
                QuotaEvent(tenant: config.id, outcome: .invalidCost, cost: QuotaCost(tokens: 0), decision: nil))
            return .rejected(AdmissionRejection(
                status: 400, code: .invalidTokenCount, title: "Invalid token count", detail: rejection,
                tenant: config.id, outcome: .badRequest))
        }
        return await consumeQuota(cost, for: config)
    }

    private enum Lookup {
        case success(TenantConfig)
        case failure(Admission)
    }

    /// Resolution and config lookup: every way a request can fail to have a known, active tenant.
    private func lookUpTenant(_ request: some AdmissionRequest) async -> Lookup {
        let id: TenantID
        let source: String
        switch configuration.resolver.resolve(request) {
        case .found(let found, let foundSource):
            id = found
            source = foundSource
        case .missing:
            observers.tenantResolved(ResolutionEvent(result: .missing, source: nil, tenant: nil))
            if configuration.allowMissingTenant {
                return .failure(.admitted(AdmittedRequest(config: nil, quota: nil, cost: QuotaCost(requests: 0))))
            }
            return .failure(.rejected(AdmissionRejection(
                status: 401, code: .tenantRequired, title: "Tenant required",
                detail: "the request does not identify a tenant",
                headers: [HeaderField("WWW-Authenticate", "Tenant realm=\"tenancy\"")])))
        case .invalid(let invalidSource, let message):
            observers.tenantResolved(ResolutionEvent(result: .invalid, source: invalidSource, tenant: nil))
            return .failure(.rejected(AdmissionRejection(
                status: 400, code: .tenantInvalidID, title: "Invalid tenant ID", detail: message)))
        }

        let config: TenantConfig?
        do {
            config = try await store.config(for: id)
        } catch {
            return .failure(.rejected(backendUnavailable(tenant: nil, what: "tenant configuration")))
        }
        guard let config else {
            observers.tenantResolved(ResolutionEvent(result: .unknown, source: source, tenant: id))
            return .failure(.rejected(AdmissionRejection(
                status: 403, code: .tenantUnknown, title: "Unknown tenant", detail: "tenant '\(id)' is not known")))
        }
        guard config.status == .active else {
            observers.tenantResolved(ResolutionEvent(result: .suspended, source: source, tenant: id))
            return .failure(.rejected(AdmissionRejection(
                status: 403, code: .tenantSuspended, title: "Tenant suspended", detail: "tenant '\(id)' is suspended")))
        }
        observers.tenantResolved(ResolutionEvent(result: .resolved, source: source, tenant: id))
        return .success(config)
    }

    private func consumeQuota(_ cost: QuotaCost, for config: TenantConfig) async -> Admission {
        let decision: QuotaDecision
        do {
            decision = try await quota.consume(cost, for: config.id, under: config.quota)
        } catch {
            observers.quotaEvaluated(QuotaEvent(tenant: config.id, outcome: .backendError(error), cost: cost, decision: nil))
            if configuration.failOpenOnQuotaBackendError {
                return .admitted(AdmittedRequest(config: config, quota: nil, cost: cost))
            }
            return .rejected(backendUnavailable(tenant: config.id, what: "quota"))
        }
        guard let rejection = decision.rejection else {
            observers.quotaEvaluated(QuotaEvent(tenant: config.id, outcome: .allowed, cost: cost, decision: decision))
            return .admitted(AdmittedRequest(config: config, quota: decision, cost: cost))
        }
        observers.quotaEvaluated(
            QuotaEvent(tenant: config.id, outcome: .rejected(rejection.dimension), cost: cost, decision: decision))
        let detail =
            rejection.canNeverFit
            ? "the request costs more \(rejection.dimension.rawValue) than the \(rejection.window.rawValue) limit allows"
            : "the \(rejection.window.rawValue) \(rejection.dimension.rawValue) quota is exhausted"
        return .rejected(
            AdmissionRejection(
                status: 429, code: .tenantQuotaExceeded, title: "Tenant quota exceeded", detail: detail,
                tenant: config.id, outcome: .quotaRejected,
                extensions: [("dimension", rejection.dimension.rawValue), ("window", rejection.window.rawValue)],
                headers: RateLimitHeaders.fields(for: config.quota, decision: decision)))
    }

    private func backendUnavailable(tenant: TenantID?, what: String) -> AdmissionRejection {
        AdmissionRejection(
            status: 503, code: .tenantBackendUnavailable, title: "Tenant backend unavailable",
            detail: "the \(what) backend is unavailable; retry later", tenant: tenant, outcome: tenant == nil ? nil : .error)
    }

    private enum TokenCount {
        case success(Int64)
        case failure(String)
    }

    /// The explicit count, else the header (strict decimal digits), else the estimator, else 0.
    private func tokenCount(_ request: some AdmissionRequest, explicit: Int64?) -> TokenCount {
        if let explicit {
            return explicit >= 0 ? .success(explicit) : .failure("the token count must not be negative")
        }
        if let header = request.header(configuration.tokenCountHeader) {
            guard let count = Self.parseTokenCount(header) else {
                return .failure("\(configuration.tokenCountHeader) must be a non-negative decimal integer")
            }
            return .success(count)
        }
        guard let estimate = configuration.tokenEstimator?(request) else { return .success(0) }
        return estimate >= 0 ? .success(estimate) : .failure("the estimated token count must not be negative")
    }

    /// Strict: 1-18 ASCII digits, nothing else (no sign, spaces, commas or exponent).
    static func parseTokenCount(_ text: String) -> Int64? {
        guard (1...18).contains(text.utf8.count) else { return nil }
        var value: Int64 = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
