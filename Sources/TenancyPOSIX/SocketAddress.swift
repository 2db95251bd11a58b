#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 socket address parsed from a numeric host and a port; no name resolution.
package struct SocketAddress: Sendable, CustomStringConvertible {
    /// The address, as `sockaddr_in` or `sockaddr_in6` in storage large enough for either.
    private(set) var storage = sockaddr_storage()

    /// `AF_INET` or `AF_INET6`.
    package var family: Int32 { Int32(storage.ss_family) }

    /// The length of the address in ``storage``.
    package var length: socklen_t {
        socklen_t(family == AF_INET6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
    }

    /// Parses `host` (an IPv4 literal, an IPv6 literal with or without brackets, or `localhost`) and `port`;
    /// `nil` for a port outside 0-65535 or a host that is not an address literal (names are not resolved).
    package init?(host: String, port: Int) {
        guard (0...65535).contains(port) else { return nil }
        var literal = host == "localhost" ? "127.0.0.1" : host
        if literal.hasPrefix("["), literal.hasSuffix("]") {
            literal = String(literal.dropFirst().dropLast())
        }
        let networkPort = UInt16(port).bigEndian
        var ipv4 = sockaddr_in()
        var ipv6 = sockaddr_in6()
        if inet_pton(AF_INET, literal, &ipv4.sin_addr) == 1 {
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = networkPort
            Self.copy(&ipv4, into: &storage)
        } else if inet_pton(AF_INET6, literal, &ipv6.sin6_addr) == 1 {
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = networkPort
            Self.copy(&ipv6, into: &storage)
        } else {
            return nil
        }
    }

    /// The address a socket is bound to.
    /// - Parameter descriptor: A bound socket.
    /// - Returns: The address, or `nil` when `getsockname` fails.
    package static func local(of descriptor: Int32) -> SocketAddress? {
        name(of: descriptor, getsockname)
    }

    /// The address of the peer of a connected socket.
    /// - Parameter descriptor: A connected socket.
    /// - Returns: The address, or `nil` when `getpeername` fails (the peer is already gone).
    package static func peer(of descriptor: Int32) -> SocketAddress? {
        name(of: descriptor, getpeername)
    }

    /// What `getsockname` or `getpeername` says.
    private static func name(
        of descriptor: Int32,
        _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) -> SocketAddress? {
        var address = SocketAddress()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &address.storage) { storage in
            storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(descriptor, $0, &length) }
        }
        return status == 0 ? address : nil
    }

    private init() {}

    /// The port, in host byte order.
    package var port: Int {
        withUnsafePointer(to: storage) { storage in
            if family == AF_INET6 {
                storage.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            } else {
                storage.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin_port))
                }
            }
        }
    }

    /// `127.0.0.1:9464` or `[::1]:9464`.
    package var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        withUnsafePointer(to: storage) { storage in
            if family == AF_INET6 {
                storage.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var raw = address.pointee.sin6_addr
                    _ = inet_ntop(AF_INET6, &raw, &text, socklen_t(text.count))
                }
            } else {
                storage.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var raw = address.pointee.sin_addr
                    _ = inet_ntop(AF_INET, &raw, &text, socklen_t(text.count))
                }
            }
        }
        let host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length, for `bind`.
    package func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafePointer(to: storage) { storage in
            storage.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    private static func copy<Address>(_ address: inout Address, into storage: inout sockaddr_storage) {
        withUnsafeBytes(of: &address) { source in
            withUnsafeMutableBytes(of: &storage) { target in
                target.copyMemory(from: source)
            }
        }
    }
}
