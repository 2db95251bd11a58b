import Prometheus
import Synchronization
import Tenancy

/// The Hummingbird server's metrics: the same gate events as `TenantMetrics` receives, recorded in a
/// swift-prometheus registry under the same family names and labels (resolutions by source and result,
/// requests by tenant and outcome, the duration of admitted requests with the DESIGN.md buckets, quota
/// rejections, policy denials, tokens).
///
/// In swift-prometheus's favour, the metric objects of the per-request families are cached per label set,
/// so a request costs one dictionary lookup under a mutex per family instead of a
/// `makeCounter(descriptor:labels:)` call (which joins the name, validates it and the labels, and hashes
/// them under the registry's lock). Like ours, the cache is bounded: past ``maximumTenants`` tenants, new
/// ones are recorded as `__other__`.
final class PrometheusTenancyObserver: TenancyObserver {
    /// The registry a `/metrics` endpoint would emit.
    let registry = PrometheusCollectorRegistry()
    /// DESIGN.md's cardinality cap.
    let maximumTenants = 1_000

    private struct Handles {
        var requests: [Counter]  // indexed like RequestOutcome.allCases
        var duration: DurationHistogram
    }

    private struct Tenants {
        var known: [TenantID: Handles] = [:]
        /// The `__other__` series, shared by every tenant past the cap.
        var overflow: Handles?
    }

    private let tenants = Mutex(Tenants())
    private let resolutions = Mutex<[ResolutionKey: Counter]>([:])

    private struct ResolutionKey: Hashable {
        var source: String
        var result: ResolutionResult
    }

    /// The families, named and described as `TenantMetrics` names them. Computed (the descriptor is not
    /// `Sendable`): they are only built when a series is created or on the rare refusal paths.
    private enum Family {
        static var resolutions: MetricNameDescriptor {
            descriptor("resolutions", "total", "Tenant resolutions by the strategy that found the value and how they ended.")
        }
        static var requests: MetricNameDescriptor {
            descriptor("requests", "total", "Requests on tenant routes by how the tenant gate ended (allowed: the handler ran).")
        }
        static var duration: MetricNameDescriptor {
            descriptor(
                "request_duration", "seconds", "Duration of admitted requests, from the first middleware to the response written.")
        }
        static var quotaRejections: MetricNameDescriptor {
            descriptor(
                "quota_rejections", "total", "Requests rejected by the tenant's quota, by the dimension that was exhausted.")
        }
        static var policyDenials: MetricNameDescriptor {
            descriptor("policy_denials", "total", "Requests denied by the tenant's policy, by the check that failed.")
        }
        static var tokens: MetricNameDescriptor {
            descriptor("tokens", "total", "Tokens consumed by requests the tenant's quota allowed.")
        }

        static func descriptor(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "tenancy", metricName: name, unitName: unit, helpText: help)
        }
    }

    private static let buckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5), .seconds(10),
    ]

    func tenantResolved(_ event: ResolutionEvent) {
        let key = ResolutionKey(source: event.source ?? "none", result: event.result)
        let counter = resolutions.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: Family.resolutions, labels: [("source", key.source), ("result", key.result.rawValue)])
            counters[key] = counter
            return counter
        }
        counter.increment()
    }

    func policyEvaluated(_ event: PolicyEvent) {
        guard case .denied(let reason, _) = event.decision else { return }
        registry.makeCounter(
            descriptor: Family.policyDenials, labels: [("tenant_id", label(event.tenant)), ("reason", reason.rawValue)]
        ).increment()
    }

    func quotaEvaluated(_ event: QuotaEvent) {
        switch event.outcome {
        case .allowed:
            guard event.cost.tokens > 0 else { return }
            registry.makeCounter(descriptor: Family.tokens, labels: [("tenant_id", label(event.tenant))])
                .increment(by: event.cost.tokens)
        case .rejected(let dimension):
            registry.makeCounter(
                descriptor: Family.quotaRejections,
                labels: [("tenant_id", label(event.tenant)), ("dimension", dimension.rawValue)]
            ).increment()
        case .invalidCost, .backendError:
            return
        }
    }

    func requestCompleted(_ event: CompletionEvent) {
        guard let tenant = event.tenant, let outcome = event.outcome,
            let index = RequestOutcome.allCases.firstIndex(of: outcome)
        else { return }
        let handles = handles(for: tenant)
        handles.requests[index].increment()
        if outcome == .allowed { handles.duration.recordNanoseconds(event.duration.nanoseconds) }
    }

    /// The tenant's metric objects, created (all outcomes at 0, like ours) when it is first seen.
    private func handles(for tenant: TenantID) -> Handles {
        tenants.withLock { tenants in
            if let handles = tenants.known[tenant] ?? tenants.overflow { return handles }
            let overflowing = tenants.known.count >= maximumTenants
            let value = overflowing ? "__other__" : tenant.rawValue
            let handles = Handles(
                requests: RequestOutcome.allCases.map { outcome in
                    registry.makeCounter(
                        descriptor: Family.requests, labels: [("tenant_id", value), ("outcome", outcome.rawValue)])
                },
                duration: registry.makeDurationHistogram(
                    descriptor: Family.duration, labels: [("tenant_id", value)], buckets: Self.buckets))
            if overflowing { tenants.overflow = handles } else { tenants.known[tenant] = handles }
            return handles
        }
    }

    /// The label value for the rare families (denials, rejections, tokens), which are not cached.
    private func label(_ tenant: TenantID) -> String {
        tenants.withLock { $0.known[tenant] != nil || $0.known.count < maximumTenants } ? tenant.rawValue : "__other__"
    }
}

extension Duration {
    /// The duration in whole nanoseconds, as swift-prometheus's duration histogram records it.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
