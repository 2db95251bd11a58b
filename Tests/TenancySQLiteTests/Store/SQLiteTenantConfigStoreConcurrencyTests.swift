import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

/// Writers racing each other, in one store and across stores on one file.
@Suite struct SQLiteTenantConfigStoreConcurrencyTests {
    let directory = TemporaryDirectory()
    let clock = ManualClock(at: Timestamp(year: 2026, month: 1, day: 1))

    func open() throws -> SQLiteTenantConfigStore {
        try SQLiteTenantConfigStore(path: directory.file("tenants.sqlite"), configuration: storeConfiguration(), clock: clock)
    }

    /// Read-modify-write with `If-Match` semantics: retried on a version conflict, never lost.
    static func increment(_ store: SQLiteTenantConfigStore, _ id: TenantID) throws(TenancyError) {
        while true {
            guard var config = try store.configSynchronously(for: id) else { throw TenancyError(.tenantNotFound, "gone") }
            let expected = config.version
            config.metadata["count"] = String((Int(config.metadata["count"] ?? "0") ?? 0) + 1)
            let outcome = Result { () throws(TenancyError) in try store.upsert(config, condition: .version(expected)) }
            switch outcome {
            case .success:
                return
            case .failure(let error) where error.code == .versionConflict:
                continue
            case .failure(let error):
                throw error
            }
        }
    }

    @Test func optimisticWritersOnOneStoreLoseNoIncrement() throws {
        let store = try open()
        _ = try store.upsert(TenantConfig(id: .valid("acme")), condition: .always)
        let failures = Collector<String>()
        onThreads(8) { _ in
            for _ in 0..<15 {
                do { try Self.increment(store, .valid("acme")) } catch { failures.append("\(error)") }
            }
        }
        #expect(failures.all == [])
        let final = try #require(try store.configSynchronously(for: .valid("acme")))
        #expect(final.metadata["count"] == "120")
        #expect(final.version == 121)
    }

    @Test func optimisticWritersOnSeparateStoresOfOneFileLoseNoIncrement() throws {
        let stores = try (0..<3).map { _ in try open() }
        _ = try stores[0].upsert(TenantConfig(id: .valid("acme")), condition: .always)
        let failures = Collector<String>()
        onThreads(6) { index in
            let store = stores[index % stores.count]
            for _ in 0..<10 {
                do {
                    // Another store's commit is invisible to this one's cache until it polls.
                    try store.pollForExternalChanges()
                    try Self.increment(store, .valid("acme"))
                } catch {
                    failures.append("\(error)")
                }
            }
        }
        #expect(failures.all == [])
        let fresh = try open()
        let final = try #require(try fresh.configSynchronously(for: .valid("acme")))
        #expect(final.metadata["count"] == "60")
        #expect(final.version == 61)
    }

    @Test func racingCreatesOfOneIDHaveExactlyOneWinner() throws {
        let stores = try (0..<2).map { _ in try open() }
        let outcomes = Collector<String>()
        onThreads(12) { index in
            do throws(TenancyError) {
                let stored = try stores[index % 2].upsert(
                    TenantConfig(id: .valid("contested"), metadata: ["by": "\(index)"]), condition: .mustNotExist)
                outcomes.append("created v\(stored.version)")
            } catch {
                outcomes.append(error.code.rawValue)
            }
        }
        #expect(outcomes.all.sorted() == ["created v1"] + Array(repeating: "tenant_exists", count: 11))
    }

    @Test func concurrentWritersOfDistinctTenantsAllCommit() throws {
        let stores = try (0..<2).map { _ in try open() }
        let failures = Collector<String>()
        onThreads(8) { index in
            for round in 0..<20 {
                do {
                    _ = try stores[index % 2].upsert(TenantConfig(id: .valid("t\(index)-\(round)")), condition: .mustNotExist)
                } catch {
                    failures.append("\(error)")
                }
            }
        }
        #expect(failures.all == [])
        #expect(try stores[0].list(after: nil, limit: 1_000).tenants.count == 160)
    }

    @Test func readersAndWritersInterleaveWithoutErrors() throws {
        let store = try open()
        for index in 0..<10 {
            _ = try store.upsert(TenantConfig(id: .valid("t\(index)")), condition: .always)
        }
        let failures = Collector<String>()
        onThreads(10) { index in
            for round in 0..<50 {
                do {
                    let id = TenantID.valid("t\((index + round) % 10)")
                    if round % 10 == index % 10 {
                        _ = try store.upsert(TenantConfig(id: id, metadata: ["round": "\(round)"]), condition: .always)
                    } else if try store.configSynchronously(for: id) == nil {
                        failures.append("t\(id) vanished")
                    }
                } catch {
                    failures.append("\(error)")
                }
            }
        }
        #expect(failures.all == [])
    }
}
