/// One dependency that `/readyz` checks, such as the config database or the quota store.
public struct ReadinessProbe: Sendable {
    /// The component's name in the `/readyz` answer, e.g. `config_store`.
    public var name: String
    /// Checks the component; returns normally when it is usable, throws (any error) when not.
    public var check: @Sendable () async throws -> Void

    /// Creates a probe.
    /// - Parameters:
    ///   - name: The component's name in the `/readyz` answer.
    ///   - check: Returns when the component is usable, throws when not. It should be cheap (a `SELECT 1`,
    ///     not a scan): load balancers call it every few seconds.
    public init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}
