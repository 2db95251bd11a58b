/// The key scheme of tenant-scoped caching: where a tenant's values and its generation live in a shared
/// backend, so that no tenant can ever address another tenant's entries.
///
/// A value lives under `t:<tenant>:<generation>:<key>` and a tenant's generation under `t:<tenant>:gen`.
/// The mapping is injective: a ``TenantID`` cannot contain `:`, so the first `:` after `t:` ends the
/// tenant; the generation is decimal digits, so the next `:` ends it; whatever follows is the user key,
/// verbatim, `:` and newlines included. A generation key's third segment is `gen`, which is not a number,
/// so no user key ever produces it. Only the length of user keys is bounded.
public enum TenantCacheKey {
    /// The longest user key, in UTF-8 bytes.
    public static let maximumKeyLength = 1_024

    /// The backend key of `key` in `tenant`'s `generation`.
    /// - Parameters:
    ///   - key: The user key: any string of at most ``maximumKeyLength`` UTF-8 bytes, empty included.
    ///   - tenant: The tenant that owns the key.
    ///   - generation: The tenant's current generation.
    /// - Returns: `t:<tenant>:<generation>:<key>`.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `key` is longer than
    ///   ``maximumKeyLength`` bytes.
    public static func storageKey(
        for key: String,
        of tenant: TenantID,
        generation: UInt64
    ) throws(TenancyError) -> String {
        try validate(key)
        let generationText = String(generation)
        var result = "t:"
        result.reserveCapacity(4 + tenant.rawValue.utf8.count + generationText.utf8.count + key.utf8.count)
        result += tenant.rawValue
        result += ":"
        result += generationText
        result += ":"
        result += key
        return result
    }

    /// The backend key of `tenant`'s generation.
    /// - Parameter tenant: The tenant.
    /// - Returns: `t:<tenant>:gen`.
    public static func generationKey(of tenant: TenantID) -> String {
        "t:" + tenant.rawValue + ":gen"
    }

    /// Checks that `key` is at most ``maximumKeyLength`` UTF-8 bytes long.
    /// - Parameter key: The user key.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when it is longer.
    public static func validate(_ key: String) throws(TenancyError) {
        let length = key.utf8.count
        guard length <= maximumKeyLength else {
            throw TenancyError.cacheKeyTooLong(length)
        }
    }
}
