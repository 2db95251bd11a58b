/// Token-bucket counting in its GCRA form: per limited dimension one word, the theoretical arrival time
/// (TAT). A bucket of `size` units refills one unit every `window / size`; a cost of `n` fits when
/// `max(TAT, now) + n * window / size - now <= window`. The bucket is full (and the state expired) once
/// `now >= TAT`. Months count as 30 days.
struct TokenBucketRules: QuotaRules {
    static let algorithm = QuotaAlgorithm.tokenBucket

    static func wordCount(limitedDimensions: Int) -> Int { limitedDimensions }

    static func evaluate<Sink: QuotaCheckSink>(
        _ limit: QuotaLimit, state: inout QuotaState, offset: Int, fresh: Bool, cost: QuotaCost, now: Int64,
        into sink: inout Sink
    ) -> Int64 {
        let period = limit.window.nominalNanoseconds
        var word = offset
        var expiry = Int64.min
        for dimension in QuotaDimension.allCases {
            let size = limit.limit(of: dimension)
            guard size > 0 else { continue }
            let base = max(fresh ? now : state.words[word], now)
            let amount = cost.amount(of: dimension)
            let neverFits = amount > size
            // Rounded up, so rounding can only make the bucket stricter.
            let increment =
                neverFits || amount == 0
                ? 0 : Int64((Int128(amount) * Int128(period) + Int128(size) - 1) / Int128(size))
            let fits = amount == 0 || (!neverFits && base + increment - now <= period)
            let arrival = fits ? base + increment : base
            state.words[word] = arrival
            expiry = max(expiry, arrival)
            let remaining = Int64(Int128(period - (arrival - now)) * Int128(size) / Int128(period))
            sink.record(
                DimensionCheck(
                    dimension: dimension, window: limit.window, limit: size, remaining: max(0, remaining),
                    resetNanoseconds: arrival - now, fits: fits, neverFits: neverFits,
                    retryNanoseconds: base + increment - period - now))
            word += 1
        }
        return expiry
    }
}
