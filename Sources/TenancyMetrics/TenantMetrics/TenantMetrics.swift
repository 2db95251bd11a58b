import Tenancy

/// The observer that turns every tenancy decision into the DESIGN.md metric families:
///
/// | family | labels | recorded on |
/// |---|---|---|
/// | `tenancy_resolutions_total` | `source`, `result` | ``tenantResolved(_:)`` |
/// | `tenancy_requests_total` | `tenant_id`, `outcome` | ``requestCompleted(_:)`` |
/// | `tenancy_request_duration_seconds` | `tenant_id` | ``requestCompleted(_:)``, outcome `allowed` only |
/// | `tenancy_quota_rejections_total` | `tenant_id`, `dimension` | ``quotaEvaluated(_:)`` |
/// | `tenancy_policy_denials_total` | `tenant_id`, `reason` | ``policyEvaluated(_:)`` |
/// | `tenancy_tokens_total` | `tenant_id` | ``quotaEvaluated(_:)``, outcome `allowed` only |
/// | `tenancy_metrics_tenants_tracked` | - | the registry's cardinality bound |
/// | `tenancy_metrics_overflow_total` | `family` | the registry's cardinality bound |
/// | `tenancy_build_info` | `version` | constant 1 |
/// | `process_*` | - | scrape time (``ProcessCollector``) |
///
/// ```swift
/// let metrics = try TenantMetrics()
/// let gate = AdmissionGate(store: store, observers: TenancyObservers([metrics]))
/// // serve metrics.registry.render() with MetricsRegistry.contentType
/// ```
///
/// Choices, so that every request is counted exactly once and attackers cannot mint series:
/// - `requests_total` and the duration histogram are recorded when the HTTP layer reports
///   ``TenancyObserver/requestCompleted(_:)``, which it does for every request on a tenant route, with
///   the gate's outcome; the gate's own events are not counted there, so nothing is counted twice.
/// - Only resolved, known tenants become `tenant_id` values: the tenant of a `resolved` resolution and of
///   the policy, quota and completion events (which the gate emits only after resolution succeeded). The
///   ID of an `unknown` resolution is attacker-chosen and is never used as a label.
/// - `result="suspended"` is its own value of `resolutions_total` (next to `resolved`, `missing`,
///   `invalid` and `unknown`): a suspended tenant is known, and folding it into `unknown` would hide
///   enumeration attempts behind legitimate traffic of a suspended customer, or the other way round.
/// - `result="error"` counts requests refused with 503 because the config store failed to answer: they
///   have no known tenant, so they cannot be `requests_total{outcome="error"}` (a quota backend failure,
///   after resolution). Together the two are every 503 of the gate.
/// - A resolution without a source (`missing`) is recorded as `source="none"`.
/// - `tokens_total` counts the tokens of requests whose quota check allowed them.
/// - When a tenant is first seen, all its series are created at zero (every outcome, dimension and
///   reason, the histogram and tokens), and their handles are cached: recording a request is one short
///   lock to find the handles and a few relaxed atomic operations.
/// - Past ``Configuration/maximumTenants`` tenants, samples go to `tenant_id="__other__"` and each one is
///   counted in `tenancy_metrics_overflow_total{family}`. Deleting a tenant through the admin service
///   removes its series; with ``Configuration/idleExpiry`` set, so does long inactivity.
public final class TenantMetrics: TenancyObserver {
    /// The registry holding every family; render it to serve `/metrics`, or register the app's own metrics.
    public let registry: MetricsRegistry
    /// What is exported.
    public let configuration: Configuration

    private let resolutions: CounterVec
    private let requests: CounterVec
    private let duration: HistogramVec
    private let quotaRejections: CounterVec
    private let policyDenials: CounterVec
    private let tokens: CounterVec
    /// Cached handles of tracked tenants (at most the cap), keyed by `TenantID`.
    private let tenants = Synchronized(ProbeTable<TenantID, TenantHandles>())
    private let tenantSeed = ByteHash.randomSeed()
    private let overflowHandles = Synchronized<TenantHandles?>(nil)
    /// `<namespace>_metrics_overflow_total{family}` of each per-tenant family.
    private let overflowCounters: TenantHandles.Overflow
    /// Per `source`, `resolutions_total` children indexed like ``Self/results``; `nil` where not created.
    private let resolutionChildren = Synchronized<[String: [Counter?]]>([:])

    /// The `result` values in index order.
    private static let results: [ResolutionResult] = [.resolved, .missing, .invalid, .unknown, .suspended, .error]

