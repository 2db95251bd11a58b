/// A tenant's quota: the algorithm and its limits. Every limit is enforced; a request must fit all of
/// them or it consumes nothing. No limits (or only zero limits) means unlimited.
///
/// A value, compared and hashed by its algorithm and limits. The fields live in an immutable box together
/// with what the quota engines derive from them (the state layout, divisors of the limits), computed once
/// here rather than on every decision; a change through a setter builds a new box.
public struct QuotaConfig: Hashable, Sendable, Codable {
    /// How the limits are counted.
    public var algorithm: QuotaAlgorithm {
        get { plan.algorithm }
        set { plan = QuotaPlan(algorithm: newValue, limits: plan.limits) }
    }
    /// The limits, at most one per window.
    public var limits: [QuotaLimit] {
        _read { yield plan.limits }
        set { plan = QuotaPlan(algorithm: plan.algorithm, limits: newValue) }
    }

    /// The fields and what the engines derive from them.
    private(set) var plan: QuotaPlan

    /// Creates a quota.
    /// - Parameters:
    ///   - algorithm: How the limits are counted; fixed window by default.
    ///   - limits: The limits, at most one per window.
    public init(algorithm: QuotaAlgorithm = .fixedWindow, limits: [QuotaLimit] = []) {
        plan = QuotaPlan(algorithm: algorithm, limits: limits)
    }

    /// An unlimited quota.
    public static let unlimited = QuotaConfig()

    /// Whether no dimension of any limit is set.
    public var isUnlimited: Bool {
        plan.activeLimits.isEmpty
    }

    public static func == (lhs: QuotaConfig, rhs: QuotaConfig) -> Bool {
        lhs.plan === rhs.plan || (lhs.algorithm == rhs.algorithm && lhs.limits == rhs.limits)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(algorithm)
        hasher.combine(limits)
    }

    enum CodingKeys: String, CodingKey {
        case algorithm, limits
    }

    /// Decodes a quota; a missing algorithm means fixed window, missing limits mean unlimited.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            algorithm: try container.decodeIfPresent(QuotaAlgorithm.self, forKey: .algorithm) ?? .fixedWindow,
            limits: try container.decodeIfPresent([QuotaLimit].self, forKey: .limits) ?? [])
    }

    /// Encodes the algorithm and the limits, as the synthesized encoding did.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(algorithm, forKey: .algorithm)
        try container.encode(limits, forKey: .limits)
    }
}
