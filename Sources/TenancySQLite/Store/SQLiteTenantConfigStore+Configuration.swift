import Tenancy

extension SQLiteTenantConfigStore {
    /// Cache sizes, lifetimes and database options of a store.
    ///
    /// The defaults suit a service with up to some thousands of active tenants: 10,000 configs cached for
    /// 30 seconds, 10,000 unknown IDs remembered for 5 seconds in a separate cache (so a flood of unknown
    /// IDs can never evict real tenants' configs), the known-tenant filter on, and other writers' changes
    /// picked up within a second.
    public struct Configuration: Sendable {
        /// How many configs the cache holds, least recently used evicted first; 0 disables the cache.
        public var cacheCapacity: Int
        /// How long a cached config is served before it is read again; positive.
        public var cacheTimeToLive: Duration
        /// How many unknown IDs the negative cache holds, separately from the configs; 0 disables it.
        public var negativeCacheCapacity: Int
        /// How long an ID is remembered as unknown; short, because a tenant created by another process is
        /// reported unknown for up to this long (when the filter is off). Positive.
        public var negativeCacheTimeToLive: Duration
        /// How often to check whether another connection (another store on the same file, another
        /// process) committed changes, with `PRAGMA data_version`; when it did, every cache is emptied.
        /// `nil` turns the background check off (call ``SQLiteTenantConfigStore/pollForExternalChanges()``
        /// yourself, or rely on the time to live). Real time, not the injected clock.
        public var externalChangePollInterval: Duration?
        /// Whether unknown IDs are answered from an in-memory Bloom filter of every tenant ID, so even a
        /// flood of distinct random IDs causes no queries. Needs ``externalChangePollInterval`` (the filter
        /// learns other processes' new tenants at each check) and is ignored without it.
        public var usesKnownTenantFilter: Bool
        /// The database's connections.
        public var database: SQLiteDatabase.Configuration
        /// Called by a single-flight leader between its query and publishing the result, for tests that need a
        /// load to block at that point.
        package var afterLoadQuery: (@Sendable (TenantID) -> Void)?

        /// Creates a configuration.
        /// - Parameters:
        ///   - cacheCapacity: How many configs are cached.
        ///   - cacheTimeToLive: How long a cached config is served.
        ///   - negativeCacheCapacity: How many unknown IDs are remembered.
        ///   - negativeCacheTimeToLive: How long an ID is remembered as unknown.
        ///   - externalChangePollInterval: How often other writers' changes are checked for; `nil` never.
        ///   - usesKnownTenantFilter: Whether unknown IDs are answered from the Bloom filter.
        ///   - database: The database's connections.
        public init(
            cacheCapacity: Int = 10_000, cacheTimeToLive: Duration = .seconds(30),
            negativeCacheCapacity: Int = 10_000, negativeCacheTimeToLive: Duration = .seconds(5),
            externalChangePollInterval: Duration? = .seconds(1), usesKnownTenantFilter: Bool = true,
            database: SQLiteDatabase.Configuration = .init()
        ) {
            self.cacheCapacity = cacheCapacity
            self.cacheTimeToLive = cacheTimeToLive
            self.negativeCacheCapacity = negativeCacheCapacity
            self.negativeCacheTimeToLive = negativeCacheTimeToLive
            self.externalChangePollInterval = externalChangePollInterval
            self.usesKnownTenantFilter = usesKnownTenantFilter
            self.database = database
        }

        /// Whether the filter is in use: asked for, and kept current by the external-change check.
        var filterIsActive: Bool { usesKnownTenantFilter && externalChangePollInterval != nil }

        /// Checks the ranges.
        func validate() throws(TenancyError) {
            var errors: [TenancyError.FieldError] = []
            if cacheCapacity < 0 { errors.append(.init(field: "cacheCapacity", message: "must not be negative")) }
            if negativeCacheCapacity < 0 {
                errors.append(.init(field: "negativeCacheCapacity", message: "must not be negative"))
            }
            if cacheTimeToLive <= .zero { errors.append(.init(field: "cacheTimeToLive", message: "must be positive")) }
            if negativeCacheTimeToLive <= .zero {
                errors.append(.init(field: "negativeCacheTimeToLive", message: "must be positive"))
            }
            if let interval = externalChangePollInterval, interval <= .zero {
                errors.append(.init(field: "externalChangePollInterval", message: "must be positive or nil"))
            }
            guard errors.isEmpty else {
                throw TenancyError(.invalidArgument, "invalid SQLite tenant config store configuration", fieldErrors: errors)
            }
        }
    }

    /// What a store's caches did since it opened, and how full they are.
    public struct Statistics: Hashable, Sendable {
        /// Lookups answered from the config cache.
        public var hits: UInt64 = 0
        /// Lookups answered "unknown" from the negative cache.
        public var negativeHits: UInt64 = 0
        /// Lookups answered "unknown" by the known-tenant filter, without a query.
        public var filterRejections: UInt64 = 0
        /// Queries for one tenant's config: one per single-flight load.
        public var loads: UInt64 = 0
        /// Lookups that waited for another caller's query instead of running their own.
        public var joinedLoads: UInt64 = 0
        /// Queries that failed.
        public var loadFailures: UInt64 = 0
        /// Configs evicted from the cache to make room.
        public var evictions: UInt64 = 0
        /// Unknown IDs evicted from the negative cache to make room.
        public var negativeEvictions: UInt64 = 0
        /// Entries of either cache dropped because their time to live had passed.
        public var expirations: UInt64 = 0
        /// Writes through this store (each invalidates its tenant).
        public var invalidations: UInt64 = 0
        /// Changes by other connections detected with `PRAGMA data_version` (each empties the caches).
        public var externalChanges: UInt64 = 0
        /// Configs cached now.
        public var cachedConfigs = 0
        /// Unknown IDs cached now.
        public var cachedUnknownIDs = 0
        /// The known-tenant filter's size in bytes; 0 when it is off.
        public var filterBytes = 0
    }
}
