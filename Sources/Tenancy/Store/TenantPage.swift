/// One page of a tenant listing, in ascending byte order of IDs.
public struct TenantPage: Hashable, Sendable {
    /// The tenants of this page.
    public var tenants: [TenantConfig]
    /// The cursor for the next page (the last ID of this one), or `nil` when this is the last page.
    public var nextAfter: TenantID?

    /// Creates a page.
    public init(tenants: [TenantConfig], nextAfter: TenantID?) {
        self.tenants = tenants
        self.nextAfter = nextAfter
    }

    /// The largest page size stores accept.
    public static let maximumLimit = 1_000
}
