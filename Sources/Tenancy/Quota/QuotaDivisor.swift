/// Division of non-negative 64-bit integers by a positive divisor fixed when a quota is planned, by a
/// multiply instead of an `idiv` (9-18 cycles of latency on the machines we measure, on the critical path of
/// a decision). Exact: the quotient is `value / divisor` for every `value` in `0...Int64.max`.
///
/// The round-up method of Granlund and Montgomery ("Division by Invariant Integers using Multiplication",
/// PLDI 1994, figure 4.1) for N = 64: with `l = ceil(log2 d)` and `m = floor(2^64 * (2^l - d) / d) + 1`,
/// `t = mulhi(m, n)` and `q = (t + ((n - t) >> min(l, 1))) >> max(l - 1, 0)` for every `0 <= n < 2^64`.
/// Tests compare it with `/` over random and boundary values.
struct QuotaDivisor: Hashable, Sendable {
    /// The divisor, positive.
    let divisor: Int64
    private let multiplier: UInt64
    private let firstShift: UInt64
    private let secondShift: UInt64

    /// - Parameter divisor: Positive; other values give a divisor of 1 (callers divide only by positive sizes).
    init(_ divisor: Int64) {
        let d = UInt64(max(divisor, 1))
        self.divisor = Int64(d)
        // l = ceil(log2 d): 0 for 1, else the bit width of d - 1.
        let l = d == 1 ? 0 : UInt64(64 - (d - 1).leadingZeroBitCount)
        // d < 2^63, so l <= 63; 2^l - d < d, so the high word of the dividend is below the divisor and the
        // quotient fits in 64 bits.
        let high = (UInt64(1) << l) &- d
        multiplier = d.dividingFullWidth((high: high, low: 0)).quotient &+ 1
        firstShift = min(l, 1)
        secondShift = l == 0 ? 0 : l - 1
    }

    /// `value / divisor` and `value % divisor`, truncated.
    /// - Parameter value: Non-negative.
    @inline(__always)
    func quotientAndRemainder(of value: Int64) -> (quotient: Int64, remainder: Int64) {
        let n = UInt64(bitPattern: value)
        let t = multiplier.multipliedFullWidth(by: n).high
        let quotient = Int64(bitPattern: (t &+ ((n &- t) &>> firstShift)) &>> secondShift)
        return (quotient, value &- quotient &* divisor)
    }
}
