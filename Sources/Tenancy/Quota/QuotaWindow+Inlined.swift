extension QuotaWindow {
    /// ``window(containing:)`` for the rules' hot path: the same windows, with the fixed-length cases
    /// computed inline. `window(index:)` is a call of its own (its month case is large), one or two per
    /// decision; months still go through it.
    @inline(__always)
    func inlinedWindow(containing nanoseconds: Int64) -> CalendarWindow {
        // One case per length, so each division is by a constant, as in `window(containing:)`.
        switch self {
        case .second: inlinedWindow(index: nanoseconds.floorDivided(by: 1_000_000_000), length: 1_000_000_000)
        case .minute: inlinedWindow(index: nanoseconds.floorDivided(by: 60_000_000_000), length: 60_000_000_000)
        case .hour:
            inlinedWindow(index: nanoseconds.floorDivided(by: 3_600_000_000_000), length: 3_600_000_000_000)
        case .day:
            inlinedWindow(index: nanoseconds.floorDivided(by: 86_400_000_000_000), length: 86_400_000_000_000)
        case .month: window(containing: nanoseconds)
        }
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
