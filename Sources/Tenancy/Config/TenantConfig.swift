/// Everything the library knows about one tenant. A value: a copy can never change a stored config.
public struct TenantConfig: Hashable, Sendable {
    /// The tenant's identifier.
    public var id: TenantID
    /// Whether the tenant is served.
    public var status: TenantStatus
    /// The tenant's quota.
    public var quota: QuotaConfig
    /// What the tenant may call.
    public var policy: PolicyConfig
    /// Free-form labels (plan, owner, region); bounded, never used as metric labels.
    public var metadata: [String: String]
    /// Incremented by the store on every write; 0 before the first write. Used for `If-Match`.
    public var version: Int64
    /// When the tenant was created; set by the store.
    public var createdAt: Timestamp
    /// When the tenant was last written; set by the store.
    public var updatedAt: Timestamp

    /// Creates a config. Version and timestamps are assigned by the store when it is written.
    /// - Parameters:
    ///   - id: The tenant's identifier.
    ///   - status: Whether the tenant is served; active by default.
    ///   - quota: The tenant's quota; unlimited by default.
    ///   - policy: What the tenant may call; everything by default.
    ///   - metadata: Free-form labels.
    public init(
        id: TenantID, status: TenantStatus = .active, quota: QuotaConfig = .unlimited,
        policy: PolicyConfig = .allowAll, metadata: [String: String] = [:]
    ) {
        self.id = id
        self.status = status
        self.quota = quota
        self.policy = policy
        self.metadata = metadata
        self.version = 0
        self.createdAt = Timestamp(nanosecondsSinceEpoch: 0)
        self.updatedAt = Timestamp(nanosecondsSinceEpoch: 0)
    }
}
