/// A committed change to a config store, delivered to change handlers so caches can invalidate.
public struct TenantConfigChange: Hashable, Sendable {
    /// What happened.
    public enum Kind: String, Hashable, Sendable {
        /// A tenant was created.
        case created
        /// A tenant was replaced.
        case updated
        /// A tenant was deleted.
        case deleted
    }

    /// What happened.
    public var kind: Kind
    /// Which tenant.
    public var id: TenantID
    /// The version written (the last version, for deletes).
    public var version: Int64

    /// Creates a change.
    public init(kind: Kind, id: TenantID, version: Int64) {
        self.kind = kind
        self.id = id
        self.version = version
    }
}
