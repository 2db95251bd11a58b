extension QuotaWindow {
    /// ``window(containing:)`` for the rules' hot path: the same windows, with the fixed-length cases
    /// computed inline. `window(index:)` is a call of its own (its month case is large), one or two per
    /// decision; months still go through it.
    @inline(__always)
    func inlinedWindow(containing nanoseconds: Int64) -> CalendarWindow {
        // One case per length, so each division is by a constant, as in `window(containing:)`.
        switch self {
        case .second: inlinedWindow(index: Self.floor(nanoseconds, by: 1_000_000_000), length: 1_000_000_000)
        case .minute: inlinedWindow(index: Self.floor(nanoseconds, by: 60_000_000_000), length: 60_000_000_000)
        case .hour: inlinedWindow(index: Self.floor(nanoseconds, by: 3_600_000_000_000), length: 3_600_000_000_000)
        case .day: inlinedWindow(index: Self.floor(nanoseconds, by: 86_400_000_000_000), length: 86_400_000_000_000)
        case .month: window(containing: nanoseconds)
        }
    }

    /// `value.floorDivided(by: length)` for a positive constant `length`: unsigned for instants after the
    /// epoch (a multiply and a shift), signed with its remainder and sign fix-up only before it.
    @inline(__always)
    private static func floor(_ value: Int64, by length: Int64) -> Int64 {
        value >= 0 ? Int64(UInt64(bitPattern: value) / UInt64(length)) : value.floorDivided(by: length)
    }

    /// ``window(index:)``, with the fixed-length cases computed inline.
    @inline(__always)
    func inlinedWindow(index: Int64) -> CalendarWindow {
        guard self != .month else { return window(index: index) }
        return inlinedWindow(index: index, length: nominalNanoseconds)
    }

    /// The window of a fixed length with the given index: bounds saturate exactly as in ``window(index:)``.
    @inline(__always)
    private func inlinedWindow(index: Int64, length: Int64) -> CalendarWindow {
        CalendarWindow(
            index: index, start: index.multipliedSaturated(by: length),
            end: index.addingSaturated(1).multipliedSaturated(by: length))
    }
}

extension QuotaWindow {
    /// `value` divided by ``nominalNanoseconds``, truncated like `/` and `%`. One case per window, so each
    /// division is by a constant (a multiply, not a 40-cycle `idiv`) whether or not the caller is inlined.
    @inline(__always)
    func dividingByNominalLength(_ value: Int64) -> (quotient: Int64, remainder: Int64) {
        switch self {
        case .second: value.quotientAndRemainder(dividingBy: 1_000_000_000)
        case .minute: value.quotientAndRemainder(dividingBy: 60_000_000_000)
        case .hour: value.quotientAndRemainder(dividingBy: 3_600_000_000_000)
        case .day: value.quotientAndRemainder(dividingBy: 86_400_000_000_000)
        case .month: value.quotientAndRemainder(dividingBy: 2_592_000_000_000_000)
        }
    }

    /// `ceil(value / nominalNanoseconds)` for a `value` that is not negative, by a constant per case, unsigned
    /// (a multiply and a shift; signed, the ceiling needs the remainder and sign fix-ups).
    @inline(__always)
    func dividingByNominalLengthRoundingUp(_ value: Int64) -> Int64 {
        // value + length - 1 < 2^63 + 2^52: no overflow in 64 unsigned bits.
        let value = UInt64(bitPattern: value)
        return switch self {
        case .second: Int64((value &+ 999_999_999) / 1_000_000_000)
        case .minute: Int64((value &+ 59_999_999_999) / 60_000_000_000)
        case .hour: Int64((value &+ 3_599_999_999_999) / 3_600_000_000_000)
        case .day: Int64((value &+ 86_399_999_999_999) / 86_400_000_000_000)
        case .month: Int64((value &+ 2_591_999_999_999_999) / 2_592_000_000_000_000)
        }
    }

    /// `value` divided by ``nominalSeconds``, truncated like `/` and `%`, by a constant per case.
    @inline(__always)
    func dividingByNominalSeconds(_ value: Int64) -> (quotient: Int64, remainder: Int64) {
        switch self {
        case .second: (value, 0)
        case .minute: value.quotientAndRemainder(dividingBy: 60)
        case .hour: value.quotientAndRemainder(dividingBy: 3_600)
        case .day: value.quotientAndRemainder(dividingBy: 86_400)
        case .month: value.quotientAndRemainder(dividingBy: 2_592_000)
        }
    }
}
