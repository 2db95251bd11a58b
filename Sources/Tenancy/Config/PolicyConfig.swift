/// What a tenant may call. Each allow-list that is empty allows everything of its kind.
public struct PolicyConfig: Hashable, Sendable, Codable {
    /// Models the tenant may use (`X-Model`), compared exactly.
    public var allowedModels: [String]
    /// Tools the tenant may use (`X-Tool`), compared exactly.
    public var allowedTools: [String]
    /// HTTP methods the tenant may use, upper-case (`GET`, `POST`).
    public var allowedMethods: [String]
    /// Path patterns the tenant may call: exact (`/api/v1/ping`) or a prefix ending in `*`
    /// (`/api/v1/resources*`). Matched against the normalised path.
    public var allowedPaths: [String]

    /// Creates a policy.
    /// - Parameters:
    ///   - allowedModels: Allowed models; empty allows all.
    ///   - allowedTools: Allowed tools; empty allows all.
    ///   - allowedMethods: Allowed methods; empty allows all.
    ///   - allowedPaths: Allowed path patterns; empty allows all.
    public init(
        allowedModels: [String] = [], allowedTools: [String] = [], allowedMethods: [String] = [],
        allowedPaths: [String] = []
    ) {
        self.allowedModels = allowedModels
        self.allowedTools = allowedTools
        self.allowedMethods = allowedMethods
        self.allowedPaths = allowedPaths
    }

    /// A policy that allows everything.
    public static let allowAll = PolicyConfig()

    enum CodingKeys: String, CodingKey {
        case allowedModels = "allowed_models"
        case allowedTools = "allowed_tools"
        case allowedMethods = "allowed_methods"
        case allowedPaths = "allowed_paths"
    }

    /// Decodes a policy; a missing list allows everything of its kind.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allowedModels = try container.decodeIfPresent([String].self, forKey: .allowedModels) ?? []
        allowedTools = try container.decodeIfPresent([String].self, forKey: .allowedTools) ?? []
        allowedMethods = try container.decodeIfPresent([String].self, forKey: .allowedMethods) ?? []
        allowedPaths = try container.decodeIfPresent([String].self, forKey: .allowedPaths) ?? []
    }
}
