/// A registration of a change handler; cancel it, or release it, to stop the calls.
///
/// Released means cancelled (like Combine's `AnyCancellable`): a handler nobody holds a subscription for can
/// never be stopped, so a discarded subscription would leak its handler, and whatever it captures, for the
/// store's lifetime. Keep the subscription for as long as the handler should run.
public final class TenantConfigSubscription: Sendable {
    private let cancellation: Synchronized<(@Sendable () -> Void)?>

    /// Creates a subscription that runs `cancel` once, on the first ``cancel()``.
    /// - Parameter cancel: Removes the handler from its store.
    public init(cancel: @escaping @Sendable () -> Void) {
        cancellation = Synchronized(cancel)
    }

    deinit {
        cancel()
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
