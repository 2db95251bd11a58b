/// One dimension of one limit, as an algorithm evaluated it.
struct DimensionCheck {
    var dimension: QuotaDimension
    var window: QuotaWindow
    var limit: Int64
    /// Units left: after the cost when it fits, before it otherwise.
    var remaining: Int64
    /// Nanoseconds until the limit resets (see ``QuotaDimensionStatus/reset``).
    var resetNanoseconds: Int64
    var fits: Bool
    var neverFits: Bool
    /// Nanoseconds until the cost would fit; meaningful when it neither fits nor never fits.
    var retryNanoseconds: Int64
}

/// Receives every ``DimensionCheck`` of one evaluation.
protocol QuotaCheckSink {
    mutating func record(_ check: DimensionCheck)
}

/// The arithmetic of one algorithm over one limit. Pure: state in, state out, no clock, no locks.
protocol QuotaRules: Sendable {
    /// The algorithm these rules implement.
    static var algorithm: QuotaAlgorithm { get }

    /// Words one limit uses, given how many of its dimensions are limited (1 or 2).
    static func wordCount(limitedDimensions: Int) -> Int

    /// Evaluates `cost` against `limit`, reading the limit's words at `offset` of `state` and writing the
    /// words it leaves if the call is consumed.
    /// - Returns: When those words become equivalent to no state, in nanoseconds since the epoch.
    static func evaluate<Sink: QuotaCheckSink>(
        _ limit: QuotaLimit, state: inout QuotaState, offset: Int, fresh: Bool, cost: QuotaCost, now: Int64,
        into sink: inout Sink
    ) -> Int64
}

extension QuotaLimit {
    /// How many of the two dimensions are limited.
    var limitedDimensionCount: Int { (requests > 0 ? 1 : 0) + (tokens > 0 ? 1 : 0) }
    /// Whether any dimension is limited.
    var isActive: Bool { requests != 0 || tokens != 0 }
}

/// The layout of a quota's state: which limits have words, and a tag that changes whenever the layout does.
struct QuotaLayout {
    /// Bit 0: non-empty; bits 1-2: algorithm; then five bits per active limit (window 1-5, requests bit,
    /// tokens bit). At most 28 bits, so never 0 and never the store's reserved bit 31.
    var shape: UInt32
    var activeLimits: Int

    init<Rules: QuotaRules>(_ quota: QuotaConfig, _ rules: Rules.Type) throws(TenancyError) {
        shape = 1 | Rules.algorithm.shapeCode << 1
        activeLimits = 0
        var words = 0
        for limit in quota.limits where limit.isActive {
            guard limit.requests >= 0, limit.tokens >= 0 else {
                throw TenancyError(.invalidConfiguration, "quota limits must not be negative")
            }
            // Larger limits could overflow the 64-bit sums of counts and costs.
            guard limit.requests <= QuotaLimit.maximumValue, limit.tokens <= QuotaLimit.maximumValue else {
                throw TenancyError(.invalidConfiguration, "quota limits must be at most \(QuotaLimit.maximumValue)")
            }
            guard activeLimits < 5 else {
                throw TenancyError(.invalidConfiguration, "a quota may have at most 5 limits, one per window")
            }
            let bits =
                UInt32(limit.window.order + 1) | (limit.requests > 0 ? 1 << 3 : 0) | (limit.tokens > 0 ? 1 << 4 : 0)
            shape |= bits << UInt32(3 + 5 * activeLimits)
            activeLimits += 1
            words += Rules.wordCount(limitedDimensions: limit.limitedDimensionCount)
        }
        guard words <= QuotaState.capacity else {
            throw TenancyError(.invalidConfiguration, "quota state needs \(words) words; at most \(QuotaState.capacity) fit")
        }
    }
}

extension Duration {
    /// Whole seconds, rounded up.
    static func secondsRoundedUp(nanoseconds: Int64) -> Duration {
        .seconds(nanoseconds.ceilDivided(by: Timestamp.nanosecondsPerSecond))
    }
}

/// Folds checks into a ``QuotaDecision``: the binding limit per dimension (fewest units left, first on a
/// tie) and the rejection that frees up last (a cost that can never fit dominates).
struct DecisionSink: QuotaCheckSink {
    var requests: QuotaDimensionStatus?
    var tokens: QuotaDimensionStatus?
    var rejection: QuotaRejection?
    private var rejectionRetry: Int64 = .min

