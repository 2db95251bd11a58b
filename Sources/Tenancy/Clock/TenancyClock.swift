/// A source of UTC wall-clock time, injected into everything that depends on time.
///
/// Production code uses ``SystemClock``; tests use ``ManualClock`` so that windows, `Retry-After` values
/// and expiries are exact.
public protocol TenancyClock: Sendable {
    /// The current time.
    var now: Timestamp { get }
}
