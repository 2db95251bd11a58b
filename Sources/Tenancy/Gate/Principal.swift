/// An authenticated identity, as established by the application's authentication (a verified JWT, an API
/// key lookup). When it carries a tenant, the ``TenantResolutionStrategy/principal`` strategy resolves to it
/// and nothing the client sends can override that.
public struct Principal: Hashable, Sendable {
    /// Who authenticated (a user ID, an API key's name).
    public var subject: String
    /// The tenant the identity belongs to, if it belongs to exactly one.
    public var tenant: TenantID?

    /// Creates a principal.
    /// - Parameters:
    ///   - subject: Who authenticated.
    ///   - tenant: The tenant the identity belongs to, if any.
    public init(subject: String, tenant: TenantID?) {
        self.subject = subject
        self.tenant = tenant
    }
}
