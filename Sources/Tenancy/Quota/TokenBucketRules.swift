/// Token-bucket counting in its GCRA form: per limited dimension the theoretical arrival time (TAT). A bucket
/// of `size` units refills one unit every `window / size`; a cost of `n` fits when
/// `max(TAT, now) + n * window / size - now <= window`. The bucket is full (and the state expired) once
/// `now >= TAT`. Months count as 30 days.
///
/// `window / size` is rarely a whole number of nanoseconds, so the TAT is kept exactly, as whole
/// nanoseconds plus a fraction in `1 / size` ns: rounding each increment instead would add up over a burst
/// (3 per second would admit only 2 at once). Words per limit: per limited dimension the whole nanoseconds,
/// then the fraction's numerator.
struct TokenBucketRules: QuotaRules {
    static let algorithm = QuotaAlgorithm.tokenBucket

    static func wordCount(limitedDimensions: Int) -> Int { 2 * limitedDimensions }

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
            // base = max(TAT, now) as `whole + fraction / size`. A fraction left by a larger size before the
            // limit changed is rounded up, so a config change can only make the bucket stricter.
            var whole = fresh ? now : state.words[word]
            var fraction = fresh ? 0 : state.words[word + 1]
            if fraction >= size {
                whole += 1
                fraction = 0
            }
            if whole < now {
                whole = now
                fraction = 0
            }
            let amount = cost.amount(of: dimension)
            let neverFits = amount > size
            // The increment `amount * period / size`, exactly: `quotient + remainder / size`.
            let (quotient, remainder) = (neverFits ? 0 : Int128(amount) * Int128(period)).quotientAndRemainder(
                dividingBy: Int128(size))
            var arrival = whole + Int64(quotient)
            var arrivalFraction = fraction + Int64(remainder)
            if arrivalFraction >= size {
                arrival += 1
                arrivalFraction -= size
            }
            // The call fits from the instant `fitsFrom + arrivalFraction / size` on (the new TAT minus `period`);
            // Retry-After waits for its ceiling.
            let fitsFrom = arrival - period
            let fits = amount == 0 || (!neverFits && (fitsFrom < now || (fitsFrom == now && arrivalFraction == 0)))
            if fits {
                whole = arrival
                fraction = arrivalFraction
            }
            state.words[word] = whole
            state.words[word + 1] = fraction
            let full = whole + (fraction > 0 ? 1 : 0)
            expiry = max(expiry, full)
            // floor((period - (TAT - now)) * size / period), in 128 bits.
            let room = Int128(period - (whole - now)) * Int128(size) - Int128(fraction)
            sink.record(
                DimensionCheck(
                    dimension: dimension, window: limit.window, limit: size,
                    remaining: room > 0 ? Int64(room / Int128(period)) : 0, resetNanoseconds: full - now,
                    fits: fits, neverFits: neverFits,
                    retryNanoseconds: fitsFrom + (arrivalFraction > 0 ? 1 : 0) - now))
            word += 2
        }
        return expiry
    }
}
