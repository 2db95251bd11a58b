/// Fixed-window counting. Words per limit: the window index, then the units used in it per limited
/// dimension (requests before tokens).
struct FixedWindowRules: QuotaRules {
    static let algorithm = QuotaAlgorithm.fixedWindow

    static let variantChangesShape = true

    static func variant(of limit: QuotaLimit) -> Int { 0 }

    static func plannedLayout(in plan: QuotaPlan) -> PlannedLayout { plan.fixedWindow }

    static func wordCount(of limitedDimensions: Int, variant: Int) -> (head: Int, tail: Int) {
        (1 + limitedDimensions, 0)
    }

    @inline(__always)
    static func evaluate<Sink: QuotaCheckSink, Words: QuotaWords>(
        _ limit: LimitPlan, variant: Int, state: inout Words, offset: Int, tail: Int, fresh: Bool,
        cost: QuotaCost, now: Int64, into sink: inout Sink
    ) -> Int64 {
        // Reset and retry are measured from this caller's clock even when a caller with a later clock has
        // already opened the next window, so `Retry-After` is never short.
        let realNow = now
        var window = limit.window.inlinedWindow(containing: now)
        let stored = fresh ? Int64.min : state[offset]
        if stored > window.index {
            // A concurrent caller with a later clock reading already opened the next window: count there.
            window = limit.window.inlinedWindow(index: stored)
        }
        let current = stored == window.index
        let resetSeconds = (window.end - realNow).secondsRoundedUpFromNanoseconds
        state[offset] = window.index
        var word = offset + 1
        for dimension in QuotaDimension.inOrder {
            let size = limit.limit(of: dimension)
            guard size > 0 else { continue }
            let used = current ? state[word] : 0
            let amount = cost.amount(of: dimension)
            let neverFits = amount > size
            let fits = amount == 0 || (!neverFits && used + amount <= size)
            let after = fits ? used + amount : used
            state[word] = after
            sink.record(
                DimensionCheck(
                    dimension: dimension, window: limit.window, limit: size, remaining: max(0, size - after),
                    resetSeconds: resetSeconds, fits: fits, neverFits: neverFits,
                    retryNanoseconds: window.end - realNow))
            word += 1
        }
        return window.end
    }
}
