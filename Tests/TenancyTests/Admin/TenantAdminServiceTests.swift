import Testing

@testable import Tenancy

@Suite struct TenantAdminServiceTests {
    let clock = ManualClock(at: Timestamp(year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 20))
    let observer = RecordingObserver()
    let store: InMemoryTenantConfigStore
    let service: TenantAdminService

    init() {
        store = InMemoryTenantConfigStore(clock: clock)
        service = TenantAdminService(
            store: store, quota: QuotaEnforcer(store: InMemoryQuotaStore(), clock: clock),
            observers: TenancyObservers([observer]))
    }

    @Test func createsATenantAtVersionOneAndAuditsIt() async throws {
        let created = try await service.create(TenantConfig(id: .valid("acme")), actor: "ops")
        #expect(created.version == 1)
        #expect(try await service.tenant(.valid("acme")) == created)
        #expect(observer.admins.map(\.action) == [.created])
        #expect(observer.admins.first?.actor == "ops")
    }

    @Test func creatingAnExistingTenantIsAConflict() async throws {
        _ = try await service.create(TenantConfig(id: .valid("acme")))
        await #expect(throws: TenancyError(.tenantExists, "tenant 'acme' already exists (version 1)")) {
            try await service.create(TenantConfig(id: .valid("acme"), status: .suspended))
        }
        #expect(try await service.tenant(.valid("acme")).status == .active)
        #expect(observer.admins.count == 1)
    }

    @Test func validationErrorsNameEveryBadField() async throws {
        let config = TenantConfig(
            id: .valid("acme"),
            quota: QuotaConfig(limits: [
                QuotaLimit(window: .minute, requests: -1), QuotaLimit(window: .minute, tokens: 10),
            ]),
            policy: PolicyConfig(allowedModels: ["gpt 4"], allowedMethods: ["G E T"], allowedPaths: ["api/*", "/a*b"]))
        let error = try await #require(throws: TenancyError.self) { try await service.create(config) }
        #expect(error.code == .invalidConfiguration)
        #expect(
            error.fieldErrors.map(\.field) == [
                "quota.limits[0].requests", "quota.limits[1].window", "policy.allowed_models[0]",
                "policy.allowed_methods[0]", "policy.allowed_paths[0]", "policy.allowed_paths[1]",
            ])
        #expect(observer.admins.isEmpty)
    }

    @Test func gettingAnUnknownTenantIsNotFound() async {
        await #expect(throws: TenancyError(.tenantNotFound, "tenant 'ghost' does not exist")) {
            try await service.tenant(.valid("ghost"))
        }
    }

    @Test func replaceHonoursIfMatch() async throws {
        _ = try await service.create(TenantConfig(id: .valid("acme")))
        let replaced = try await service.replace(TenantConfig(id: .valid("acme"), status: .suspended), ifMatch: 1)
        #expect(replaced.version == 2)
        await #expect(throws: TenancyError(.versionConflict, "tenant 'acme' is at version 2, not 1")) {
            try await service.replace(TenantConfig(id: .valid("acme")), ifMatch: 1)
        }
        #expect(observer.admins.map(\.action) == [.created, .replaced])
    }

    @Test func replacingAMissingTenantIsNotFoundEvenWithoutIfMatch() async {
        await #expect(throws: TenancyError(.tenantNotFound, "tenant 'ghost' does not exist")) {
            try await service.replace(TenantConfig(id: .valid("ghost")))
        }
    }

    @Test func updatingTheQuotaKeepsThePolicy() async throws {
        let policy = PolicyConfig(allowedModels: ["gpt-4o"])
        _ = try await service.create(TenantConfig(id: .valid("acme"), policy: policy))
        let quota = QuotaConfig(algorithm: .tokenBucket, limits: [QuotaLimit(window: .hour, requests: 10)])
        let updated = try await service.updateQuota(.valid("acme"), quota)
        #expect(updated.quota == quota)
        #expect(updated.policy == policy)
        #expect(updated.version == 2)
        #expect(observer.admins.map(\.action) == [.created, .quotaUpdated])
    }

    @Test func updatingThePolicyKeepsTheQuotaAndChecksIfMatch() async throws {
        let quota = QuotaConfig(limits: [QuotaLimit(window: .day, tokens: 1_000)])
        _ = try await service.create(TenantConfig(id: .valid("acme"), quota: quota))
        await #expect(throws: TenancyError(.versionConflict, "tenant 'acme' is at version 1, not 9")) {
            try await service.updatePolicy(.valid("acme"), PolicyConfig(allowedTools: ["search"]), ifMatch: 9)
        }
        let updated = try await service.updatePolicy(.valid("acme"), PolicyConfig(allowedTools: ["search"]), ifMatch: 1)
        #expect(updated.quota == quota)
        #expect(updated.policy.allowedTools == ["search"])
        #expect(observer.admins.map(\.action) == [.created, .policyUpdated])
    }

    @Test func updatingAnInvalidQuotaGivesFieldErrors() async throws {
        _ = try await service.create(TenantConfig(id: .valid("acme")))
        let error = try await #require(throws: TenancyError.self) {
            try await service.updateQuota(.valid("acme"), QuotaConfig(limits: [QuotaLimit(window: .hour, tokens: -2)]))
        }
        #expect(error.fieldErrors.map(\.field) == ["quota.limits[0].tokens"])
    }

    @Test func concurrentQuotaUpdatesWithoutIfMatchAllLand() async throws {
        _ = try await service.create(TenantConfig(id: .valid("acme")))
        await withTaskGroup(of: Void.self) { group in
            for index in 1...4 {
                group.addTask {
                    _ = try? await service.updateQuota(
                        .valid("acme"), QuotaConfig(limits: [QuotaLimit(window: .minute, requests: Int64(index))]))
                }
            }
        }
        #expect(try await service.tenant(.valid("acme")).version == 5)
    }

    @Test func deleteRemovesTheTenantAndAuditsIt() async throws {
        _ = try await service.create(TenantConfig(id: .valid("acme")))
        await #expect(throws: TenancyError(.versionConflict, "tenant 'acme' is at version 1, not 3")) {
            try await service.delete(.valid("acme"), ifMatch: 3)
        }
        #expect(try await service.delete(.valid("acme"), actor: "ops").id == .valid("acme"))
        await #expect(throws: TenancyError.self) { try await service.tenant(.valid("acme")) }
        #expect(observer.admins.map(\.action) == [.created, .deleted])
    }

    @Test func listsTenantsInPages() async throws {
        for raw in ["c", "a", "b"] { _ = try await service.create(TenantConfig(id: .valid(raw))) }
        let page = try await service.list(limit: 2)
        #expect(page.tenants.map(\.id.rawValue) == ["a", "b"])
        #expect(try await service.list(after: page.nextAfter).tenants.map(\.id.rawValue) == ["c"])
    }

    @Test func usageReportsEveryLimitWithoutConsuming() async throws {
        let quota = QuotaConfig(limits: [QuotaLimit(window: .minute, requests: 10, tokens: 500)])
        _ = try await service.create(TenantConfig(id: .valid("acme"), quota: quota))
        let gate = AdmissionGate(store: store, quota: service.quota)
        _ = await gate.admit(RequestHead(target: "/", headers: [HeaderField("X-Tenant-ID", "acme")]), tokens: 120)
        let usage = try await service.usage(.valid("acme"))
        let again = try await service.usage(.valid("acme"))
        #expect(usage == again)
        #expect(
            usage.entries == [
                QuotaUsage.Entry(window: .minute, dimension: .requests, limit: 10, used: 1, remaining: 9, reset: .seconds(40)),
                QuotaUsage.Entry(window: .minute, dimension: .tokens, limit: 500, used: 120, remaining: 380, reset: .seconds(40)),
            ])
    }

    @Test func usageOfAnUnknownTenantIsNotFound() async {
        await #expect(throws: TenancyError.self) { try await service.usage(.valid("ghost")) }
    }
}
