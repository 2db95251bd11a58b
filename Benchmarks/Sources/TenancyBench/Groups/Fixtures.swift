import Tenancy

/// Inputs shared by the groups.
enum Fixtures {
    /// The number of hot tenants the throughput benchmarks cycle through.
    static let hotTenantCount = 1_000

    /// Limits no benchmark run can reach (10^9 requests and 4 * 10^9 tokens a minute per tenant, while a run
    /// spends under 10^6 of each), so every decision is an allowed one that counts both dimensions. Both fit
    /// in 32 bits, like any real per-tenant limit, so the engines use their packed layouts (three words).
    static func unreachableQuota(_ algorithm: QuotaAlgorithm) -> QuotaConfig {
        QuotaConfig(
            algorithm: algorithm,
            limits: [QuotaLimit(window: .minute, requests: 1_000_000_000, tokens: 4_000_000_000)])
    }

    /// What each throughput call consumes: one request and ten tokens.
    static let cost = QuotaCost(requests: 1, tokens: 10)

    /// `tenant-0000` ... `tenant-0999`.
    static func hotTenants(count: Int = hotTenantCount) -> [TenantID] {
        (0..<count).map { index in
            tenantID("tenant-" + String(repeating: "0", count: max(0, 4 - String(index).count)) + String(index))
        }
    }

    /// A valid ID, or a loud failure.
    static func tenantID(_ raw: String) -> TenantID {
        do throws(TenancyError) {
            return try TenantID(raw)
        } catch {
            benchmarkFailure("'\(raw)' is not a valid tenant ID: \(error.message)")
        }
    }
}
