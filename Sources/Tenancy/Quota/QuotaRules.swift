/// One dimension of one limit, as an algorithm evaluated it.
struct DimensionCheck {
    var dimension: QuotaDimension
    var window: QuotaWindow
    var limit: Int64
    /// Units left: after the cost when it fits, before it otherwise.
    var remaining: Int64
    /// Whole seconds until the limit resets, rounded up, at least 0 (see ``QuotaDimensionStatus/reset``).
    var resetSeconds: Int64
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

    /// Whether the packing variant is part of the layout tag, so that a size change that alters the packing
    /// discards the old words instead of misreading them.
    static var variantChangesShape: Bool { get }

    /// This algorithm's layout of `plan`, computed when the plan was built.
    static func plannedLayout(in plan: QuotaPlan) -> PlannedLayout

    /// How the limit's words are packed (0 or 1), chosen from its sizes.
    static func variant(of limit: QuotaLimit) -> Int

    /// Words a limit with `limitedDimensions` limited dimensions uses in `variant`: at the head (in limit order), and at the tail (after every limit's
    /// head words, for data whose misreading is harmless).
    static func wordCount(of limitedDimensions: Int, variant: Int) -> (head: Int, tail: Int)

    /// Evaluates `cost` against `limit`, reading the limit's words at `offset` and `tail` of `state` (zeros
    /// when `fresh`) and writing the words it leaves if the call is consumed.
    /// - Returns: When those words become equivalent to no state, in nanoseconds since the epoch.
    static func evaluate<Sink: QuotaCheckSink, Words: QuotaWords>(
        _ limit: LimitPlan, variant: Int, state: inout Words, offset: Int, tail: Int, fresh: Bool,
        cost: QuotaCost, now: Int64, into sink: inout Sink
    ) -> Int64
}

extension QuotaLimit {
    /// How many of the two dimensions are limited.
    var limitedDimensionCount: Int { (requests > 0 ? 1 : 0) + (tokens > 0 ? 1 : 0) }
    /// Whether any dimension is limited.
    var isActive: Bool { requests != 0 || tokens != 0 }
}

/// The layout of a quota's state: the packing variant of each active limit, and a tag that changes whenever
/// the layout does. Computed once per config (see ``QuotaPlan``).
struct QuotaLayout: Sendable {
    /// Mixed-radix: `1 + algorithm + 3 * sum(code_i * 31^i)` with `code_i` in 1...30 naming the window,
    /// the limited dimensions and (when it changes the shape) the variant of active limit `i`. At most
    /// 8.6e7: never 0, below 2^31.
    var shape: UInt32
    var activeLimits: Int
    /// The variant (0 or 1) of active limit `i` in bit `i`.
    var variants: UInt8
    /// Words at the head, where the tail words start.
    var headWords: Int
    /// All the words the layout uses.
    var totalWords: Int

    /// No limits: what a plan holds for limits that have no layout.
    init() {
        shape = 0
        activeLimits = 0
        variants = 0
        headWords = 0
        totalWords = 0
    }

    init<Rules: QuotaRules>(_ limits: [QuotaLimit], _ rules: Rules.Type) throws(TenancyError) {
        activeLimits = 0
        variants = 0
        var codes: UInt32 = 0
        var radix: UInt32 = 1
        var head = 0
        var tail = 0
        for limit in limits where limit.isActive {
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
            let variant = Rules.variant(of: limit)
            let dimensions = limit.requests > 0 ? (limit.tokens > 0 ? 2 : 0) : 1
            let shapeVariant = Rules.variantChangesShape ? variant : 0
            codes += UInt32(1 + limit.window.order * 6 + dimensions * 2 + shapeVariant) * radix
            radix *= 31
            variants |= UInt8(variant) << activeLimits
            activeLimits += 1
            let words = Rules.wordCount(of: limit.limitedDimensionCount, variant: variant)
            head += words.head
            tail += words.tail
        }
        guard head + tail <= QuotaState.capacity else {
            throw TenancyError(
                .invalidConfiguration, "quota state needs \(head + tail) words; at most \(QuotaState.capacity) fit")
        }
        headWords = head
        totalWords = head + tail
        shape = 1 + Rules.algorithm.shapeCode + 3 * codes
    }
}

extension Duration {
    /// Whole seconds, rounded up.
    static func secondsRoundedUp(nanoseconds: Int64) -> Duration {
        .seconds(nanoseconds.ceilDivided(by: Timestamp.nanosecondsPerSecond))
    }
}