    mutating func record(_ check: DimensionCheck) {
        let status = QuotaDimensionStatus(
            window: check.window, limit: check.limit, remaining: check.remaining,
            reset: .secondsRoundedUp(nanoseconds: max(0, check.resetNanoseconds)))
        switch check.dimension {
        case .requests:
            if requests == nil || status.remaining < requests!.remaining { requests = status }
        case .tokens:
            if tokens == nil || status.remaining < tokens!.remaining { tokens = status }
        }
        guard !check.fits else { return }
        let retry = check.neverFits ? Int64.max : check.retryNanoseconds
        guard rejection == nil || retry > rejectionRetry else { return }
        rejectionRetry = retry
        rejection = QuotaRejection(
            dimension: check.dimension, window: check.window,
            retryAfter: check.neverFits ? nil : max(.seconds(1), .secondsRoundedUp(nanoseconds: retry)))
    }

    var decision: QuotaDecision {
        QuotaDecision(requests: requests, tokens: tokens, rejection: rejection)
    }
}

/// Collects every check for a usage report.
struct UsageSink: QuotaCheckSink {
    var entries: [QuotaUsage.Entry] = []

    mutating func record(_ check: DimensionCheck) {
        entries.append(
            QuotaUsage.Entry(
                window: check.window, dimension: check.dimension, limit: check.limit,
                used: max(0, check.limit - check.remaining), remaining: check.remaining,
                reset: .secondsRoundedUp(nanoseconds: max(0, check.resetNanoseconds))))
    }
}

/// Drives a ``QuotaRules`` over a store: the shared part of every engine (cost validation, the unlimited
/// short cut, all-or-nothing commit, expiry).
struct QuotaRunner<Rules: QuotaRules>: Sendable {
    let store: any QuotaStore
    let clock: any TenancyClock

    func consume(_ cost: QuotaCost, for tenant: TenantID, under quota: QuotaConfig) async throws(TenancyError)
        -> QuotaDecision
    {
        try cost.validate()
        let layout = try QuotaLayout(quota, Rules.self)
        guard layout.activeLimits > 0 else { return .unlimited }
        let now = clock.now
        return try await store.withState(of: tenant, now: now) { state in
            let fresh = state.shape != layout.shape
            var sink = DecisionSink()
            var work = fresh ? QuotaState() : state
            let expiry = Self.evaluate(quota, state: &work, fresh: fresh, cost: cost, now: now, into: &sink)
            guard let rejection = sink.rejection else {
                work.shape = layout.shape
                work.expiresAt = UInt32(clamping: expiry.ceilDivided(by: Timestamp.nanosecondsPerSecond))
                state = work
                return sink.decision
            }
            // Nothing was consumed, so report every dimension as it stands rather than as if the dimensions
            // that had room had been charged: re-evaluate the untouched state at zero cost.
            var unchanged = fresh ? QuotaState() : state
            var standing = DecisionSink()
            _ = Self.evaluate(
                quota, state: &unchanged, fresh: fresh, cost: QuotaCost(requests: 0, tokens: 0), now: now,
                into: &standing)
            return QuotaDecision(requests: standing.requests, tokens: standing.tokens, rejection: rejection)
        }
    }

    func usage(of tenant: TenantID, under quota: QuotaConfig) async throws(TenancyError) -> QuotaUsage {
        let layout = try QuotaLayout(quota, Rules.self)
        guard layout.activeLimits > 0 else { return QuotaUsage(algorithm: Rules.algorithm, entries: []) }
        let now = clock.now
        let entries = try await store.withState(of: tenant, now: now) { state in
            var sink = UsageSink()
            var work = state.shape == layout.shape ? state : QuotaState()
            _ = Self.evaluate(
                quota, state: &work, fresh: state.shape != layout.shape, cost: QuotaCost(requests: 0, tokens: 0),
                now: now, into: &sink)
            return sink.entries
        }
        return QuotaUsage(algorithm: Rules.algorithm, entries: entries)
    }

    /// Evaluates every active limit; returns the latest expiry and sets ``QuotaState/wordCount``.
    private static func evaluate<Sink: QuotaCheckSink>(
        _ quota: QuotaConfig, state: inout QuotaState, fresh: Bool, cost: QuotaCost, now: Timestamp,
        into sink: inout Sink
    ) -> Int64 {
        var offset = 0
        var expiry = Int64.min
        for limit in quota.limits where limit.isActive {
            let limitExpiry = Rules.evaluate(
                limit, state: &state, offset: offset, fresh: fresh, cost: cost, now: now.nanosecondsSinceEpoch,
                into: &sink)
            expiry = max(expiry, limitExpiry)
            offset += Rules.wordCount(limitedDimensions: limit.limitedDimensionCount)
        }
        state.wordCount = offset
        return expiry
    }
}

extension QuotaAlgorithm {
    /// The two-bit code of the algorithm in ``QuotaLayout/shape``.
    var shapeCode: UInt32 {
        switch self {
        case .fixedWindow: 0
        case .slidingWindow: 1
        case .tokenBucket: 2
        }
    }
}
