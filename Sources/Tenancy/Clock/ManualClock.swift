import Synchronization

/// A clock that moves only when told to, for exact tests of windows, `Retry-After` and expiry.
public final class ManualClock: TenancyClock {
    private let nanoseconds: Atomic<Int64>

    /// Creates a clock stopped at `start`.
    /// - Parameter start: The initial time.
    public init(at start: Timestamp) {
        nanoseconds = Atomic(start.nanosecondsSinceEpoch)
    }

    /// The time the clock is stopped at.
    public var now: Timestamp {
        Timestamp(nanosecondsSinceEpoch: nanoseconds.load(ordering: .acquiring))
    }

    /// Sets the clock.
    /// - Parameter time: The new time; may be earlier than the current one.
    public func set(_ time: Timestamp) {
        nanoseconds.store(time.nanosecondsSinceEpoch, ordering: .releasing)
    }

    /// Moves the clock forward.
    /// - Parameter duration: How far; negative durations move it back.
    public func advance(by duration: Duration) {
        nanoseconds.add(duration.wholeNanoseconds, ordering: .acquiringAndReleasing)
    }
}
