/// One tenant that changes shard between two routing layouts, as reported by
/// ``ShardRouter/moves(to:tenants:)``.
public struct ShardMove: Hashable, Sendable, CustomStringConvertible {
    /// The tenant that moves.
    public var tenant: TenantID
    /// The tenant's shard in the current layout.
    public var from: Int
    /// The tenant's shard in the new layout.
    public var to: Int

    /// Creates a move.
    /// - Parameters:
    ///   - tenant: The tenant that moves.
    ///   - from: Its shard in the current layout.
    ///   - to: Its shard in the new layout.
    public init(tenant: TenantID, from: Int, to: Int) {
        self.tenant = tenant
        self.from = from
        self.to = to
    }

    /// `tenant: from -> to`, for logs and migration plans.
    public var description: String { "\(tenant): \(from) -> \(to)" }
}
