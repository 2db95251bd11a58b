import Dispatch
import Tenancy

/// One database load of one tenant's config that any number of callers wait for: the single-flight
/// mechanism of ``SQLiteTenantConfigStore``.
///
/// The first caller to miss the cache creates the flight (under the store's lock) and runs the query;
/// callers that miss while it runs find the flight in the store's table and ``wait()`` for its result
/// instead of querying. The result travels through a lock, so waiters see it fully written; the group only
/// wakes them.
final class LoadFlight: Sendable {
    private let outcome = Synchronized<Result<TenantConfig?, TenancyError>?>(nil)
    private let done = DispatchGroup()

    init() {
        done.enter()
    }

    /// Publishes the result and wakes every waiter. Call exactly once.
    func complete(_ result: Result<TenantConfig?, TenancyError>) {
        outcome.withLock { $0 = result }
        done.leave()
    }

    /// Blocks until ``complete(_:)`` and returns its result.
    func wait() -> Result<TenantConfig?, TenancyError> {
        done.wait()
        return outcome.withLock { $0 } ?? .failure(TenancyError(.backendUnavailable, "the tenant config load ended without a result"))
    }
}
