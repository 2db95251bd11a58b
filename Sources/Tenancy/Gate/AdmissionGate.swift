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
        /// Estimates a request's tokens (for example from the body size). When the request also declares a
        /// count, the larger of the two is charged. `nil` estimates nothing.
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
    /// The same backends when they can answer without suspending, found once here and called through
    /// closures over the opened backend: calling a method of a stored existential copied it (and destroyed
    /// the copy) on every request.
    @usableFromInline let synchronousStore: (@Sendable (TenantID) throws(TenancyError) -> TenantConfig?)?
    /// Set for a synchronous engine other than ``enforcer``, which is called directly.
    let synchronousQuota: (@Sendable (QuotaCost, TenantConfig) throws(TenancyError) -> QuotaDecision?)?
    /// The config store when it is this module's ``InMemoryTenantConfigStore``, looked up by a raw ID read from
    /// the request before it is made a ``TenantID``: a known tenant's ID, with its stable hash, then comes
    /// from its config (see ``TenantConfigHashTable``).
    let rawConfigLookup: (@Sendable (String) -> TenantConfig?)?
    /// The engine when it is this module's ``QuotaEnforcer`` (the default): called directly, without the
    /// closure's context and the protocol witness in between.
    let enforcer: QuotaEnforcer?
    /// The configured header names, lower-cased once (request heads usually store names lower-cased).
    @usableFromInline let modelHeader: String
    @usableFromInline let toolHeader: String
    @usableFromInline let tokenCountHeader: String

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
        synchronousStore = (store as? any SynchronousTenantConfigStore).map { Self.lookUp(in: $0) }
        enforcer = quota as? QuotaEnforcer
        synchronousQuota = enforcer == nil ? (quota as? any SynchronousQuotaEngine).map { Self.consume(with: $0) } : nil
        rawConfigLookup = (store as? InMemoryTenantConfigStore).map(Self.lookUpRaw(in:))
        modelHeader = configuration.modelHeader.asciiLowercased()
        toolHeader = configuration.toolHeader.asciiLowercased()
        tokenCountHeader = configuration.tokenCountHeader.asciiLowercased()
    }

    private static func lookUp(in store: some SynchronousTenantConfigStore)
        -> @Sendable (TenantID) throws(TenancyError) -> TenantConfig?
    {
        { id throws(TenancyError) in try store.configSynchronously(for: id) }
    }

    /// ``rawConfigLookup`` for `store`.
    private static func lookUpRaw(in store: InMemoryTenantConfigStore) -> @Sendable (String) -> TenantConfig? {
        { raw in store.configSynchronously(forValidRawID: raw) }
    }

    private static func consume(with engine: some SynchronousQuotaEngine)
        -> @Sendable (QuotaCost, TenantConfig) throws(TenancyError) -> QuotaDecision?
    {
        // The config's fields are read here, in the module: read from inlined code in a client module they
        // would go through its accessors' out-of-line coroutines.
        { cost, config throws(TenancyError) in
            try engine.consumeSynchronously(cost, for: config.id, under: config.quota)
        }
    }

    /// Decides whether `request` may proceed.
    ///
    /// With in-process backends (``SynchronousTenantConfigStore``, ``SynchronousQuotaEngine``) the whole
    /// decision runs without suspending; remote backends are awaited.
    /// - Parameters:
    ///   - request: The request head.
    ///   - requirements: What the route needs (a model, a tool) for the policy check.
    ///   - tokens: The request's token count when the caller knows it (for example from the body); otherwise
    ///     the token header, then the estimator, then 0.
    /// - Returns: The admitted request, or a rejection to send as the response.
    @inlinable
    public func admit(
        _ request: some AdmissionRequest, requirements: PolicyRequirements = [], tokens: Int64? = nil
    ) async -> Admission {
        // Inlinable, and synchronous up to the quota when both backends are in-process, so an in-process gate
        // decides inside the caller's async frame: each nested async step (resolve, quota) cost a
        // task-allocator round trip.
        var pending: PendingQuota?
        if let admission = admitSynchronously(request, requirements: requirements, tokens: tokens, pending: &pending) {
            return admission
        }
        if let pending { return await consumeQuotaSuspending(pending.cost, config: pending.config) }
        return await admitSuspending(request, requirements: requirements, tokens: tokens)
    }

    /// A request that passed resolution and policy, whose quota engine must be awaited.
    @usableFromInline
    struct PendingQuota: Sendable {
        @usableFromInline let cost: QuotaCost
        @usableFromInline let config: TenantConfig

        @usableFromInline
        init(cost: QuotaCost, config: TenantConfig) {
            self.cost = cost
            self.config = config
        }
    }

    /// ``admit(_:requirements:tokens:)`` without suspending.
    ///
    /// The admission when decided. Otherwise `nil`, and `pending` says why: set when everything but the
    /// quota engine has run and that must be awaited; left `nil`, having done nothing, when the config store
    /// is remote. (An out parameter, not an enum around the admission: the admission is large, and every
    /// wrapping cost a copy and an outlined destroy per request.) Inlinable with the steps that read the
    /// request, so they are specialized for the caller's request type: unspecialized, every header and
    /// field read went through a witness table and returned a copy.
    @inlinable
    func admitSynchronously(
        _ request: some AdmissionRequest, requirements: PolicyRequirements, tokens: Int64?,
        pending: inout PendingQuota?
    ) -> Admission? {
        guard synchronousStore != nil else { return nil }
        var found: TenantConfig?
        let (candidate, source) = configuration.resolver.firstCandidate(in: request)
        if let admission = lookUpInProcess(candidate, source: source, into: &found) { return admission }
        // The config is moved along to the admission that holds it: each copy was a retain and a release.
        guard let config = found.take() else { return nil }
        if let denial = checkPolicy(request, config: config, requirements: requirements) { return .rejected(denial) }
        switch cost(of: request, config: config, tokens: tokens) {
        case .proceed(let cost):
            return consumeQuotaSynchronously(cost, config: config, pending: &pending)
        case .decided(let admission):
            return admission
        }
    }

    /// ``admit(_:requirements:tokens:)`` over a config store that may suspend.
    @usableFromInline
    func admitSuspending(
        _ request: some AdmissionRequest, requirements: PolicyRequirements, tokens: Int64?
    ) async -> Admission {
        let config: TenantConfig
        switch await resolveTenant(request) {
        case .proceed(let found): config = found
        case .decided(let admission): return admission
        }
        if let denial = checkPolicy(request, config: config, requirements: requirements) { return .rejected(denial) }
        switch cost(of: request, config: config, tokens: tokens) {
        case .proceed(let cost): return await consumeQuota(cost, config: config)
        case .decided(let admission): return admission
        }
    }

    // MARK: - The three steps, for integrations that run them apart (one middleware each)

    /// Step 1: finds the tenant and loads its config. Reports the resolution to the observers.
    /// - Parameter request: The request head.
    /// - Returns: The config of a known, active tenant; or decided: admitted without a tenant when none was
    ///   found and missing tenants are allowed, else rejected (401 missing, 400 invalid, 403 unknown or
    ///   suspended, 503 when the config backend fails).
    public func resolveTenant(_ request: some AdmissionRequest) async -> AdmissionStep<TenantConfig> {
        if synchronousStore != nil {
            var found: TenantConfig?
            if let admission = lookUpInProcess(configuration.resolver.resolve(request), into: &found) {
                return .decided(admission)
            }
            if let found { return .proceed(found) }
        }
        let (id, source): (TenantID, String)
        switch decide(configuration.resolver.resolve(request)) {
        case .found(let found, let foundSource): (id, source) = (found, foundSource)
        case .decided(let admission): return .decided(admission)
        }
        let lookup: Result<TenantConfig?, TenancyError>
        do throws(TenancyError) { lookup = .success(try await store.config(for: id)) } catch {
            lookup = .failure(error)
        }
        return admitTenant(lookup, id: id, source: source)
    }

    /// Step 1 over the in-process config store, after resolution; only called when ``synchronousStore`` is set.
    /// - Returns: The admission when decided; otherwise `nil` with `config` set to the active tenant's config.
    ///   (An out parameter rather than an ``AdmissionStep``: wrapping and unwrapping the large enum cost a
    ///   copy, a retain and an outlined destroy per request.)
    @usableFromInline
    func lookUpInProcess(_ outcome: TenantResolver.Outcome, into config: inout TenantConfig?) -> Admission? {
        let (id, source): (TenantID, String)
        switch decide(outcome) {
        case .found(let found, let foundSource): (id, source) = (found, foundSource)
        case .decided(let admission): return admission
        }
        var found: TenantConfig?
        do throws(TenancyError) { found = try synchronousStore?(id) } catch {
            return settle(admitTenant(.failure(error), id: id, source: source), into: &config)
        }
        if found?.status == .active {
            if !observers.isEmpty {
                observers.tenantResolved(ResolutionEvent(result: .resolved, source: source, tenant: id))
            }
            // Moved, not copied: binding and assigning cost a retain and a release per request.
            config = found.take()
            return nil
        }
        return settle(admitTenant(.success(found), id: id, source: source), into: &config)
    }

    /// ``lookUpInProcess(_:into:)`` for a strategy's candidate: an ID read from the request is looked up
    /// before it is made a ``TenantID`` when the store allows, so a known tenant's ID is not hashed per
    /// request; everything else (and every rejection) takes the general way.
    @usableFromInline
    func lookUpInProcess(
        _ candidate: TenantResolutionStrategy.Candidate, source: String, into config: inout TenantConfig?
    ) -> Admission? {
        if case .raw(let raw) = candidate, rawConfigLookup != nil, TenantID.hasValidSyntax(raw) {
            // Called through optional chaining, which borrows the closure; binding it retained its context.
            var known = rawConfigLookup?(raw)
            if known?.status == .active {
                if !observers.isEmpty, let id = known?.id {
                    observers.tenantResolved(ResolutionEvent(result: .resolved, source: source, tenant: id))
                }
                config = known.take()
                return nil
            }
            return decideUnadmitted(raw, found: known, source: source, into: &config)
        }
        return lookUpInProcess(TenantResolver.outcome(of: candidate, source: source), into: &config)
    }

    /// An unknown or not active tenant found by raw ID, decided from that lookup as the general way would,
    /// without a second one: a flood of unknown IDs would otherwise cost two locked lookups each. Out of line,
    /// so the admitted path stays small.
    @inline(never)
    private func decideUnadmitted(
        _ raw: String, found: TenantConfig?, source: String, into config: inout TenantConfig?
    ) -> Admission? {
        do throws(TenancyError) {
            // The syntax was checked, so this does not throw; the general way covers it if it ever does.
            let id = try TenantID(raw)
            return settle(admitTenant(.success(found), id: id, source: source), into: &config)
        } catch {
            return lookUpInProcess(TenantResolver.outcome(of: .raw(raw), source: source), into: &config)
        }
    }

    private func settle(_ step: AdmissionStep<TenantConfig>, into config: inout TenantConfig?) -> Admission? {
        switch step {
        case .decided(let admission): return admission
        case .proceed(let found):
            config = found
            return nil
        }
    }

    /// Step 2: the tenant's policy. Reports the decision to the observers.
    /// - Parameters:
    ///   - request: The request head.
    ///   - config: The tenant's config from ``resolveTenant(_:)``.
    ///   - requirements: What the route needs (a model, a tool).
    /// - Returns: `nil` when allowed, else the 403 rejection naming the reason.
    @inlinable
    public func checkPolicy(
        _ request: some AdmissionRequest, config: TenantConfig, requirements: PolicyRequirements = []
    ) -> AdmissionRejection? {
        // A header nobody checks is not looked up: most tenants have no model or tool list. Likewise the target
        // (usually a heap string: a retain and a release) is read only for a path list. Which ones are needed
        // is asked of the module, where the config's fields are read in place (from here, across the module
        // boundary, reading its policy copied it).
        let inputs = policyInputs(config, requirements)
        let model = inputs.contains(.model) ? request.header(modelHeader) : nil
        let tool = inputs.contains(.tool) ? request.header(toolHeader) : nil
        let path = inputs.contains(.path) ? request.target : ""
        return decidePolicy(config, method: request.method, path: path, model: model, tool: tool, requirements: requirements)
    }

    /// The request parts a policy check reads besides the method.
    @usableFromInline
    struct PolicyInputs: OptionSet, Sendable {
        @usableFromInline let rawValue: UInt8
        @usableFromInline init(rawValue: UInt8) { self.rawValue = rawValue }
        @usableFromInline static var model: PolicyInputs { PolicyInputs(rawValue: 1) }
        @usableFromInline static var tool: PolicyInputs { PolicyInputs(rawValue: 2) }
        @usableFromInline static var path: PolicyInputs { PolicyInputs(rawValue: 4) }
    }

    /// What ``checkPolicy(_:config:requirements:)`` must read of the request for `config`'s policy.
    @usableFromInline
    func policyInputs(_ config: TenantConfig, _ requirements: PolicyRequirements) -> PolicyInputs {
        let policy = config.policy
        var inputs: PolicyInputs = []
        if !policy.allowedModels.isEmpty || requirements.contains(.model) { inputs.insert(.model) }
        if !policy.allowedTools.isEmpty || requirements.contains(.tool) { inputs.insert(.tool) }
        if !policy.allowedPaths.isEmpty { inputs.insert(.path) }
        return inputs
    }

    /// Step 2 after the request was read.
    @usableFromInline
    func decidePolicy(
        _ config: TenantConfig, method: String, path: String, model: String?, tool: String?,
        requirements: PolicyRequirements
    ) -> AdmissionRejection? {
        let decision = PolicyEvaluator.evaluate(
            config.policy, method: method, path: path, model: model, tool: tool, requirements: requirements)
        // Events are built only for someone: each holds the tenant ID (a retain and a release).
        if !observers.isEmpty { observers.policyEvaluated(PolicyEvent(tenant: config.id, decision: decision)) }
        guard case .denied(let reason, let detail) = decision else { return nil }
        return AdmissionRejection(
            status: 403, code: .tenantPolicyDenied, title: "Denied by tenant policy", detail: detail,
            tenant: config.id, outcome: .policyDenied, extensions: [("reason", reason.rawValue)])
    }

    /// Step 3a: what the request costs: one request and its tokens.
    /// - Parameters:
    ///   - request: The request head.
    ///   - config: The tenant's config.
    ///   - tokens: The token count when the caller knows it; otherwise the token header, then the
    ///     estimator (the larger of the two), then 0.
    /// - Returns: The cost, or decided: the 400 rejection of a malformed or negative token count (reported to
    ///   the observers as an invalid cost).
    @inlinable
    public func cost(of request: some AdmissionRequest, config: TenantConfig, tokens: Int64? = nil) -> AdmissionStep<
        QuotaCost
    > {
        switch tokenCount(request, explicit: tokens) {
        case .success(let count): return .proceed(QuotaCost(requests: 1, tokens: count))
        case .failure(let message): return .decided(invalidCost(message, config: config))
        }
    }

    /// The 400 rejection of a malformed or negative token count, reported to the observers.
    @usableFromInline
    func invalidCost(_ message: String, config: TenantConfig) -> Admission {
        observers.quotaEvaluated(
            QuotaEvent(tenant: config.id, outcome: .invalidCost, cost: QuotaCost(tokens: 0), decision: nil))
        return .rejected(
            AdmissionRejection(
                status: 400, code: .invalidTokenCount, title: "Invalid token count", detail: message,
                tenant: config.id, outcome: .badRequest))
    }

    /// Step 3b: consumes `cost` from the tenant's quota, all windows and dimensions or none. Reports the
    /// decision to the observers.
    /// - Parameters:
    ///   - cost: The cost from ``cost(of:config:tokens:)``.
    ///   - config: The tenant's config.
    /// - Returns: Admitted with the decision; or rejected: 429 with `Retry-After` and the rate-limit
    ///   fields, or 503 when the backend fails (admitted without a decision when failing open).
    public func consumeQuota(_ cost: QuotaCost, config: TenantConfig) async -> Admission {
        var pending: PendingQuota?
        if let admission = consumeQuotaSynchronously(cost, config: config, pending: &pending) { return admission }
        return await consumeQuotaSuspending(cost, config: config)
    }

    /// Step 3b with an in-process engine; `nil`, having consumed nothing, when the engine must be awaited,
    /// with `pending` holding the cost and the config for that.
    /// Inlinable so that an admitted request, the common case, is built in the caller's frame: returned from a
    /// call, the large admission was written to memory and read back.
    @inlinable
    func consumeQuotaSynchronously(
        _ cost: QuotaCost, config: consuming TenantConfig, pending: inout PendingQuota?
    ) -> Admission? {
        do throws(TenancyError) {
            guard let decision = try consumeInProcess(cost, config: config) else {
                pending = PendingQuota(cost: cost, config: config)
                return nil
            }
            return finish(decision, cost: cost, config: config)
        } catch {
            return quotaFailed(error, cost: cost, config: config)
        }
    }

    /// The in-process engine's decision, or `nil` when the engine must be awaited.
    @usableFromInline
    func consumeInProcess(_ cost: QuotaCost, config: TenantConfig) throws(TenancyError) -> QuotaDecision? {
        // Optional chaining borrows the enforcer; `if let` retained it and still copied the decision (+18 ns).
        if enforcer != nil { return try enforcer?.consumeSynchronously(cost, for: config.id, under: config.quota) }
        return try synchronousQuota?(cost, config)
    }

    /// Step 3b, awaiting the engine.
    @usableFromInline
    func consumeQuotaSuspending(_ cost: QuotaCost, config: TenantConfig) async -> Admission {
        do throws(TenancyError) {
            let decision = try await quota.consume(cost, for: config.id, under: config.quota)
            return finish(decision, cost: cost, config: config)
        } catch {
            return quotaFailed(error, cost: cost, config: config)
        }
    }

    @usableFromInline
    enum Resolution {
        case found(TenantID, String)
        case decided(Admission)
    }

    /// Resolution: a syntactically valid tenant ID, or the missing/invalid outcome.
    @usableFromInline
    func decide(_ outcome: TenantResolver.Outcome) -> Resolution {
        switch outcome {
        case .found(let id, let source):
            return .found(id, source)
        case .missing:
            observers.tenantResolved(ResolutionEvent(result: .missing, source: nil, tenant: nil))
            if configuration.allowMissingTenant {
                return .decided(.admitted(AdmittedRequest(config: nil, quota: nil, cost: QuotaCost(requests: 0))))
            }
            return .decided(
                .rejected(
                    AdmissionRejection(
                        status: 401, code: .tenantRequired, title: "Tenant required",
                        detail: "the request does not identify a tenant",
                        headers: [HeaderField("WWW-Authenticate", "Tenant realm=\"tenancy\"")])))
        case .invalid(let source, let message):
            observers.tenantResolved(ResolutionEvent(result: .invalid, source: source, tenant: nil))
            return .decided(
                .rejected(
                    AdmissionRejection(status: 400, code: .tenantInvalidID, title: "Invalid tenant ID", detail: message)))
        }
    }

    /// The config lookup's outcome: a known, active tenant, or unknown, suspended or a failing backend.
    private func admitTenant(_ lookup: Result<TenantConfig?, TenancyError>, id: TenantID, source: String)
        -> AdmissionStep<TenantConfig>
    {
        let config: TenantConfig
        switch lookup {
        case .failure:
            observers.tenantResolved(ResolutionEvent(result: .error, source: source, tenant: id))
            return .decided(.rejected(backendUnavailable(tenant: nil, what: "tenant configuration")))
        case .success(nil):
            observers.tenantResolved(ResolutionEvent(result: .unknown, source: source, tenant: id))
            return .decided(
                .rejected(
                    AdmissionRejection(
                        status: 403, code: .tenantUnknown, title: "Unknown tenant", detail: "tenant '\(id)' is not known")))
        case .success(let found?):
            config = found
        }
        guard config.status == .active else {
            observers.tenantResolved(ResolutionEvent(result: .suspended, source: source, tenant: id))
            return .decided(
                .rejected(
                    AdmissionRejection(
                        status: 403, code: .tenantSuspended, title: "Tenant suspended",
                        detail: "tenant '\(id)' is suspended")))
        }
        if !observers.isEmpty { observers.tenantResolved(ResolutionEvent(result: .resolved, source: source, tenant: id)) }
        return .proceed(config)
    }

    /// The quota backend failed: 503, or admitted when configured to fail open.
    @usableFromInline
    func quotaFailed(_ error: TenancyError, cost: QuotaCost, config: TenantConfig) -> Admission {
        observers.quotaEvaluated(QuotaEvent(tenant: config.id, outcome: .backendError(error), cost: cost, decision: nil))
        // Only an unavailable backend may fail open: a quota the engine cannot count is a configuration
        // error, and admitting it would make the tenant unlimited.
        if configuration.failOpenOnQuotaBackendError && error.code == .backendUnavailable {
            return .admitted(AdmittedRequest(config: config, quota: nil, cost: cost))
        }
        return .rejected(backendUnavailable(tenant: config.id, what: "quota"))
    }

    /// Turns the quota engine's decision into the admission. Inlinable so that the admitted path, the
    /// common one, builds the large admission in the caller's frame: returned from a call, it was written
    /// to memory and read back.
    @inlinable
    func finish(_ decision: QuotaDecision, cost: QuotaCost, config: consuming TenantConfig) -> Admission {
        if let rejection = decision.rejection { return rejected(rejection, decision: decision, cost: cost, config: config) }
        if !observers.isEmpty { reportAllowed(decision, cost: cost, config: config) }
        return .admitted(AdmittedRequest(config: config, quota: decision, cost: cost))
    }

    /// Reports an allowed decision; in the module, where the config's ID is read in place.
    @usableFromInline
    func reportAllowed(_ decision: QuotaDecision, cost: QuotaCost, config: TenantConfig) {
        observers.quotaEvaluated(QuotaEvent(tenant: config.id, outcome: .allowed, cost: cost, decision: decision))
    }

    /// The 429 of a rejected decision, reported to the observers.
    @usableFromInline
    func rejected(_ rejection: QuotaRejection, decision: QuotaDecision, cost: QuotaCost, config: TenantConfig)
        -> Admission
    {
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

    @usableFromInline
    enum TokenCount {
        case success(Int64)
        case failure(String)
    }

    /// The explicit count; otherwise the larger of the header (strict decimal digits) and the estimator, so a
    /// client cannot declare fewer tokens than the server estimates (`X-Token-Count: 0` against a token
    /// quota); otherwise 0.
    @inlinable
    func tokenCount(_ request: some AdmissionRequest, explicit: Int64?) -> TokenCount {
        if let explicit {
            return explicit >= 0 ? .success(explicit) : .failure("the token count must not be negative")
        }
        var declared: Int64?
        if let header = request.header(tokenCountHeader) {
            guard let count = Self.parseTokenCount(header) else {
                return .failure("\(configuration.tokenCountHeader) must be a non-negative decimal integer")
            }
            declared = count
        }
        guard let estimate = configuration.tokenEstimator?(request) else { return .success(declared ?? 0) }
        guard estimate >= 0 else { return .failure("the estimated token count must not be negative") }
        return .success(max(declared ?? 0, estimate))
    }

    /// Strict: 1-18 ASCII digits, nothing else (no sign, spaces, commas or exponent).
    @usableFromInline
    static func parseTokenCount(_ text: String) -> Int64? {
        guard (1...18).contains(text.utf8.count) else { return nil }
        // Over the contiguous bytes (a small string's on the stack): iterating the UTF-8 view decoded each
        // byte from the string's representation in a call. `value` is the parse (itself optional), bound
        // only when the bytes were contiguous.
        if let value = text.utf8.withContiguousStorageIfAvailable(parseDigits) { return value }
        return parseDigits(text.utf8)
    }

    /// The value of `bytes` as decimal digits, or `nil` if any is not a digit; the caller bounds the length.
    private static func parseDigits(_ bytes: some Sequence<UInt8>) -> Int64? {
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
