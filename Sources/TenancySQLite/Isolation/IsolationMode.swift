/// Who is preparing and running statements on a connection right now; the authorizer's whole notion of
/// trust.
enum IsolationMode: Sendable, Hashable {
    /// Anything not prepared by the library: raw SQL through the escape hatch, or any statement outside a
    /// scope's operation. Tenant tables, DDL, `PRAGMA`, `ATTACH` and `load_extension` are denied.
    case untrusted
    /// A statement the query builder wrote, for the bound tenant: tenant tables are allowed (the builder
    /// filtered them) and the guard triggers compare rows with the bound tenant.
    case builder
    /// A statement of the cross-tenant scope: tenant tables are allowed and the guard triggers stand down.
    case crossTenant
    /// The store's migrations and guard-trigger installation: DDL and `PRAGMA` are allowed as well.
    case migration
}
