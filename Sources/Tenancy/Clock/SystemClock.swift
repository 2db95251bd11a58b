#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating system's real-time clock, read through the vDSO without a syscall.
///
/// Quota windows and `Retry-After` are whole seconds, so the engines default to ``coarse``: Linux's
/// `CLOCK_REALTIME_COARSE` is updated every scheduler tick (1-4 ms) and costs a fifth of a precise read
/// (7 ns against 35 ns on the benchmark machine, see docs/performance.md). ``precise`` is
/// `CLOCK_REALTIME`. On platforms without a coarse clock both are precise.
public struct SystemClock: TenancyClock {
    /// How fine the readings are.
    public enum Resolution: Sendable, Hashable {
        /// Nanosecond readings (`CLOCK_REALTIME`).
        case precise
        /// Scheduler-tick readings (`CLOCK_REALTIME_COARSE`), for hot paths that need seconds.
        case coarse
    }

    /// How fine the readings are.
    public let resolution: Resolution
    private let clockID: clockid_t

    /// Creates the system clock.
    /// - Parameter resolution: Precise by default.
    public init(resolution: Resolution = .precise) {
        self.resolution = resolution
        #if os(Linux)
        clockID = resolution == .coarse ? CLOCK_REALTIME_COARSE : CLOCK_REALTIME
        #else
        clockID = CLOCK_REALTIME
        #endif
    }

    /// The clock with nanosecond readings.
    public static let precise = SystemClock(resolution: .precise)
    /// The clock with scheduler-tick readings, the quota engines' default.
    public static let coarse = SystemClock(resolution: .coarse)

    /// The current time.
    public var now: Timestamp {
        var spec = timespec()
        clock_gettime(clockID, &spec)
        return Timestamp(
            nanosecondsSinceEpoch: Int64(spec.tv_sec) &* Timestamp.nanosecondsPerSecond &+ Int64(spec.tv_nsec))
    }
}
