extension TenantMetrics {
    /// What ``TenantMetrics`` exports and how its registry is bounded.
    public struct Configuration: Hashable, Sendable {
        /// The library version reported by `<namespace>_build_info`.
        public static let libraryVersion = "0.1.0"

        /// The prefix of every family name (`tenancy_requests_total`); a valid metric name.
        public var namespace: String
        /// The `version` label of `<namespace>_build_info`.
        public var version: String
        /// How many distinct tenants get their own series; the rest are recorded as `tenant_id="__other__"`.
        public var maximumTenants: Int
        /// Remove a tenant's series after this long without any change; never by default.
        public var idleExpiry: Duration?
        /// The buckets of `<namespace>_request_duration_seconds`, in seconds.
        public var durationBuckets: [Double]
        /// Whether to export the standard `process_*` families (Linux `/proc`).
        public var includeProcessMetrics: Bool

        /// Creates a configuration; every default is the DESIGN.md metrics contract.
        /// - Parameters:
        ///   - namespace: `tenancy` by default.
        ///   - version: ``libraryVersion`` by default.
        ///   - maximumTenants: 1000 by default.
        ///   - idleExpiry: `nil` (never) by default.
        ///   - durationBuckets: `.005 .01 .025 .05 .1 .25 .5 1 2.5 5 10` by default.
        ///   - includeProcessMetrics: `true` by default.
        public init(
            namespace: String = "tenancy", version: String = libraryVersion, maximumTenants: Int = 1000,
            idleExpiry: Duration? = nil, durationBuckets: [Double] = MetricsRegistry.defaultBuckets,
            includeProcessMetrics: Bool = true
        ) {
            self.namespace = namespace
            self.version = version
            self.maximumTenants = maximumTenants
            self.idleExpiry = idleExpiry
            self.durationBuckets = durationBuckets
            self.includeProcessMetrics = includeProcessMetrics
        }
    }
}