extension Int64 {
    /// Nanoseconds as whole seconds rounded up, 0 when not positive: `max(0, self).ceilDivided(by: 10^9)`.
    /// Unsigned, so the division by the constant is a multiply and a shift; the signed `ceilDivided(by:)`
    /// adds a remainder and sign fix-ups, and ran two or three times per decision (about 5 % of one).
    @inline(__always)
    var secondsRoundedUpFromNanoseconds: Int64 {
        // At most (2^63 - 1 + 10^9 - 1) before dividing: no overflow in 64 unsigned bits.
        Int64((UInt64(Swift.max(0, self)) &+ 999_999_999) / 1_000_000_000)
    }
}

/// Folds checks into a ``QuotaDecision``: the binding limit per dimension (fewest units left, first on a
/// tie) and the rejection that frees up last (a cost that can never fit dominates).
struct DecisionSink: QuotaCheckSink {
    var requests: QuotaDimensionStatus?
    var tokens: QuotaDimensionStatus?
    var rejection: QuotaRejection?
    private var rejectionRetry: Int64 = .min

    @inline(__always)
    mutating func record(_ check: DimensionCheck) {
        let status = QuotaDimensionStatus(
            window: check.window, limit: check.limit, remaining: check.remaining,
            resetSeconds: check.resetSeconds)
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
            retryAfterSeconds: check.neverFits ? -1 : max(1, retry.ceilDivided(by: Timestamp.nanosecondsPerSecond)))
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
                reset: .seconds(check.resetSeconds)))
    }
}

/// Drives a ``QuotaRules`` over a store: the shared part of every engine (cost validation, the unlimited
/// short cut, all-or-nothing commit, expiry).
struct QuotaRunner<Rules: QuotaRules>: Sendable {
    let store: any QuotaStore
    /// The same store when it never suspends, found once here rather than cast on every call.
    let synchronousStore: (any SynchronousQuotaStore)?
    /// The same store when it is this module's own: called directly, so the body is inlined into the
    /// shard update instead of going through an existential and a closure context.
    let inMemoryStore: InMemoryQuotaStore?
    let clock: any TenancyClock
    /// The same clock when it is the system clock, read without an existential call.
    let systemClock: SystemClock?

    init(store: any QuotaStore, clock: any TenancyClock) {
        self.store = store
        self.synchronousStore = store as? any SynchronousQuotaStore
        self.inMemoryStore = store as? InMemoryQuotaStore
        self.clock = clock
        self.systemClock = clock as? SystemClock
    }

    @inline(__always)
    var now: Timestamp { systemClock?.now ?? clock.now }

    func consume(_ cost: QuotaCost, for tenant: TenantID, under quota: QuotaConfig) async throws(TenancyError)
        -> QuotaDecision
    {
        if let decision = try consumeSynchronously(cost, for: tenant, under: quota) { return decision }
        try cost.validate()
        let layout = try quota.plan.layout(Rules.self)
        guard layout.activeLimits > 0 else { return .unlimited }
        let now = self.now
        return try await store.withState(of: tenant, now: now) { state in
            Self.consume(cost, under: quota, layout: layout, state: &state, now: now)
        }
    }

    /// The decision without suspending, or `nil` when the store is remote.
    @inline(__always)
    func consumeSynchronously(_ cost: QuotaCost, for tenant: TenantID, under quota: QuotaConfig) throws(TenancyError)
        -> QuotaDecision?
    {
        guard inMemoryStore != nil || synchronousStore != nil else { return nil }
        try cost.validate()
        // Computed when the config was built: per call it cost 3-4 ns (a loop over the limits with checks).
        let layout = try quota.plan.layout(Rules.self)
        guard layout.activeLimits > 0 else { return .unlimited }
        let now = self.now
        // Optional chaining borrows the store; `if let` would retain and release it.
        if layout.totalWords <= InlineQuotaWords.capacity,
            let decision = inMemoryStore?.withInlineWords(
                of: tenant, now: now,
                InPlaceConsumption<Rules>(cost: cost, limit: quota.plan.firstLimit, layout: layout, now: now))
        {
            return decision
        }
        return try consumeThroughState(cost, for: tenant, under: quota, layout: layout, now: now)
    }

