/// Sliding-window counting (Cloudflare's approximation): the estimate is the current window's count plus
/// the previous window's count weighted by the share of it the sliding window still covers, rounded up so
/// rounding never admits more than the limit. Exact integer arithmetic in 128 bits.
///
/// Words per limit: the current window index, then per limited dimension the current and the previous
/// window's counts. Counts never exceed the limit (a rejected call consumes nothing), so when every limited
/// size fits in 32 bits (variant 0) both counts share one word; otherwise (variant 1) each has its own.
struct SlidingWindowRules: QuotaRules {
    static let algorithm = QuotaAlgorithm.slidingWindow

    static let variantChangesShape = true

    static func variant(of limit: QuotaLimit) -> Int {
        limit.requests <= Int64(UInt32.max) && limit.tokens <= Int64(UInt32.max) ? 0 : 1
    }

    static func plannedLayout(in plan: QuotaPlan) -> PlannedLayout { plan.slidingWindow }

    static func wordCount(of limitedDimensions: Int, variant: Int) -> (head: Int, tail: Int) {
        (1 + limitedDimensions * (variant == 0 ? 1 : 2), 0)
    }

    @inline(__always)
    static func evaluate<Sink: QuotaCheckSink, Words: QuotaWords>(
        _ limit: LimitPlan, variant: Int, state: inout Words, offset: Int, tail: Int, fresh: Bool,
        cost: QuotaCost, now: Int64, into sink: inout Sink
    ) -> Int64 {
        // The weighting uses the window's own start; reset and retry are measured from this caller's clock,
        // so `Retry-After` is never short when another caller's clock opened a later window.
        let realNow = now
        var window = limit.window.inlinedWindow(containing: now)
        var now = now
        let stored = fresh ? Int64.min : state[offset]
        if stored > window.index {
            window = limit.window.inlinedWindow(index: stored)
            now = window.start
        }
        let elapsed = now - window.start
        let length = window.length
        let packed = variant == 0
        let resetSeconds = (window.end - realNow).secondsRoundedUpFromNanoseconds
        var word = offset + 1
        for dimension in QuotaDimension.inOrder {
            let size = limit.limit(of: dimension)
            guard size > 0 else { continue }
            var (current, previous) = packed ? unpack(state[word]) : (state[word], state[word + 1])
            if stored == window.index - 1 {
                previous = current
                current = 0
            } else if stored != window.index {
                previous = 0
                current = 0
            }
            let weighted = weightedCount(previous, covering: length - elapsed, of: length, window: limit.window)
            let estimate = weighted + current
            let amount = cost.amount(of: dimension)
            let neverFits = amount > size
            let fits = amount == 0 || (!neverFits && estimate + amount <= size)
            var retry: Int64 = 0
            if !fits && !neverFits {
                retry = retryNanoseconds(
                    limit: limit, window: window, size: size, amount: amount, current: current, previous: previous) - realNow
            }
            let after = fits ? current + amount : current
            if packed {
                state[word] = pack(after, previous)
                word += 1
            } else {
                state[word] = after
                state[word + 1] = previous
                word += 2
            }
            sink.record(
                DimensionCheck(
                    dimension: dimension, window: limit.window, limit: size,
                    remaining: max(0, size - weighted - after), resetSeconds: resetSeconds, fits: fits,
                    neverFits: neverFits, retryNanoseconds: retry))
        }
        state[offset] = window.index
        return limit.window.inlinedWindow(index: window.index + 1).end
    }

    @inline(__always)
    private static func pack(_ current: Int64, _ previous: Int64) -> Int64 {
        Int64(bitPattern: UInt64(UInt32(truncatingIfNeeded: current)) | UInt64(UInt32(truncatingIfNeeded: previous)) << 32)
    }

    @inline(__always)
    private static func unpack(_ word: Int64) -> (current: Int64, previous: Int64) {
        let bits = UInt64(bitPattern: word)
        return (Int64(UInt32(truncatingIfNeeded: bits)), Int64(UInt32(truncatingIfNeeded: bits >> 32)))
    }

    /// The earliest instant at which `amount` fits, if nothing else is consumed meanwhile.
    ///
    /// Within the current window the weighted previous count shrinks linearly: the amount fits once
    /// `previous * (length - elapsed) <= (size - amount - current) * length`. If the current count alone
    /// leaves no room, it must wait for the next window, where the current count becomes the previous one.
    private static func retryNanoseconds(
        limit: LimitPlan, window: CalendarWindow, size: Int64, amount: Int64, current: Int64, previous: Int64
    ) -> Int64 {
        let room = size - amount - current
        if room >= 0 && previous > 0 {
            let length = Int128(window.length)
            return window.start + Int64(length - Int128(room) * length / Int128(previous))
        }
        let next = limit.window.window(index: window.index + 1)
        guard current > 0 else { return next.start }
        let length = Int128(next.length)
        return next.start + Int64(length - Int128(size - amount) * length / Int128(current))
    }

    /// ``weightedCount(_:covering:of:)`` with the length of a window of fixed length as a constant, so the
    /// division is a multiply rather than a 40-cycle `idiv` (the first and last representable windows are
    /// shorter and months vary, so those divide by `length`).
    @inline(__always)
    private static func weightedCount(
        _ previous: Int64, covering covered: Int64, of length: Int64, window: QuotaWindow
    ) -> Int64 {
        guard length == window.nominalNanoseconds else { return weightedCount(previous, covering: covered, of: length) }
        switch window {
        case .second: return weightedCount(previous, covering: covered, of: 1_000_000_000)
        case .minute: return weightedCount(previous, covering: covered, of: 60_000_000_000)
        case .hour: return weightedCount(previous, covering: covered, of: 3_600_000_000_000)
        case .day: return weightedCount(previous, covering: covered, of: 86_400_000_000_000)
        case .month: return weightedCount(previous, covering: covered, of: length)
        }
    }

    /// `ceil(previous * covered / length)`, the previous window's count weighted by the share still covered.
    /// In 64 bits when the intermediate values fit, the same formula as the 128-bit fallback: a 128-bit
    /// division is a library call (`__divti3`, 5% of a decision).
    @inline(__always)
    private static func weightedCount(_ previous: Int64, covering covered: Int64, of length: Int64) -> Int64 {
        if length > 0 {
            let (product, productOverflows) = previous.multipliedReportingOverflow(by: covered)
            let (biased, sumOverflows) = product.addingReportingOverflow(length - 1)
            if !productOverflows && !sumOverflows { return biased / length }
        }
        return Int64(ceilDiv(Int128(previous) * Int128(covered), Int128(length)))
    }

    @inline(__always)
    private static func ceilDiv(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        (numerator + denominator - 1) / denominator
    }
}
