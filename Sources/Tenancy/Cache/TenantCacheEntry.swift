/// What ``TenantScopedCache`` stores in its backend: a cached value, or a tenant's current generation.
///
/// Generations and values live in the same backend under keys that can never coincide (see
/// ``TenantCacheKey``), so a backend for a scoped cache of `Value` is a ``TenantCache`` of
/// `TenantCacheEntry<Value>`, for example `LRUCache<TenantCacheEntry<Value>>`. A remote backend serialises
/// entries with the `Codable` conformance.
public enum TenantCacheEntry<Value: Sendable>: Sendable {
    /// A cached value.
    case value(Value)
    /// A tenant's current generation: the number that prefixes its live keys.
    case generation(UInt64)
}

extension TenantCacheEntry: Equatable where Value: Equatable {}
extension TenantCacheEntry: Hashable where Value: Hashable {}
extension TenantCacheEntry: Codable where Value: Codable {}
