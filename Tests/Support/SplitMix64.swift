/// SplitMix64: a small deterministic generator for randomised tests, so a failing input can be
/// reproduced from its seed.
package struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// Starts the sequence at `seed`.
    package init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (`bound` > 0), with negligible modulo bias for test-sized bounds.
    package mutating func next(below bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }
}
