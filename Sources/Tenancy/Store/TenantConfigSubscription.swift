/// A registration of a change handler; cancel it to stop the calls.
public final class TenantConfigSubscription: Sendable {
    private let cancellation: Synchronized<(@Sendable () -> Void)?>

    /// Creates a subscription that runs `cancel` once, on the first ``cancel()``.
    /// - Parameter cancel: Removes the handler from its store.
    public init(cancel: @escaping @Sendable () -> Void) {
        cancellation = Synchronized(cancel)
    }

    /// Stops calls to the handler. Idempotent.
    public func cancel() {
        let cancel = cancellation.withLock { cancel in
            defer { cancel = nil }
            return cancel
        }
        cancel?()
    }
}
