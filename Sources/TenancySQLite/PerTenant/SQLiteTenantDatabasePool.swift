#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
import Tenancy

/// Database-per-tenant: each tenant's rows live in a file of its own under one directory, opened lazily
/// through a bounded pool of open stores.
///
/// Each file is a full ``SQLiteTenantDataStore`` with the same tenant tables and migrations as the
/// shared-file mode (migrated on first open), so the builder, authorizer and guard triggers still apply
/// inside it and `ATTACH` is denied: a statement can never reach another tenant's file. The file name is
/// derived only from the validated tenant ID (see ``fileName(for:)``), never from other input.
///
/// ## The pool
/// At most ``Configuration/capacity`` stores are open. A tenant's store is *in use* while one of its
/// operations runs; opening another tenant's store when the pool is full closes the least recently used
/// store that is not in use, never one in use. When every open store is in use, the caller waits up to
/// ``Configuration/checkoutTimeout`` for one to become idle, then fails with ``SQLiteError/Code/busy``.
public final class SQLiteTenantDatabasePool: Sendable {
    /// The pool's bounds and the options of each file.
    public struct Configuration: Sendable {
        /// The most stores open at once; at least 1. 64 by default.
        public var capacity: Int
        /// How long a caller waits for a store to become idle when all are in use; 5 seconds by default.
        public var checkoutTimeout: Duration
        /// Each file's connections; by default the writer alone (no readers), to keep file handles low.
        public var database: SQLiteDatabase.Configuration

        /// Creates a configuration.
        /// - Parameters:
        ///   - capacity: The most stores open at once.
        ///   - checkoutTimeout: How long to wait when all are in use.
        ///   - database: Each file's connections.
        public init(
            capacity: Int = 64, checkoutTimeout: Duration = .seconds(5),
            database: SQLiteDatabase.Configuration = .init(readerCount: 0)
        ) {
            self.capacity = capacity
            self.checkoutTimeout = checkoutTimeout
            self.database = database
        }
    }

    /// One tenant's slot: its store, opened on first use under the slot's own lock, so opening one
    /// tenant's file never blocks the others.
    private final class Slot: Sendable {
        let store = Synchronized<SQLiteTenantDataStore?>(nil)
    }

    private struct Entry {
        var slot: Slot
        var users: Int
        var lastUse: UInt64
    }

    private struct State {
        var entries: [TenantID: Entry] = [:]
        var clock: UInt64 = 0
        var waiters: [DispatchSemaphore] = []
        var opens = 0
        var isClosed = false
    }

    private enum Checkout {
        case slot(Slot, evicted: Slot?)
        case wait(DispatchSemaphore)
    }

    /// The directory holding the files.
    public let directory: String
    /// The pool's bounds and file options.
    public let configuration: Configuration
    private let tables: [String]
    private let migrations: [Migration]
    private let state = Synchronized(State())

