import Foundation
import Tenancy
import Testing

@testable import TenancySQLite

/// A writer killed with SIGKILL in the middle of its write loop leaves a database that opens cleanly with
/// every row it reported as committed.
///
/// The parent test runs this test binary again as a child, filtered to ``writeLoopInChildProcess()`` with
/// ``childDatabaseVariable`` set; the child writes forever, appending `id version` to a report file after
/// each commit returns. The parent waits for a few hundred commits, kills the child without warning, then
/// checks the file.
@Suite struct CrashSafetyTests {
    static let childDatabaseVariable = "TENANCY_SQLITE_CRASH_CHILD_DATABASE"
    static let childReportVariable = "TENANCY_SQLITE_CRASH_CHILD_REPORT"

    static var isChild: Bool { ProcessInfo.processInfo.environment[childDatabaseVariable] != nil }

    #if os(Linux)
    @Test(.enabled(if: !CrashSafetyTests.isChild, "runs the child, not in it"), .timeLimit(.minutes(2)))
    func aWriterKilledMidLoopLeavesEveryReportedCommitIntact() throws {
        let directory = TemporaryDirectory()
        let database = directory.file("tenants.sqlite")
        let report = directory.file("committed.txt")
        let log = directory.file("child.log")
        _ = FileManager.default.createFile(atPath: report, contents: nil)
        _ = FileManager.default.createFile(atPath: log, contents: nil)

        let child = Process()
        // The running test binary itself; /proc/self/exe is absolute whatever argv[0] was.
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        child.arguments = ["--testing-library", "swift-testing", "--filter", "writeLoopInChildProcess"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childDatabaseVariable] = database
        environment[Self.childReportVariable] = report
        child.environment = environment
        let logHandle = try #require(FileHandle(forWritingAtPath: log))
        child.standardOutput = logHandle
        child.standardError = logHandle
        try child.run()

        let target = 300
        // A child that dies on its own (a failed open, a filter that matched nothing) ends the wait early.
        _ = eventually(timeout: .seconds(90)) { !child.isRunning || Self.reported(report).count >= target }
        let reachedTarget = child.isRunning && Self.reported(report).count >= target
        // Die somewhere inside the next write, not at a loop boundary the parent chose.
        usleep(UInt32.random(in: 0..<20_000))
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let childLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try #require(reachedTarget, "the child reported too few commits; its output:\n\(childLog.suffix(4_000))")
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)

        let committed = Self.reported(report)
        let connection = try SQLiteConnection(path: database)
        #expect(try connection.rows("PRAGMA integrity_check") == [[.text("ok")]])
        connection.close()

        let store = try SQLiteTenantConfigStore(path: database, configuration: storeConfiguration())
        var stored: [TenantID: Int64] = [:]
        var cursor: TenantID?
        repeat {
            let page = try store.list(after: cursor, limit: TenantPage.maximumLimit)
            for config in page.tenants { stored[config.id] = config.version }
            cursor = page.nextAfter
        } while cursor != nil
        var missing: [String] = []
        for (id, version) in committed where (stored[id] ?? 0) < version {
            missing.append("\(id) v\(version)")
        }
        #expect(missing == [], "reported as committed but not in the database after the crash")
        // At most the one write in flight when the child died may be there without having been reported.
        #expect(stored.count <= Set(committed.keys).count + 1)
    }
    #endif

    /// The child's loop: create `t-N`, then update it, reporting each commit after it returns. Runs only
    /// when the parent set ``childDatabaseVariable``.
    @Test(.enabled(if: CrashSafetyTests.isChild, "only in the child process the crash test spawns"))
    func writeLoopInChildProcess() throws {
        let environment = ProcessInfo.processInfo.environment
        let database = try #require(environment[Self.childDatabaseVariable])
        let report = try #require(environment[Self.childReportVariable])
        let descriptor = open(report, O_WRONLY | O_APPEND)
        try #require(descriptor >= 0)
        // Durable commits (the default), and no cache: every write goes to the file.
        let store = try SQLiteTenantConfigStore(
            path: database,
            configuration: .init(
                cacheCapacity: 0, negativeCacheCapacity: 0, externalChangePollInterval: nil,
                database: .init(connection: .init(synchronous: .full))))
        for index in 0..<1_000_000 {
            let id = TenantID.valid("t-\(index)")
            let created = try store.upsert(
                TenantConfig(id: id, metadata: ["payload": String(repeating: "x", count: 512)]), condition: .mustNotExist)
            Self.report(id, created.version, to: descriptor)
            var changed = created
            changed.metadata["step"] = "updated"
            let updated = try store.upsert(changed, condition: .version(created.version))
            Self.report(id, updated.version, to: descriptor)
        }
    }

    /// One `write(2)` per line: the kernel keeps it even if the process dies right after.
    static func report(_ id: TenantID, _ version: Int64, to descriptor: Int32) {
        let line = Array("\(id) \(version)\n".utf8)
        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    /// The highest version reported per tenant; a torn last line is ignored.
    static func reported(_ path: String) -> [TenantID: Int64] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var versions: [TenantID: Int64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let id = TenantID(validating: String(fields[0])), let version = Int64(fields[1])
            else { continue }
            versions[id] = max(versions[id] ?? 0, version)
        }
        return versions
    }
}