    /// Creates the observer and its registry, and registers every family.
    /// - Parameters:
    ///   - configuration: What to export.
    ///   - clock: Times idle expiry; the system clock by default.
    /// - Throws: ``MetricsError`` with ``MetricsError/Code/invalidConfiguration`` when the namespace is not a
    ///   valid metric name or a bound is out of range, ``MetricsError/Code/invalidBuckets`` for bad duration
    ///   buckets, or ``MetricsError/Code/labelValueTooLong`` for a version over 256 bytes.
    public init(configuration: Configuration = .init(), clock: any TenancyClock = SystemClock()) throws(MetricsError) {
        let namespace = configuration.namespace
        do {
            try NameValidation.checkMetricName(namespace)
        } catch {
            throw MetricsError(.invalidConfiguration, "namespace: \(error.message)")
        }
        let epoch = Timestamp(nanosecondsSinceEpoch: 0)
        registry = try MetricsRegistry(
            configuration: .init(
                cardinality: CardinalityLimit(
                    labelName: "tenant_id", maximumValues: configuration.maximumTenants,
                    idleExpiry: configuration.idleExpiry,
                    overflowCounterName: "\(namespace)_metrics_overflow_total",
                    trackedGaugeName: "\(namespace)_metrics_tenants_tracked")),
            now: { clock.now - epoch })
        self.configuration = configuration
        resolutions = try registry.counterVec(
            name: "\(namespace)_resolutions_total",
            help: "Tenant resolutions by the strategy that found the value and how they ended.",
            labelNames: ["source", "result"])
        requests = try registry.counterVec(
            name: "\(namespace)_requests_total",
            help: "Requests on tenant routes by how the tenant gate ended (allowed: the handler ran).",
            labelNames: ["tenant_id", "outcome"])
        duration = try registry.histogramVec(
            name: "\(namespace)_request_duration_seconds",
            help: "Duration of admitted requests, from the first middleware to the response written.",
            labelNames: ["tenant_id"], buckets: configuration.durationBuckets)
        quotaRejections = try registry.counterVec(
            name: "\(namespace)_quota_rejections_total",
            help: "Requests rejected by the tenant's quota, by the dimension that was exhausted.",
            labelNames: ["tenant_id", "dimension"])
        policyDenials = try registry.counterVec(
            name: "\(namespace)_policy_denials_total",
            help: "Requests denied by the tenant's policy, by the check that failed.",
            labelNames: ["tenant_id", "reason"])
        tokens = try registry.counterVec(
            name: "\(namespace)_tokens_total", help: "Tokens consumed by requests the tenant's quota allowed.",
            labelNames: ["tenant_id"])
        guard let requestsOverflow = requests.core.bounded?.overflowCounter,
            let durationOverflow = duration.core.bounded?.overflowCounter,
            let quotaOverflow = quotaRejections.core.bounded?.overflowCounter,
            let policyOverflow = policyDenials.core.bounded?.overflowCounter,
            let tokensOverflow = tokens.core.bounded?.overflowCounter
        else {
            // Unreachable: the registry above bounds `tenant_id`, which every per-tenant family carries.
            throw MetricsError(.invalidConfiguration, "the per-tenant families are not bounded by tenant_id")
        }
        overflowCounters = TenantHandles.Overflow(
            requests: requestsOverflow, duration: durationOverflow, quotaRejections: quotaOverflow,
            policyDenials: policyOverflow, tokens: tokensOverflow)
        let buildInfo = try registry.gaugeVec(
            name: "\(namespace)_build_info", help: "A constant 1, labelled with the swift-tenancy version.",
            labelNames: ["version"])
        try buildInfo.labels(configuration.version).set(1)
        if configuration.includeProcessMetrics {
            try registry.register(ProcessCollector())
        }
        _ = resolutionCounters(for: "none")
        registry.onSeriesRemoved { [weak self] values in
            self?.forget(values)
        }
    }

    // MARK: - TenancyObserver

    /// Counts the resolution in `resolutions_total{source, result}` and, for a resolved tenant seen for the
    /// first time, creates all its series at zero.
    /// - Parameter event: The resolution.
    public func tenantResolved(_ event: ResolutionEvent) {
        let source = event.source ?? "none"
        let index = Self.index(of: event.result)
        if let counter = resolutionCounters(for: source)?[index] {
            counter.increment()
        } else {
            try? resolutions.labels(source, event.result.rawValue).increment()  // an unusual pair, or too long
        }
        if event.result == .resolved, let tenant = event.tenant {
            _ = handles(for: tenant)
        }
    }

    /// Counts a denial in `policy_denials_total{tenant_id, reason}`; allowed decisions record nothing.
    /// - Parameter event: The policy decision.
    public func policyEvaluated(_ event: PolicyEvent) {
        guard case .denied(let reason, _) = event.decision else { return }
        handles(for: event.tenant).recordPolicyDenial(reason)
    }

    /// Counts a rejection in `quota_rejections_total{tenant_id, dimension}`, or the tokens of an allowed
    /// request in `tokens_total{tenant_id}`; malformed costs and backend errors show up in `requests_total`.
    /// - Parameter event: The quota decision.
    public func quotaEvaluated(_ event: QuotaEvent) {
        switch event.outcome {
        case .allowed:
            guard event.cost.tokens > 0 else { return }
            handles(for: event.tenant).recordTokens(event.cost.tokens)
        case .rejected(let dimension):
            handles(for: event.tenant).recordQuotaRejection(dimension)
        case .invalidCost, .backendError:
            return
        }
    }