    /// ``consumeSynchronously(_:for:under:)`` for layouts larger than an entry, or stores of other types.
    // Out of line: inlined, its `QuotaState` values tripled the in-place path's frame and forced spills.
    @inline(never)
    private func consumeThroughState(
        _ cost: QuotaCost, for tenant: TenantID, under quota: QuotaConfig, layout: QuotaLayout, now: Timestamp
    ) throws(TenancyError) -> QuotaDecision? {
        if let decision = inMemoryStore?.withStateSynchronously(of: tenant, now: now, { state in
            Self.consume(cost, under: quota, layout: layout, state: &state, now: now)
        }) {
            return decision
        }
        return try synchronousStore?.withStateSynchronously(of: tenant, now: now) { state in
            Self.consume(cost, under: quota, layout: layout, state: &state, now: now)
        }
    }

    /// The all-or-nothing step: evaluate every limit in place, keep the result only if every dimension fit.
    ///
    /// Inlined into the store's update so the decision is built in registers: returned through memory, its
    /// optionals were written field by field and read back in 16-byte chunks (a failed store forward).
    @inline(__always)
    private static func consume(
        _ cost: QuotaCost, under quota: QuotaConfig, layout: QuotaLayout, state: inout QuotaState, now: Timestamp
    ) -> QuotaDecision {
        // What a rejection must restore. Word by word rather than a struct copy: the store has just written
        // the state field by field, and reading it back in 16-byte chunks would stall store forwarding.
        let fresh = state.shape != layout.shape
        let saved = SavedState(state, words: layout.totalWords)
        if fresh { state = QuotaState() }
        var sink = DecisionSink()
        let expiry = evaluate(quota, layout: layout, state: &state, fresh: fresh, cost: cost, now: now, into: &sink)
        guard let rejection = sink.rejection else {
            state.shape = layout.shape
            state.expiresAt = UInt32(clamping: expiry.secondsRoundedUpFromNanoseconds)
            return sink.decision
        }
        // Nothing was consumed, so report every dimension as it stands rather than as if the dimensions that
        // had room had been charged: re-evaluate the untouched state at zero cost.
        saved.restore(into: &state)
        var unchanged = fresh ? QuotaState() : state
        var standing = DecisionSink()
        _ = evaluate(
            quota, layout: layout, state: &unchanged, fresh: fresh, cost: QuotaCost(requests: 0, tokens: 0),
            now: now, into: &standing)
        return QuotaDecision(requests: standing.requests, tokens: standing.tokens, rejection: rejection)
    }

    func usage(of tenant: TenantID, under quota: QuotaConfig) async throws(TenancyError) -> QuotaUsage {
        let layout = try quota.plan.layout(Rules.self)
        guard layout.activeLimits > 0 else { return QuotaUsage(algorithm: Rules.algorithm, entries: []) }
        let now = clock.now
        let body = { (state: inout QuotaState) -> [QuotaUsage.Entry] in
            var sink = UsageSink()
            var work = state.shape == layout.shape ? state : QuotaState()
            _ = Self.evaluate(
                quota, layout: layout, state: &work, fresh: state.shape != layout.shape,
                cost: QuotaCost(requests: 0, tokens: 0), now: now, into: &sink)
            return sink.entries
        }
        let entries =
            if let synchronousStore {
                try synchronousStore.withStateSynchronously(of: tenant, now: now, body)
            } else {
                try await store.withState(of: tenant, now: now, body)
            }
        return QuotaUsage(algorithm: Rules.algorithm, entries: entries)
    }

    /// Evaluates every active limit; returns the latest expiry and sets ``QuotaState/wordCount``.
    private static func evaluate<Sink: QuotaCheckSink>(
        _ quota: QuotaConfig, layout: QuotaLayout, state: inout QuotaState, fresh: Bool, cost: QuotaCost,
        now: Timestamp, into sink: inout Sink
    ) -> Int64 {
        let tail = evaluateLimits(quota, layout: layout, state: &state, fresh: fresh, cost: cost, now: now, into: &sink)
        state.wordCount = tail.wordCount
        return tail.expiry
    }

