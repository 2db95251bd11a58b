/// One way of finding a request's tenant: from the authenticated principal, a header, the subdomain, a
/// query parameter, or a custom closure. ``TenantResolver`` tries them in order.
public struct TenantResolutionStrategy: Sendable {
    /// What a strategy found.
    public enum Candidate: Hashable, Sendable {
        /// Nothing; the next strategy is tried.
        case none
        /// A raw value, still to be validated as a ``TenantID``.
        case raw(String)
        /// An already validated tenant (from a principal).
        case id(TenantID)
        /// Something unusable (an ambiguous or malformed value); resolution stops with `invalid`.
        case invalid(String)
    }

    /// The strategy's name: the `source` label of `tenancy_resolutions_total`.
    public let source: String
    @usableFromInline let kind: Kind

    /// The built-in strategies run generically over the request type; only a custom closure needs the
    /// request boxed as `any AdmissionRequest` (a heap allocation for most request types).
    @usableFromInline
    enum Kind: Sendable {
        case principal
        case header(String)
        case query(String)
        case custom(@Sendable (any AdmissionRequest) -> Candidate)
    }

    /// Creates a custom strategy.
    /// - Parameters:
    ///   - source: The name reported as the resolution source.
    ///   - body: Finds the candidate in a request; must not block.
    public init(source: String, _ body: @escaping @Sendable (any AdmissionRequest) -> Candidate) {
        self.init(source: source, kind: .custom(body))
    }

    private init(source: String, kind: Kind) {
        self.source = source
        self.kind = kind
    }

    /// Runs the strategy.
    /// - Parameter request: The request.
    /// - Returns: What it found.
    @inlinable
    public func candidate(in request: some AdmissionRequest) -> Candidate {
        switch kind {
        case .principal:
            return request.principal?.tenant.map(Candidate.id) ?? .none
        case .header(let name):
            guard let value = request.header(name), !value.isEmpty else { return .none }
            return .raw(value)
        case .query(let name):
            return QueryString.candidate(named: name, in: request.target)
        case .custom(let body):
            return body(request)
        }
    }

    /// The tenant of the authenticated ``Principal``. Put it first: nothing the client sends can then
    /// override the identity's tenant.
    public static let principal = TenantResolutionStrategy(source: "principal", kind: .principal)

    /// A header, `X-Tenant-ID` by default. An empty value counts as absent; repeated fields (combined with
    /// commas) are invalid.
    /// - Parameter name: The header name.
    /// - Returns: The strategy.
    public static func header(_ name: String = "X-Tenant-ID") -> TenantResolutionStrategy {
        // Lower-cased once: request heads usually store names lower-cased, so lookups match exactly.
        TenantResolutionStrategy(source: "header", kind: .header(name.asciiLowercased()))
    }

    /// A query parameter, `tenant` by default. Percent-decoded; given more than once it is invalid (HTTP
    /// parameter pollution).
    /// - Parameter name: The parameter name.
    /// - Returns: The strategy.
    public static func queryParameter(_ name: String = "tenant") -> TenantResolutionStrategy {
        TenantResolutionStrategy(source: "query", kind: .query(name))
    }

    /// The leftmost DNS label of a host under one of `baseDomains`: `acme.example.com` -> `acme`.
    ///
    /// Hosts are compared case-insensitively and the label is lower-cased (DNS is case-insensitive, tenant
    /// IDs are not: use lower-case IDs with this strategy). A bare base domain, a reserved label (`www` by
    /// default), an IP literal (IPv4 or `[IPv6]`) or a foreign host yields nothing; more than one label
    /// below the base domain (`a.b.example.com`) is invalid.
    /// - Parameters:
    ///   - baseDomains: The domains tenants are subdomains of, e.g. `["example.com"]`.
    ///   - reserved: Labels that are never tenants.
    /// - Returns: The strategy.
    public static func subdomain(of baseDomains: [String], reserved: Set<String> = ["www"]) -> TenantResolutionStrategy {
        let bases = baseDomains.map { $0.asciiLowercased().trimmingDot() }.filter { !$0.isEmpty }
        let reserved = Set(reserved.map { $0.asciiLowercased() })
        return TenantResolutionStrategy(source: "subdomain") { request in
            guard let host = request.host.flatMap(HostName.init) else { return .none }
            for base in bases {
                guard let label = host.label(under: base) else { continue }
                if label.isEmpty || reserved.contains(label) { return .none }
                if label.contains(".") { return .invalid("the host has more than one label below '\(base)'") }
                return .raw(label)
            }
            return .none
        }
    }
}

/// A host name from a `Host` value: lower-cased, port and trailing dot removed; `nil` for IP literals.
struct HostName {
    let name: String

    init?(_ raw: String) {
        var host = Substring(raw)
        if host.hasPrefix("[") { return nil }  // IPv6 literal, never a tenant
        if let colon = host.lastIndex(of: ":") {
            guard host[host.index(after: colon)...].allSatisfy(\.isASCIIDigit) else { return nil }
            host = host[..<colon]
        }
        let name = String(host).asciiLowercased().trimmingDot()
        guard !name.isEmpty, name.utf8.count <= 253, name.utf8.allSatisfy({ $0 < 0x80 }),
            !name.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) })
        else { return nil }  // empty, too long, not ASCII, or an IPv4 literal
        self.name = name
    }

    /// The part before `.base`; empty when the host is the base itself; `nil` when the host is elsewhere.
    func label(under base: String) -> String? {
        if name == base { return "" }
        guard name.hasSuffix("." + base) else { return nil }
        return String(name.dropLast(base.count + 1))
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    func trimmingDot() -> String {
        hasSuffix(".") ? String(dropLast()) : self
    }
}

/// The `application/x-www-form-urlencoded` query of a request target.
@usableFromInline
package enum QueryString {
    @usableFromInline
    static func candidate(named name: String, in target: String) -> TenantResolutionStrategy.Candidate {
        guard let questionMark = target.firstIndex(of: "?") else { return .none }
        var query = target[target.index(after: questionMark)...]
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        var found: String?
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard decode(parts[0]) == name else { continue }
            guard found == nil else { return .invalid("query parameter '\(name)' is given more than once") }
            guard let value = decode(parts.count > 1 ? parts[1] : "") else {
                return .invalid("query parameter '\(name)' is not validly percent-encoded")
            }
            found = value
        }
        guard let found, !found.isEmpty else { return .none }
        return .raw(found)
    }

    /// Percent-decodes and turns `+` into a space; `nil` for a malformed escape or invalid UTF-8.
    package static func decode(_ text: Substring) -> String? {
        guard text.contains(where: { $0 == "%" || $0 == "+" }) else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
