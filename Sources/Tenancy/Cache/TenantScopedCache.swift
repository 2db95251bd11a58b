/// A cache that every call addresses with an explicit ``TenantID``, over any ``TenantCache`` backend, so
/// that one tenant can never read, overwrite or remove another tenant's entries, and a tenant's entries
/// can be cleared at once.
///
/// Keys are mapped by ``TenantCacheKey``: `t:<tenant>:<generation>:<key>`. ``clear(_:)`` writes a fresh,
/// random generation for the tenant, after which its old entries are unreachable; they stay in the
/// backend until they expire or, in an ``LRUCache``, are evicted as the least recently used. Because the
/// generation lives in the backend, every process sharing a backend sees a clear at once.
///
/// Each operation costs two backend calls: the tenant's generation, then the entry. A tenant with no
/// generation yet has no reachable entries; its first `set` creates one.
///
/// ```swift
/// let cache = TenantScopedCache(backend: try LRUCache<TenantCacheEntry<String>>(capacity: 10_000))
/// try await cache.set("greeting", to: "hello", for: acme, timeToLive: .seconds(60))
/// let greeting = try await cache.get("greeting", for: acme)   // "hello"
/// try await cache.clear(acme)                                  // every acme entry is now unreachable
/// ```
public struct TenantScopedCache<Value: Sendable, Backend: TenantCache>: Sendable
where Backend.Value == TenantCacheEntry<Value> {
    /// Where values and generations are stored.
    public let backend: Backend
    private let makeGeneration: @Sendable () -> UInt64

    /// Creates a scoped cache over `backend`.
    /// - Parameter backend: The cache that stores values and generations; it may be shared with other
    ///   scoped caches and other processes.
    public init(backend: Backend) {
        self.init(backend: backend, makeGeneration: { UInt64.random(in: .min ... .max) })
    }

    /// Creates a scoped cache whose new generations come from `makeGeneration`, for tests.
    /// - Parameters:
    ///   - backend: The cache that stores values and generations.
    ///   - makeGeneration: Returns a generation that differs from every earlier one of the same tenant.
    package init(backend: Backend, makeGeneration: @escaping @Sendable () -> UInt64) {
        self.backend = backend
        self.makeGeneration = makeGeneration
    }

    /// The value `tenant` stored under `key`, unless it is missing, expired or cleared.
    /// - Parameters:
    ///   - key: The tenant's key: any string of at most ``TenantCacheKey/maximumKeyLength`` UTF-8 bytes.
    ///   - tenant: The tenant.
    /// - Returns: The value, or `nil` on a miss.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `key` is too long, or
    ///   whatever the backend throws.
    public func get(_ key: String, for tenant: TenantID) async throws(TenancyError) -> Value? {
        try TenantCacheKey.validate(key)
        guard let generation = try await currentGeneration(of: tenant) else { return nil }
        let storageKey = try TenantCacheKey.storageKey(for: key, of: tenant, generation: generation)
        guard case .value(let value) = try await backend.get(storageKey) else { return nil }
        return value
    }

    /// Stores `value` under `tenant`'s `key`, replacing any previous value and its expiry.
    /// - Parameters:
    ///   - key: The tenant's key: any string of at most ``TenantCacheKey/maximumKeyLength`` UTF-8 bytes.
    ///   - value: The value.
    ///   - tenant: The tenant.
    ///   - timeToLive: How long the entry lives, at least one nanosecond; `nil` keeps it until it is
    ///     removed, cleared or evicted.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `key` is too long or
    ///   `timeToLive` is not positive, or whatever the backend throws.
    public func set(
        _ key: String,
        to value: Value,
        for tenant: TenantID,
        timeToLive: Duration? = nil
    ) async throws(TenancyError) {
        try TenantCacheKey.validate(key)
        if let timeToLive, timeToLive.positiveNanoseconds == nil {
            throw TenancyError.nonPositiveTimeToLive(timeToLive)
        }
        let generation: UInt64
        if let current = try await currentGeneration(of: tenant) {
            generation = current
        } else {
            generation = try await startGeneration(of: tenant)
        }
        let storageKey = try TenantCacheKey.storageKey(for: key, of: tenant, generation: generation)
        try await backend.set(storageKey, to: .value(value), timeToLive: timeToLive)
    }

    /// Removes the value `tenant` stored under `key`, if any.
    /// - Parameters:
    ///   - key: The tenant's key: any string of at most ``TenantCacheKey/maximumKeyLength`` UTF-8 bytes.
    ///   - tenant: The tenant.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `key` is too long, or
    ///   whatever the backend throws.
    public func remove(_ key: String, for tenant: TenantID) async throws(TenancyError) {
        try TenantCacheKey.validate(key)
        guard let generation = try await currentGeneration(of: tenant) else { return }
        try await backend.remove(TenantCacheKey.storageKey(for: key, of: tenant, generation: generation))
    }

    /// Makes every entry of `tenant` unreachable by starting a new generation; other tenants are untouched.
    ///
    /// The new generation is random rather than the old one plus one, so concurrent clears from several
    /// processes, or a backend that evicts the generation key, can never bring back a generation that was
    /// cleared.
    /// - Parameter tenant: The tenant.
    /// - Throws: Whatever the backend throws.
    public func clear(_ tenant: TenantID) async throws(TenancyError) {
        _ = try await startGeneration(of: tenant)
    }

    /// The generation stored for `tenant`, or `nil` when it has none.
    private func currentGeneration(of tenant: TenantID) async throws(TenancyError) -> UInt64? {
        guard case .generation(let generation) = try await backend.get(TenantCacheKey.generationKey(of: tenant))
        else { return nil }
        return generation
    }

    /// Stores a fresh generation for `tenant` with no expiry and returns it.
    private func startGeneration(of tenant: TenantID) async throws(TenancyError) -> UInt64 {
        let generation = makeGeneration()
        try await backend.set(
            TenantCacheKey.generationKey(of: tenant),
            to: .generation(generation),
            timeToLive: nil
        )
        return generation
    }
}
