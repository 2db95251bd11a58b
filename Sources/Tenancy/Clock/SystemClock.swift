#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating system's real-time clock (`CLOCK_REALTIME`), read through the vDSO without a syscall.
public struct SystemClock: TenancyClock {
    /// Creates the system clock.
    public init() {}

    /// The current time.
    public var now: Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(
            nanosecondsSinceEpoch: Int64(spec.tv_sec) &* Timestamp.nanosecondsPerSecond &+ Int64(spec.tv_nsec))
    }
}
