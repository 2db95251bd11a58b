import TenancyPOSIX

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension MetricsError {
    /// The listener's error for a system call that failed while starting on `address`: a taken address is
    /// ``Code/addressInUse``, an address that is not this machine's ``Code/invalidAddress``, anything else
    /// (descriptors, threads, privileges) ``Code/listenerFailure``.
    static func starting(_ failure: SystemCallError, on address: SocketAddress) -> MetricsError {
        let reason = System.describe(failure.code)
        switch failure.code {
        case EADDRINUSE:
            return MetricsError(.addressInUse, "MetricsListener cannot listen on \(address): \(reason)")
        case EADDRNOTAVAIL, EAFNOSUPPORT:
            return MetricsError(.invalidAddress, "MetricsListener cannot listen on \(address): \(failure)")
        default:
            return MetricsError(.listenerFailure, "MetricsListener cannot start on \(address): \(failure)")
        }
    }
}
