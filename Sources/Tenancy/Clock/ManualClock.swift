/// A clock that moves only when told to, for exact tests of windows, `Retry-After` and expiry.
public final class ManualClock: TenancyClock {
    private let time: Synchronized<Timestamp>

    /// Creates a clock stopped at `start`.
    /// - Parameter start: The initial time.
    public init(at start: Timestamp) {
        time = Synchronized(start)
    }

    /// The time the clock is stopped at.
    public var now: Timestamp {
        time.withLock { $0 }
    }

    /// Sets the clock.
    /// - Parameter time: The new time; may be earlier than the current one.
    public func set(_ time: Timestamp) {
        self.time.withLock { $0 = time }
    }

    /// Moves the clock forward, saturating at the representable range like ``Timestamp/+(_:_:)``
    /// (`Atomic.add` would trap on overflow instead).
    /// - Parameter duration: How far; negative durations move it back.
    public func advance(by duration: Duration) {
        time.withLock { $0 = $0 + duration }
    }
}
