import Foundation
import Tenancy

@testable import TenancySQLite

/// A fresh directory under the system's temporary directory, removed with everything in it when the value
/// is released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tenancy-sqlite-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String {
        path + "/" + name
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension TenantID {
    /// A tenant ID from a literal known to be valid, for tests.
    static func valid(_ raw: String) -> TenantID {
        TenantID(validating: raw)!
    }
}

/// Runs `body` on `count` threads of their own at once (not the cooperative pool, whose few threads a
/// blocking body could starve) and returns when all have finished.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    group.wait()
}

/// Polls `condition` every millisecond until it holds or `timeout` passes.
/// - Returns: Whether it held in time.
@discardableResult
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleep(1_000)
    }
    return condition()
}

/// Collects values from many threads, for assertions after they finish.
final class Collector<Value: Sendable>: Sendable {
    private let values = Synchronized<[Value]>([])

    func append(_ value: Value) {
        values.withLock { $0.append(value) }
    }

    var all: [Value] { values.withLock { $0 } }
}

/// A store configuration for tests: no background poll unless asked for, so the caches change only when a
/// test says so.
func storeConfiguration(
    cacheCapacity: Int = 100, negativeCacheCapacity: Int = 100, pollInterval: Duration? = nil,
    filter: Bool = false, readers: Int = 2
) -> SQLiteTenantConfigStore.Configuration {
    SQLiteTenantConfigStore.Configuration(
        cacheCapacity: cacheCapacity, cacheTimeToLive: .seconds(30), negativeCacheCapacity: negativeCacheCapacity,
        negativeCacheTimeToLive: .seconds(5), externalChangePollInterval: pollInterval,
        usesKnownTenantFilter: filter,
        database: SQLiteDatabase.Configuration(
            connection: .init(busyTimeout: .seconds(10), synchronous: .normal), readerCount: readers))
}
