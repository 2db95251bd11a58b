/// Fixed-window counting. Words per limit: the window index, then the units used in it per limited
/// dimension (requests before tokens).
struct FixedWindowRules: QuotaRules {
    static let algorithm = QuotaAlgorithm.fixedWindow

    static func wordCount(limitedDimensions: Int) -> Int { 1 + limitedDimensions }

    static func evaluate<Sink: QuotaCheckSink>(
        _ limit: QuotaLimit, state: inout QuotaState, offset: Int, fresh: Bool, cost: QuotaCost, now: Int64,
        into sink: inout Sink
    ) -> Int64 {
        var window = limit.window.window(containing: now)
        var now = now
        var current = !fresh && state.words[offset] == window.index
        if !fresh && state.words[offset] > window.index {
            // A concurrent caller with a later clock reading already opened the next window: count there.
            window = limit.window.window(index: state.words[offset])
            now = window.start
            current = true
        }
        state.words[offset] = window.index
        var word = offset + 1
        for dimension in QuotaDimension.allCases {
            let size = limit.limit(of: dimension)
            guard size > 0 else { continue }
            let used = current ? state.words[word] : 0
            let amount = cost.amount(of: dimension)
            let neverFits = amount > size
            let fits = amount == 0 || (!neverFits && used + amount <= size)
            let after = fits ? used + amount : used
            state.words[word] = after
            sink.record(
                DimensionCheck(
                    dimension: dimension, window: limit.window, limit: size, remaining: max(0, size - after),
                    resetNanoseconds: window.end - now, fits: fits, neverFits: neverFits,
                    retryNanoseconds: window.end - now))
            word += 1
        }
        return window.end
    }
}
