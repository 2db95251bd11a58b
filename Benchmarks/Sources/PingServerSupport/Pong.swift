/// The ping's body, `{"pong":true,"tenant":"acme"}`, the same type on both servers (the demo's shape).
public struct Pong: Encodable, Sendable {
    /// Always `true`.
    public var pong: Bool
    /// The admitted tenant.
    public var tenant: String

    /// Creates the body.
    /// - Parameter tenant: The admitted tenant.
    public init(tenant: String) {
        pong = true
        self.tenant = tenant
    }
}
