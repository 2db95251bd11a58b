/// The tenant bound to the current task, for code that cannot take it as a parameter (loggers, deep
/// helpers). Storage, cache and database APIs take the tenant explicitly; this is the convenience layer.
///
/// The binding is a `@TaskLocal`: child tasks (`async let`, task groups) and `Task { }` inherit it;
/// `Task.detached`, `DispatchQueue` blocks, threads and callbacks from C libraries do **not**, so capture
/// ``current`` and rebind it with ``withTenant(_:operation:)-(_,()->R)`` there.
public enum TenantContext {
    /// The tenant bound to the current task, if any.
    @TaskLocal public static var current: TenantID?

    /// The tenant bound to the current task.
    /// - Returns: The bound tenant.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/tenantRequired`` when none is bound.
    public static func required() throws(TenancyError) -> TenantID {
        guard let current else {
            throw TenancyError(.tenantRequired, "no tenant is bound to the current task")
        }
        return current
    }
}

/// Runs `operation` with `tenant` bound as ``TenantContext/current``; the previous binding is restored after.
/// - Parameters:
///   - tenant: The tenant to bind.
///   - operation: The work to run.
/// - Returns: What `operation` returns.
/// - Throws: What `operation` throws.
public func withTenant<R>(_ tenant: TenantID, operation: () throws -> R) rethrows -> R {
    try TenantContext.$current.withValue(tenant, operation: operation)
}

/// Runs the async `operation` with `tenant` bound as ``TenantContext/current``; child tasks inherit it.
/// - Parameters:
///   - tenant: The tenant to bind.
///   - operation: The work to run.
/// - Returns: What `operation` returns.
/// - Throws: What `operation` throws.
public func withTenant<R>(
    _ tenant: TenantID, isolation: isolated (any Actor)? = #isolation, operation: () async throws -> R
) async rethrows -> R {
    try await TenantContext.$current.withValue(tenant, operation: operation, isolation: isolation)
}
