import TenancyPOSIX

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HTTPError {
    /// The server's error for a system call that failed while starting on `address`: a taken address is
    /// ``Code/addressInUse``, an address that is not this machine's ``Code/invalidAddress``, anything else
    /// (descriptors, threads, privileges) ``Code/serverFailure``.
    static func starting(_ failure: SystemCallError, on address: SocketAddress) -> HTTPError {
        switch failure.code {
        case EADDRINUSE:
            HTTPError(.addressInUse, "HTTPServer cannot listen on \(address): \(System.describe(failure.code))")
        case EADDRNOTAVAIL, EAFNOSUPPORT:
            HTTPError(.invalidAddress, "HTTPServer cannot listen on \(address): \(failure)")
        default:
            HTTPError(.serverFailure, "HTTPServer cannot start on \(address): \(failure)")
        }
    }
}
