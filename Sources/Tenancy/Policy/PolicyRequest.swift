/// The parts of a request a policy looks at.
public struct PolicyRequest: Sendable {
    /// The HTTP method, e.g. `GET`.
    public var method: String
    /// The request path as received (it is normalised before matching).
    public var path: String
    /// The model named by the request (`X-Model`); empty counts as absent.
    public var model: String?
    /// The tool named by the request (`X-Tool`); empty counts as absent.
    public var tool: String?
    /// What the route needs from the request.
    public var requirements: PolicyRequirements

    /// Creates a policy request.
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The request path.
    ///   - model: The model named by the request, if any.
    ///   - tool: The tool named by the request, if any.
    ///   - requirements: What the route needs from the request.
    public init(
        method: String, path: String, model: String? = nil, tool: String? = nil,
        requirements: PolicyRequirements = []
    ) {
        self.method = method
        self.path = path
        self.model = model
        self.tool = tool
        self.requirements = requirements
    }
}
