import Tenancy

/// The tenants both ping servers serve, so that the load run compares HTTP stacks doing the same tenancy
/// work: an ``InMemoryTenantConfigStore`` lookup, a policy with a non-empty method allow-list (so the
/// policy check compares, instead of short-cutting on "allow all") and a fixed-window quota that counts
/// every request but can never be reached by a run.
public enum PingTenants {
    /// The tenant the load script sends in `X-Tenant-ID`.
    public static let loadTenant = "acme"

    /// `acme` and three neighbours: the store holds a few tenants, as a small deployment would.
    public static let names = ["acme", "globex", "initech", "umbrella"]

    /// 10^9 requests a minute: a 20-second run at 10^5 requests a second spends 2 * 10^6, so nothing is
    /// ever rejected and every response is a 200.
    public static let quota = QuotaConfig(
        algorithm: .fixedWindow, limits: [QuotaLimit(window: .minute, requests: 1_000_000_000)])

    /// The ping is a `GET`; allowing `GET` and `POST` makes the policy check a real comparison.
    public static let policy = PolicyConfig(allowedMethods: ["GET", "POST"])

    /// A store holding ``names``, each with ``quota`` and ``policy``.
    /// - Returns: The store.
    /// - Throws: `TenancyError` when a tenant cannot be stored (it cannot: the names are valid and new).
    public static func makeStore() throws -> InMemoryTenantConfigStore {
        let store = InMemoryTenantConfigStore()
        for name in names {
            _ = try store.upsert(
                TenantConfig(id: TenantID(name), quota: quota, policy: policy), condition: .mustNotExist)
        }
        return store
    }
}
