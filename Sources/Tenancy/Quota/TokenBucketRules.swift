/// Token-bucket counting in its GCRA form: per limited dimension the theoretical arrival time (TAT). A bucket
/// of `size` units refills one unit every `window / size`; a cost of `n` fits when
/// `max(TAT, now) + n * window / size - now <= window`. The bucket is full (and the state expired) once
/// `now >= TAT`. Months count as 30 days.
///
/// `window / size` is often not a whole number of nanoseconds, so the TAT is kept exactly, as whole
/// nanoseconds plus a fraction in `1 / size` ns: rounding each increment instead would add up over a burst
/// (3 per second would admit only 2 at once). Words per limit: one TAT per limited dimension at the head,
/// and the fractions at the tail (after every limit's TATs): variant 0 packs both fractions into one word
/// (every limited size fits in 32 bits), variant 1 gives each its own. The variant is not part of the
/// layout tag: a fraction is less than a nanosecond, so when a limit change alters the packing the TATs
/// are kept and a misread fraction can shift them by less than a nanosecond (a value at or above the size
/// rounds the TAT up, the strict way).
struct TokenBucketRules: QuotaRules {
    static let algorithm = QuotaAlgorithm.tokenBucket

    static let variantChangesShape = false

    static func variant(of limit: QuotaLimit) -> Int {
        limit.requests <= Int64(UInt32.max) && limit.tokens <= Int64(UInt32.max) ? 0 : 1
    }

    static func plannedLayout(in plan: QuotaPlan) -> PlannedLayout { plan.tokenBucket }

    static func wordCount(of limitedDimensions: Int, variant: Int) -> (head: Int, tail: Int) {
        (limitedDimensions, variant == 0 ? 1 : limitedDimensions)
    }

