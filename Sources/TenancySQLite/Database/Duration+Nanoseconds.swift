extension Duration {
    /// Whole nanoseconds, 0 for negative durations and clamped to `Int`, for Dispatch deadlines.
    var clampedNanoseconds: Int {
        let (seconds, attoseconds) = components
        return Int(clamping: max(0, Int128(seconds) * 1_000_000_000 + Int128(attoseconds / 1_000_000_000)))
    }
}
