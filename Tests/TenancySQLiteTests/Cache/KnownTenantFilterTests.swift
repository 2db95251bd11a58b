import Tenancy
import Testing

@testable import TenancySQLite

@Suite struct KnownTenantFilterTests {
    @Test func everyInsertedIDIsReported() {
        var filter = KnownTenantFilter(expectedCount: 5_000)
        let ids = (0..<5_000).map { TenantID.valid("tenant-\($0)") }
        for id in ids { filter.insert(id) }
        #expect(ids.allSatisfy { filter.mightContain($0) })
        #expect(!filter.isOverfull)
    }

    @Test func fewIDsThatWereNeverInsertedAreReported() {
        var filter = KnownTenantFilter(expectedCount: 5_000)
        for index in 0..<5_000 { filter.insert(.valid("tenant-\(index)")) }
        let falsePositives = (0..<50_000).filter { filter.mightContain(.valid("stranger-\($0)")) }.count
        // Sized at 16 bits per expected ID with 8 probes: about 0.06% at the design load, less below it.
        #expect(falsePositives < 150)
    }

    @Test func anEmptyFilterReportsNothing() {
        let filter = KnownTenantFilter(expectedCount: 0)
        #expect(!filter.mightContain(.valid("anyone")))
        #expect(filter.capacity == 1_024)
        #expect(filter.byteCount == 2_048)
    }

    @Test func itIsOverfullOnceMoreIDsThanItsCapacityWereInserted() {
        var filter = KnownTenantFilter(expectedCount: 0)
        for index in 0...filter.capacity { filter.insert(.valid("t\(index)")) }
        #expect(filter.isOverfull)
        #expect(filter.count == 1_025)
    }

    @Test func itsSizeFollowsTheExpectedCount() {
        #expect(KnownTenantFilter(expectedCount: 10_000).capacity == 20_000)
        #expect(KnownTenantFilter(expectedCount: 10_000).byteCount == 65_536)
        #expect(KnownTenantFilter(expectedCount: -3).capacity == 1_024)
    }
}