    /// Counts the request in `requests_total{tenant_id, outcome}` and, when it was admitted, observes its
    /// duration; requests without a resolved tenant are not recorded per tenant.
    /// - Parameter event: The finished request.
    public func requestCompleted(_ event: CompletionEvent) {
        guard let tenant = event.tenant, let outcome = event.outcome else { return }
        handles(for: tenant).recordCompletion(outcome, duration: event.duration)
    }

    /// Removes a deleted tenant's series (and frees its slot under the cap).
    /// - Parameter event: The admin change.
    public func adminChanged(_ event: AdminEvent) {
        guard event.action == .deleted else { return }
        let tenant = event.tenant
        tenants.withLock { _ = $0.removeAll { key, _ in key == tenant } }
        registry.removeSeries(withBoundedValue: event.tenant.rawValue)
    }

    // MARK: - Handles

    /// The tenant's handles: cached, or created with all series at zero, or the shared overflow handles
    /// when the tenant is over the cap. Hot path: one short lock, a probe keyed by the ID's precomputed
    /// stable hash, and a relaxed load.
    @inline(__always)
    private func handles(for tenant: TenantID) -> TenantHandles {
        let hash = ByteHash.mix(tenant.stableHash, seed: tenantSeed)
        if let cached = tenants.withLock({ $0.find(hash) { $0 == tenant } }), let tracked = cached.tracked,
            !tracked.isExpired
        {
            return cached
        }
        return makeHandles(for: tenant, hash: hash)
    }

    private func makeHandles(for tenant: TenantID, hash: UInt64) -> TenantHandles {
        guard let tracked = registry.track(tenant.rawValue) else { return overflow() }
        let id = tenant.rawValue
        let handles = TenantHandles(
            tracked: tracked,
            requests: Self.outcomes.map { requests.core.insert([id, $0.rawValue], tracked: tracked) },
            duration: duration.core.insert([id], tracked: tracked),
            quotaRejections: Self.dimensions.map { quotaRejections.core.insert([id, $0.rawValue], tracked: tracked) },
            policyDenials: Self.reasons.map { policyDenials.core.insert([id, $0.rawValue], tracked: tracked) },
            tokens: tokens.core.insert([id], tracked: tracked),
            overflow: nil)
        if handles.isCurrent {
            tenants.withLock { $0.set(hash, key: tenant, value: handles) { $0 == tenant } }
        }
        return handles
    }

    /// The shared `tenant_id="__other__"` handles, created at zero on the first overflow.
    private func overflow() -> TenantHandles {
        if let existing = overflowHandles.withLock({ $0 }) { return existing }
        let handles = TenantHandles(
            tracked: nil,
            requests: Self.outcomes.map { requests.core.overflowChild(["", $0.rawValue]) },
            duration: duration.core.overflowChild([""]),
            quotaRejections: Self.dimensions.map { quotaRejections.core.overflowChild(["", $0.rawValue]) },
            policyDenials: Self.reasons.map { policyDenials.core.overflowChild(["", $0.rawValue]) },
            tokens: tokens.core.overflowChild([""]),
            overflow: overflowCounters)
        return overflowHandles.withLock { stored in
            if let stored { return stored }
            stored = handles
            return handles
        }
    }

    /// `resolutions_total` children of `source`, created at zero on first use: `missing` for `none`, and
    /// `resolved`, `invalid`, `unknown`, `suspended` and `error` for a strategy. `nil` for an over-long source.
    private func resolutionCounters(for source: String) -> [Counter?]? {
        if let found = resolutionChildren.withLock({ $0[source] }) { return found }
        var counters: [Counter?] = []
        for result in Self.results {
            let expected = source == "none" ? result == .missing : result != .missing
            guard expected else {
                counters.append(nil)
                continue
            }
            guard let counter = try? resolutions.labels(source, result.rawValue) else { return nil }
            counters.append(counter)
        }
        return resolutionChildren.withLock { children in
            if let found = children[source] { return found }
            children[source] = counters
            return counters
        }
    }

    /// Drops cached handles of tenants whose series the registry removed.
    private func forget(_ values: [String]) {
        let forgotten = Set(values)
        tenants.withLock { _ = $0.removeAll { key, _ in forgotten.contains(key.rawValue) } }
    }

    /// The enum cases in handle index order.
    private static let outcomes = RequestOutcome.allCases.sorted {
        TenantHandles.index(of: $0) < TenantHandles.index(of: $1)
    }
    private static let dimensions = QuotaDimension.allCases.sorted {
        TenantHandles.index(of: $0) < TenantHandles.index(of: $1)
    }
    private static let reasons = PolicyDenialReason.allCases.sorted {
        TenantHandles.index(of: $0) < TenantHandles.index(of: $1)
    }

    private static func index(of result: ResolutionResult) -> Int {
        switch result {
        case .resolved: 0
        case .missing: 1
        case .invalid: 2
        case .unknown: 3
        case .suspended: 4
        case .error: 5
        }
    }
}