    /// Creates the pool (and the directory, when missing); opens no file yet.
    /// - Parameters:
    ///   - directory: Where the files live.
    ///   - tenantTables: The tables that hold tenant rows in each file.
    ///   - migrations: Each file's schema, applied on its first open.
    ///   - configuration: Bounds and file options.
    /// - Throws: ``SQLiteError``: ``SQLiteError/Code/misuse`` for a capacity below 1 or bad migrations,
    ///   ``SQLiteError/Code/error`` for an invalid table name, ``SQLiteError/Code/cannotOpen`` when the
    ///   directory cannot be created.
    public init(
        directory: String, tenantTables: [String], migrations: [Migration], configuration: Configuration = .init()
    ) throws(SQLiteError) {
        guard configuration.capacity >= 1 else {
            throw SQLiteError(.misuse, "a tenant database pool needs a capacity of at least 1")
        }
        _ = try TenantTableSet(tenantTables)
        _ = try Migrator(migrations)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SQLiteError(.cannotOpen, "cannot create the tenant database directory '\(directory)': \(error)")
        }
        self.directory = directory
        self.configuration = configuration
        self.tables = tenantTables
        self.migrations = migrations
    }

    /// A handle on `tenant`'s own database; its file is opened (and created and migrated) on first use.
    /// - Parameter tenant: The tenant.
    /// - Returns: The scope.
    public func scoped(to tenant: TenantID) -> SQLiteTenantScope {
        SQLiteTenantScope(tenant: tenant, provider: self)
    }

    /// The file name of `tenant`'s database inside ``directory``; see ``TenantFileName``'s rules: only
    /// `a-z0-9-_`, never `.` or `..`, injective and case-safe.
    /// - Parameter tenant: The tenant.
    /// - Returns: A name like `t-acme.sqlite`.
    /// - Throws: ``SQLiteError`` with ``SQLiteError/Code/cannotOpen`` for an ID too long to be a file name.
    public static func fileName(for tenant: TenantID) throws(SQLiteError) -> String {
        try TenantFileName.name(for: tenant)
    }

    /// How many stores are open (or opening) now.
    public var openCount: Int { state.withLock { $0.entries.count } }

    /// How many callers are waiting for a store to become idle.
    package var waitingCount: Int { state.withLock { $0.waiters.count } }

    /// How many times a file was opened since the pool was created (an evicted tenant's file counts again).
    public var openings: Int { state.withLock { $0.opens } }

    /// Closes every open store; idempotent. Later operations fail with ``SQLiteError/Code/misuse``.
    public func close() {
        let slots = state.withLock { state -> [Slot] in
            state.isClosed = true
            defer { state.entries.removeAll() }
            for waiter in state.waiters { waiter.signal() }
            state.waiters.removeAll()
            return state.entries.values.map(\.slot)
        }
        for slot in slots { Self.close(slot) }
    }

    // MARK: - Checkout

    /// Marks `tenant`'s slot in use, creating it (and evicting the least recently used idle slot when
    /// full) or waiting while every slot is in use.
    private func checkout(_ tenant: TenantID) throws(SQLiteError) -> Slot {
        let deadline = DispatchTime.now() + .nanoseconds(configuration.checkoutTimeout.clampedNanoseconds)
        while true {
            switch try reserve(tenant) {
            case .slot(let slot, let evicted):
                if let evicted { Self.close(evicted) }
                return slot
            case .wait(let waiter):
                if waiter.wait(timeout: deadline) == .timedOut {
                    state.withLock { state in state.waiters.removeAll { $0 === waiter } }
                    throw SQLiteError(
                        .busy, "all \(configuration.capacity) tenant databases are in use; none became idle in time")
                }
            }
        }
    }

    private func reserve(_ tenant: TenantID) throws(SQLiteError) -> Checkout {
        try state.withLock { state throws(SQLiteError) -> Checkout in
            guard !state.isClosed else { throw SQLiteError(.misuse, "the tenant database pool is closed") }
            state.clock &+= 1
            if var entry = state.entries[tenant] {
                entry.users += 1
                entry.lastUse = state.clock
                state.entries[tenant] = entry
                return .slot(entry.slot, evicted: nil)
            }
            var evicted: Slot?
            if state.entries.count >= configuration.capacity {
                let idle = state.entries.filter { $0.value.users == 0 }.min { $0.value.lastUse < $1.value.lastUse }
                guard let idle else {
                    let waiter = DispatchSemaphore(value: 0)
                    state.waiters.append(waiter)
                    return .wait(waiter)
                }
                state.entries[idle.key] = nil
                evicted = idle.value.slot
            }
            let slot = Slot()
            state.entries[tenant] = Entry(slot: slot, users: 1, lastUse: state.clock)
            return .slot(slot, evicted: evicted)
        }
    }

    /// Marks one use of `tenant`'s slot finished and wakes one waiter when the slot became idle.
    private func checkin(_ tenant: TenantID) {
        state.withLock { state in
            guard var entry = state.entries[tenant] else { return }
            entry.users -= 1
            state.entries[tenant] = entry
            if entry.users == 0, !state.waiters.isEmpty {
                state.waiters.removeFirst().signal()
            }
        }
    }

    /// The slot's store, opening (creating, migrating) the file on first use.
    private func store(in slot: Slot, for tenant: TenantID) throws(SQLiteError) -> SQLiteTenantDataStore {
        try slot.store.withLock { store throws(SQLiteError) -> SQLiteTenantDataStore in
            if let store { return store }
            let path = directory + "/" + (try TenantFileName.name(for: tenant))
            let opened = try SQLiteTenantDataStore(
                path: path, tenantTables: tables, migrations: migrations, configuration: configuration.database)
            state.withLock { $0.opens += 1 }
            store = opened
            return opened
        }
    }

    private static func close(_ slot: Slot) {
        slot.store.withLock { store in
            store?.close()
            store = nil
        }
    }
}

extension SQLiteTenantDatabasePool: TenantStoreProvider {
    func withStore<R>(
        for tenant: TenantID, _ body: (SQLiteTenantDataStore) throws(SQLiteError) -> R
    ) throws(SQLiteError) -> R {
        let slot = try checkout(tenant)
        defer { checkin(tenant) }
        return try body(try store(in: slot, for: tenant))
    }
}
