/// What a route needs from the request for policy purposes.
///
/// A tenant's model allow-list is meaningless if a client can simply omit `X-Model`. A route that uses a
/// model declares ``model``; a request to it without a model is then denied with reason `model`, whatever
/// the tenant's list says. Routes that use no model leave it out and the header is not required.
public struct PolicyRequirements: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    /// Creates requirements from raw bits.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The route uses a model: the request must name one.
    public static let model = PolicyRequirements(rawValue: 1 << 0)
    /// The route uses a tool: the request must name one.
    public static let tool = PolicyRequirements(rawValue: 1 << 1)
}
