import Testing

@testable import Tenancy

@Suite struct TenantConfigTests {
    @Test func isActiveUnlimitedAndAllowsEverythingByDefault() throws {
        let config = TenantConfig(id: try TenantID("acme"))
        #expect(config.status == .active)
        #expect(config.quota == .unlimited)
        #expect(config.policy == .allowAll)
        #expect(config.metadata.isEmpty)
    }

    @Test func startsAtVersionZeroWithEpochTimestampsUntilStored() throws {
        let config = TenantConfig(id: try TenantID("acme"))
        #expect(config.version == 0)
        #expect(config.createdAt == Timestamp(nanosecondsSinceEpoch: 0))
        #expect(config.updatedAt == Timestamp(nanosecondsSinceEpoch: 0))
    }

    @Test func isAValueThatACopyCannotChange() throws {
        let original = TenantConfig(id: try TenantID("acme"), policy: PolicyConfig(allowedModels: ["a"]))
        var copy = original
        copy.policy.allowedModels.append("b")
        copy.metadata["plan"] = "pro"
        #expect(original.policy.allowedModels == ["a"])
        #expect(original.metadata.isEmpty)
        #expect(copy != original)
    }
}
