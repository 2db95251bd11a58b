/// The precondition of a config-store write: optimistic concurrency without check-then-act races.
public enum WriteCondition: Hashable, Sendable {
    /// Write whatever is there (create or replace).
    case always
    /// Write only if no tenant with the ID exists (an atomic create).
    case mustNotExist
    /// Write only if the tenant exists, at any version.
    case mustExist
    /// Write only if the tenant exists at exactly this version (`If-Match`).
    case version(Int64)
}
