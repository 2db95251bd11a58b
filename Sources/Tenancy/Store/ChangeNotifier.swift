/// The handler registry every config store needs: register, cancel, notify outside the store's lock.
public final class ChangeNotifier: Sendable {
    private struct Registry {
        var nextID: UInt64 = 0
        var handlers: [UInt64: @Sendable (TenantConfigChange) -> Void] = [:]
    }

    private let registry = Synchronized(Registry())

    /// Creates an empty registry.
    public init() {}

    /// Registers a handler.
    /// - Parameter handler: Called for every change until the subscription is cancelled or released.
    /// - Returns: The subscription.
    public func add(_ handler: @escaping @Sendable (TenantConfigChange) -> Void) -> TenantConfigSubscription {
        let id = registry.withLock { registry in
            registry.nextID += 1
            registry.handlers[registry.nextID] = handler
            return registry.nextID
        }
        return TenantConfigSubscription { [weak self] in
            _ = self?.registry.withLock { $0.handlers.removeValue(forKey: id) }
        }
    }

    /// Calls every handler with `change`, in registration order. Call after the write committed and
    /// outside any store lock, so a handler can read the store.
    /// - Parameter change: The change.
    public func notify(_ change: TenantConfigChange) {
        let handlers = registry.withLock { $0.handlers.sorted { $0.key < $1.key }.map(\.value) }
        for handler in handlers { handler(change) }
    }
}
