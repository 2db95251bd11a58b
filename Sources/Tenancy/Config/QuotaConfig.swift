/// A tenant's quota: the algorithm and its limits. Every limit is enforced; a request must fit all of
/// them or it consumes nothing. No limits (or only zero limits) means unlimited.
public struct QuotaConfig: Hashable, Sendable, Codable {
    /// How the limits are counted.
    public var algorithm: QuotaAlgorithm
    /// The limits, at most one per window.
    public var limits: [QuotaLimit]

    /// Creates a quota.
    /// - Parameters:
    ///   - algorithm: How the limits are counted; fixed window by default.
    ///   - limits: The limits, at most one per window.
    public init(algorithm: QuotaAlgorithm = .fixedWindow, limits: [QuotaLimit] = []) {
        self.algorithm = algorithm
        self.limits = limits
    }

    /// An unlimited quota.
    public static let unlimited = QuotaConfig()

    /// Whether no dimension of any limit is set.
    public var isUnlimited: Bool {
        limits.allSatisfy { $0.requests == 0 && $0.tokens == 0 }
    }

    enum CodingKeys: String, CodingKey {
        case algorithm, limits
    }

    /// Decodes a quota; a missing algorithm means fixed window, missing limits mean unlimited.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        algorithm = try container.decodeIfPresent(QuotaAlgorithm.self, forKey: .algorithm) ?? .fixedWindow
        limits = try container.decodeIfPresent([QuotaLimit].self, forKey: .limits) ?? []
    }
}