    @inline(__always)
    static func evaluate<Sink: QuotaCheckSink, Words: QuotaWords>(
        _ limit: LimitPlan, variant: Int, state: inout Words, offset: Int, tail: Int, fresh: Bool,
        cost: QuotaCost, now: Int64, into sink: inout Sink
    ) -> Int64 {
        let period = limit.window.nominalNanoseconds
        var expiry = Int64.min
        var index = 0
        for dimension in QuotaDimension.inOrder {
            let size = limit.limit(of: dimension)
            guard size > 0 else { continue }
            let tatWord = offset + index
            // base = max(TAT, now) as `whole + fraction / size`. A fraction outside 0..<size (left by a larger
            // size, or misread after a limit change altered the packing) is rounded up, so a config change can
            // only make the bucket stricter, by less than a nanosecond.
            var whole = fresh ? now : state[tatWord]
            var fraction = fresh ? 0 : readFraction(state, variant: variant, tail: tail, index: index)
            if fraction < 0 || fraction >= size {
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
            let (quotient, remainder) =
                neverFits ? (0, 0) : multipliedDivided(amount, period, by: limit.divisor(of: dimension))
            var arrival = whole + quotient
            var arrivalFraction = fraction + remainder
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
            state[tatWord] = whole
            writeFraction(fraction, into: &state, variant: variant, tail: tail, index: index)
            let full = whole + (fraction > 0 ? 1 : 0)
            expiry = max(expiry, full)
            // floor((period - (TAT - now)) * size / period).
            let remaining = remainingUnits(period - (whole - now), size: size, fraction: fraction, window: limit.window)
            sink.record(
                DimensionCheck(
                    dimension: dimension, window: limit.window, limit: size, remaining: remaining,
                    resetSeconds: (full - now).secondsRoundedUpFromNanoseconds, fits: fits, neverFits: neverFits,
                    retryNanoseconds: fitsFrom + (arrivalFraction > 0 ? 1 : 0) - now))
            index += 1
        }
        return expiry
    }

    // A 128-bit division is a library call (`__divti3`); these divide in 64 bits when the intermediate values
    // fit and fall back to 128 bits otherwise. Both divisions truncate, so the results are the same.

    /// `amount * period / size` as whole nanoseconds and a remainder in `1 / size` ns; `size` (the divisor's)
    /// is positive and `amount` not negative. In 64 bits by the plan's divisor (a multiply: an `idiv` per
    /// dimension was on the critical path of every decision).
    @inline(__always)
    private static func multipliedDivided(_ amount: Int64, _ period: Int64, by size: QuotaDivisor) -> (Int64, Int64) {
        let (product, overflows) = amount.multipliedReportingOverflow(by: period)
        if !overflows { return size.quotientAndRemainder(of: product) }
        let (quotient, remainder) =
            (Int128(amount) * Int128(period)).quotientAndRemainder(dividingBy: Int128(size.divisor))
        return (Int64(quotient), Int64(remainder))
    }

    /// `max(0, floor((room * size - fraction) / period))` for the window's nominal period: the units that fit
    /// into `room` nanoseconds. Every division by the period is by a constant (a multiply, not a 40-cycle
    /// `idiv`): see ``QuotaWindow/dividingByNominalLength(_:)``.
    ///
    /// Shortest first, for a bucket short of full by `deficit = period - room` ns with
    /// `deficit * size + fraction` in 64 bits (any bucket near full, the common case): `period * size` is a
    /// multiple of `period`, so the result is `size - ceil((deficit * size + fraction) / period)`.
    ///
    /// When `room * size` overflows 64 bits (a window's worth of nanoseconds times a limit above about 10^8,
    /// e.g. 4 * 10^9 tokens a minute), the division is split at the second: with `room = s * 10^9 + n` and
    /// `s * size = q * W + r` (`W` the period in seconds), the numerator is
    /// `q * period + (r * 10^9 + n * size - fraction)`, so the result is
    /// `q + floor((r * 10^9 + n * size - fraction) / period)`. 128 bits (a `__divti3` call) remain the
    /// fallback when that overflows too.
    ///
    /// Only the shortest way is inlined: with every way inlined the optimiser kept the whole function out of
    /// line (a call and ~10 % of a decision), the engine's body being past its size limit.
    @inline(__always)
    static func remainingUnits(_ room: Int64, size: Int64, fraction: Int64, window: QuotaWindow) -> Int64 {
        let period = window.nominalNanoseconds
        let (deficit, deficitOverflows) = period.subtractingReportingOverflow(room)
        if !deficitOverflows && deficit >= 0 && fraction >= 0 {
            let (shortfall, shortfallOverflows) = deficit.multipliedReportingOverflow(by: size)
            let (short, shortOverflows) = shortfall.addingReportingOverflow(fraction)
            if !shortfallOverflows && !shortOverflows {
                // `short` is not negative, so the ceiling is an unsigned division by a constant.
                return max(0, size - window.dividingByNominalLengthRoundingUp(short))
            }
        }
        return remainingUnitsFromRoom(room, size: size, fraction: fraction, window: window)
    }

    /// ``remainingUnits(_:size:fraction:window:)`` when the bucket is not near full.
    @inline(never)
    private static func remainingUnitsFromRoom(_ room: Int64, size: Int64, fraction: Int64, window: QuotaWindow) -> Int64 {
        let period = window.nominalNanoseconds
        let (product, productOverflows) = room.multipliedReportingOverflow(by: size)
        let (units, differenceOverflows) = product.subtractingReportingOverflow(fraction)
        if !productOverflows && !differenceOverflows { return units > 0 ? window.dividingByNominalLength(units).0 : 0 }
        let second = Timestamp.nanosecondsPerSecond
        if room > 0, size > 0, fraction >= 0 {
            let (seconds, nanoseconds) = (room / second, room % second)
            let (perSecond, overflows) = seconds.multipliedReportingOverflow(by: size)
            let (withinSecond, withinOverflows) = nanoseconds.multipliedReportingOverflow(by: size)
            if !overflows && !withinOverflows {
                let (quotient, remainder) = window.dividingByNominalSeconds(perSecond)
                // remainder * 10^9 < period, and `withinSecond - fraction` cannot overflow (both non-negative).
                let (rest, restOverflows) = (remainder * second).addingReportingOverflow(withinSecond - fraction)
                if !restOverflows {
                    let (restQuotient, restRemainder) = window.dividingByNominalLength(rest)
                    return max(0, quotient + restQuotient - (restRemainder < 0 ? 1 : 0))
                }
            }
        }
        let wide = Int128(room) * Int128(size) - Int128(fraction)
        return wide > 0 ? Int64(wide / Int128(period)) : 0
    }

    @inline(__always)
    private static func readFraction<Words: QuotaWords>(_ state: Words, variant: Int, tail: Int, index: Int) -> Int64 {
        guard variant == 0 else { return state[tail + index] }
        return Int64(UInt32(truncatingIfNeeded: UInt64(bitPattern: state[tail]) >> (32 * UInt64(index))))
    }

    @inline(__always)
    private static func writeFraction<Words: QuotaWords>(_ fraction: Int64, into state: inout Words, variant: Int, tail: Int, index: Int) {
        guard variant == 0 else {
            state[tail + index] = fraction
            return
        }
        let shift = 32 * UInt64(index)
        var word = UInt64(bitPattern: state[tail])
        word = word & ~(UInt64(UInt32.max) << shift) | UInt64(UInt32(truncatingIfNeeded: fraction)) << shift
        state[tail] = Int64(bitPattern: word)
    }
}
