/// Everything the library knows about one tenant. A value: a copy can never change a stored config.
///
/// The fields live in one copy-on-write box, so handing a config out of a store (on every request) costs
/// one reference-count operation instead of one per array and dictionary; a write through any copy
/// copies the box first.
public struct TenantConfig: Hashable, Sendable {
    /// The tenant's identifier.
    public var id: TenantID {
        _read { yield storage.fields.id }
        set { mutate { $0.id = newValue } }
    }
    /// Whether the tenant is served.
    public var status: TenantStatus {
        _read { yield storage.fields.status }
        set { mutate { $0.status = newValue } }
    }
    /// The tenant's quota.
    public var quota: QuotaConfig {
        _read { yield storage.fields.quota }
        set { mutate { $0.quota = newValue } }
    }
    /// What the tenant may call.
    public var policy: PolicyConfig {
        _read { yield storage.fields.policy }
        set { mutate { $0.policy = newValue } }
    }
    /// Free-form labels (plan, owner, region); bounded, never used as metric labels.
    public var metadata: [String: String] {
        _read { yield storage.fields.metadata }
        set { mutate { $0.metadata = newValue } }
    }
    /// Incremented by the store on every write; 0 before the first write. Used for `If-Match`.
    public var version: Int64 {
        _read { yield storage.fields.version }
        set { mutate { $0.version = newValue } }
    }
    /// When the tenant was created; set by the store.
    public var createdAt: Timestamp {
        _read { yield storage.fields.createdAt }
        set { mutate { $0.createdAt = newValue } }
    }
    /// When the tenant was last written; set by the store.
    public var updatedAt: Timestamp {
        _read { yield storage.fields.updatedAt }
        set { mutate { $0.updatedAt = newValue } }
    }

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
        storage = Storage(
            Fields(
                id: id, status: status, quota: quota, policy: policy, metadata: metadata, version: 0,
                createdAt: Timestamp(nanosecondsSinceEpoch: 0), updatedAt: Timestamp(nanosecondsSinceEpoch: 0)))
    }

    public static func == (lhs: TenantConfig, rhs: TenantConfig) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(storage.fields)
    }

    private var storage: Storage

    /// Every change makes a new box: configs change rarely (admin writes), and an immutable box lets every
    /// read borrow its fields in place. With a mutable box each read of the policy on the request path
    /// copied it (four array retains and releases), since the compiler cannot prove a class's `var` unchanged.
    private mutating func mutate(_ change: (inout Fields) -> Void) {
        var fields = storage.fields
        change(&fields)
        storage = Storage(fields)
    }

    private struct Fields: Hashable, Sendable {
        var id: TenantID
        var status: TenantStatus
        var quota: QuotaConfig
        var policy: PolicyConfig
        var metadata: [String: String]
        var version: Int64
        var createdAt: Timestamp
        var updatedAt: Timestamp
    }

    private final class Storage: Sendable {
        let fields: Fields

        init(_ fields: Fields) {
            self.fields = fields
        }
    }
}
