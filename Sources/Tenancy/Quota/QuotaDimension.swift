/// What a quota limit counts.
public enum QuotaDimension: String, Hashable, Sendable, Codable, CaseIterable {
    /// Requests.
    case requests
    /// Tokens (for example LLM tokens) reported or estimated per request.
    case tokens
}
