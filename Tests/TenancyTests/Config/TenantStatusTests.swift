import Testing

@testable import Tenancy

@Suite struct TenantStatusTests {
    @Test func spellsStatusesAsTheAdminAPIDoes() {
        #expect(TenantStatus.allCases.map(\.rawValue) == ["active", "suspended"])
    }
}
