/// The capability tenant-scoped caching is built on: a key-value cache with `String` keys, optional
/// per-entry expiry, and values of one type.
///
/// The protocol knows nothing about tenants; ``TenantScopedCache`` layers the tenant key scheme over any
/// implementation. ``LRUCache`` keeps entries in this process. The requirements are `async` so that a remote
/// cache (Redis, memcached) can implement them with network calls; an in-memory implementation satisfies
/// them with plain synchronous methods, as ``LRUCache`` does.
///
/// Implementations must treat keys as opaque: any `String` (including the empty string, `:` and newlines)
/// is a valid key, and distinct keys must never alias, except that keys compared with Swift `String`
/// equality (canonical equivalence) may be treated as equal.
public protocol TenantCache<Value>: Sendable {
    /// The type of the cached values.
    associatedtype Value: Sendable

    /// The value stored under `key`, unless it is missing or has expired.
    /// - Parameter key: The key.
    /// - Returns: The value, or `nil` on a miss.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/backendUnavailable`` when the cache fails.
    func get(_ key: String) async throws(TenancyError) -> Value?

    /// Stores `value` under `key`, replacing any previous value and its expiry.
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value.
    ///   - timeToLive: How long the entry lives, at least one nanosecond; `nil` keeps it until it is
    ///     removed or evicted.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `timeToLive` is not
    ///   positive, or ``TenancyError/Code/backendUnavailable`` when the cache fails.
    func set(_ key: String, to value: Value, timeToLive: Duration?) async throws(TenancyError)

    /// Removes the value stored under `key`, if any.
    /// - Parameter key: The key.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/backendUnavailable`` when the cache fails.
    func remove(_ key: String) async throws(TenancyError)
}
