/// Whether a tenant may make requests.
public enum TenantStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// The tenant is served.
    case active
    /// The tenant exists but every request is refused with 403 `tenant_suspended`.
    case suspended
}