    /// Evaluates every active limit; returns the latest expiry and the words used.
    @inline(__always)
    private static func evaluateLimits<Sink: QuotaCheckSink, Words: QuotaWords>(
        _ quota: QuotaConfig, layout: QuotaLayout, state: inout Words, fresh: Bool, cost: QuotaCost,
        now: Timestamp, into sink: inout Sink
    ) -> (expiry: Int64, wordCount: Int) {
        var offset = 0
        var tail = layout.headWords
        var expiry = Int64.min
        var index = 0
        for limit in quota.plan.activeLimits {
            let variant = Int(layout.variants >> index & 1)
            let limitExpiry = Rules.evaluate(
                limit, variant: variant, state: &state, offset: offset, tail: tail, fresh: fresh, cost: cost,
                now: now.nanosecondsSinceEpoch, into: &sink)
            expiry = max(expiry, limitExpiry)
            let words = Rules.wordCount(of: limit.limitedDimensionCount, variant: variant)
            offset += words.head
            tail += words.tail
            index += 1
        }
        return (expiry, tail)
    }
}

/// The all-or-nothing step of ``QuotaRunner`` for a layout that fits a store entry in place, which has
/// exactly one active limit (two need at least four words). A value rather than a closure, so that the
/// store's update is specialised for it and inlines it: a closure was left as a call of its own and
/// returned its decision through memory, read back in 16-byte chunks (a failed store forward). Everything
/// it holds is trivial, so nothing is retained under the lock.
struct InPlaceConsumption<Rules: QuotaRules>: InlineWordsUpdate {
    let cost: QuotaCost
    let limit: LimitPlan
    let variant: Int
    let tail: Int
    let shape: UInt32
    let now: Timestamp

    @inline(__always)
    init(cost: QuotaCost, limit: LimitPlan, layout: QuotaLayout, now: Timestamp) {
        self.cost = cost
        self.limit = limit
        self.variant = Int(layout.variants & 1)
        self.tail = layout.headWords
        self.shape = layout.shape
        self.now = now
    }

    /// Evaluates the limit on a copy of the words (the rollback is that copy, in registers) and keeps the
    /// result only if every dimension fit.
    @inline(__always)
    func apply(to state: inout InlineQuotaWords) -> QuotaDecision {
        let fresh = state.shape != shape
        var work = fresh ? InlineQuotaWords() : state
        var sink = DecisionSink()
        let expiry = evaluate(&work, fresh: fresh, cost: cost, into: &sink)
        guard let rejection = sink.rejection else {
            work.shape = shape
            work.expiresAt = UInt32(clamping: expiry.secondsRoundedUpFromNanoseconds)
            state = work
            return sink.decision
        }
        // Nothing was consumed (`state` is untouched): report every dimension as it stands.
        var unchanged = fresh ? InlineQuotaWords() : state
        var standing = DecisionSink()
        _ = evaluate(&unchanged, fresh: fresh, cost: QuotaCost(requests: 0, tokens: 0), into: &standing)
        return QuotaDecision(requests: standing.requests, tokens: standing.tokens, rejection: rejection)
    }

    @inline(__always)
    private func evaluate(
        _ words: inout InlineQuotaWords, fresh: Bool, cost: QuotaCost, into sink: inout DecisionSink
    ) -> Int64 {
        Rules.evaluate(
            limit, variant: variant, state: &words, offset: 0, tail: tail, fresh: fresh, cost: cost,
            now: now.nanosecondsSinceEpoch, into: &sink)
    }
}

/// A copy of a state's words for rolling back a rejected call: up to four words in scalars, anything
/// larger as a whole copy.
private struct SavedState {
    let shape: UInt32
    let expiresAt: UInt32
    let wordCount: Int
    let w0, w1, w2, w3: Int64
    let large: QuotaState?

    /// - Parameters:
    ///   - state: The state to save.
    ///   - words: The words the layout uses; more than the state claims are saved when a store under-reports
    ///     ``QuotaState/wordCount``.
    @inline(__always)
    init(_ state: borrowing QuotaState, words: Int) {
        shape = state.shape
        expiresAt = state.expiresAt
        wordCount = state.wordCount
        w0 = state[0]
        w1 = state[1]
        w2 = state[2]
        w3 = state[3]
        large = max(state.wordCount, words) > 4 ? copy state : nil
    }

    @inline(__always)
    func restore(into state: inout QuotaState) {
        if let large {
            state = large
            return
        }
        state = QuotaState()
        state.shape = shape
        state.expiresAt = expiresAt
        state.wordCount = wordCount
        state[0] = w0
        state[1] = w1
        state[2] = w2
        state[3] = w3
    }
}

extension QuotaAlgorithm {
    /// The code of the algorithm in ``QuotaLayout/shape``.
    var shapeCode: UInt32 {
        switch self {
        case .fixedWindow: 0
        case .slidingWindow: 1
        case .tokenBucket: 2
        }
    }
}
