import Tenancy

/// The full gate decision for one of 1,000 hot tenants: `X-Tenant-ID` header resolution, config lookup in
/// an ``InMemoryTenantConfigStore``, policy (allowed methods and models) and a fixed-window quota over an
/// ``InMemoryQuotaStore`` with the enforcer's default clock (``SystemClock/coarse``). Requests are pre-built ``RequestHead`` values; every one
/// must be admitted.
enum AdmissionGateBenchmarks {
    static var group: BenchmarkGroup {
        BenchmarkGroup(
            name: "admission gate",
            benchmarks: [
                Benchmark(
                    name: "gate_admit_1k_tenants",
                    summary: "AdmissionGate.admit: header resolution + policy + fixed-window quota, 1,000 tenants",
                    body: .timed(setUp: { await batch() }))
            ])
    }

    /// A small, non-empty policy: two methods and two models allowed.
    static let policy = PolicyConfig(allowedModels: ["gpt-4o", "gpt-4o-mini"], allowedMethods: ["GET", "POST"])

    private static func batch() async -> Benchmark.Batch {
        let configs = InMemoryTenantConfigStore()
        let tenants = Fixtures.hotTenants()
        for tenant in tenants {
            let config = TenantConfig(id: tenant, quota: Fixtures.unreachableQuota(.fixedWindow), policy: policy)
            do throws(TenancyError) {
                _ = try configs.upsert(config, condition: .mustNotExist)
            } catch {
                benchmarkFailure("cannot store tenant \(tenant): \(error.message)")
            }
        }
        let gate = AdmissionGate(
            store: configs, quota: QuotaEnforcer(store: InMemoryQuotaStore()))
        // A chat-completion call: the model is required by the route and allowed by the policy, and the token
        // count comes from its header, so both quota dimensions are counted.
        let requests = tenants.map { tenant in
            RequestHead(
                method: "POST", target: "/api/v1/chat/completions",
                headers: [
                    HeaderField("X-Tenant-ID", tenant.rawValue),
                    HeaderField("X-Model", "gpt-4o"),
                    HeaderField("X-Token-Count", "10"),
                ])
        }
        return { count in
            var checksum: UInt64 = 0
            var index = 0
            for _ in 0..<count {
                switch await gate.admit(requests[index], requirements: .model) {
                case .admitted(let admitted):
                    checksum &+= UInt64(bitPattern: admitted.quota?.remainingTokens ?? 0)
                case .rejected(let rejection):
                    benchmarkFailure("gate refused \(requests[index].headers[0].value): \(rejection.status) \(rejection.detail)")
                }
                index += 1
                if index == requests.count { index = 0 }
            }
            return checksum
        }
    }
}
