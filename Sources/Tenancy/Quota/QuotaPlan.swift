/// A ``QuotaConfig``'s fields with what the engines derive from them, computed once when the config is built
/// or changed instead of on every decision: the state layout of each algorithm (or why the config cannot be
/// counted) and per limit the divisors of its sizes. Immutable, so a config's reads borrow it in place and a
/// change builds a new one (configs change rarely; decisions run per request).
final class QuotaPlan: Sendable {
    let algorithm: QuotaAlgorithm
    let limits: [QuotaLimit]
    /// The limits with a limited dimension, in order, with their derived constants.
    let activeLimits: [LimitPlan]
    /// The first active limit (an unlimited one when there is none): the only one of a layout that fits a
    /// store entry in place.
    let firstLimit: LimitPlan
    /// The layout under ``FixedWindowRules``.
    let fixedWindow: PlannedLayout
    /// The layout under ``SlidingWindowRules``.
    let slidingWindow: PlannedLayout
    /// The layout under ``TokenBucketRules``.
    let tokenBucket: PlannedLayout

    init(algorithm: QuotaAlgorithm, limits: [QuotaLimit]) {
        self.algorithm = algorithm
        self.limits = limits
        activeLimits = limits.filter(\.isActive).map(LimitPlan.init)
        firstLimit = activeLimits.first ?? LimitPlan(QuotaLimit(window: .second))
        fixedWindow = PlannedLayout(limits, FixedWindowRules.self)
        slidingWindow = PlannedLayout(limits, SlidingWindowRules.self)
        tokenBucket = PlannedLayout(limits, TokenBucketRules.self)
    }

    /// The layout for `Rules`.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidConfiguration`` when the limits cannot be
    ///   counted (negative, too large, too many, or needing more words than a state holds).
    @inline(__always)
    func layout<Rules: QuotaRules>(_ rules: Rules.Type) throws(TenancyError) -> QuotaLayout {
        let planned = Rules.plannedLayout(in: self)
        if let error = planned.error { throw error }
        return planned.layout
    }
}

/// A ``QuotaLayout``, or the reason the limits have none.
struct PlannedLayout: Sendable {
    /// Meaningful only when ``error`` is `nil`.
    let layout: QuotaLayout
    let error: TenancyError?

    init<Rules: QuotaRules>(_ limits: [QuotaLimit], _ rules: Rules.Type) {
        do throws(TenancyError) {
            layout = try QuotaLayout(limits, rules)
            error = nil
        } catch {
            layout = QuotaLayout()
            self.error = error
        }
    }
}
