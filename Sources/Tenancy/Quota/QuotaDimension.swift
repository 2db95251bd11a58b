/// What a quota limit counts.
public enum QuotaDimension: String, Hashable, Sendable, Codable, CaseIterable {
    /// Requests.
    case requests
    /// Tokens (for example LLM tokens) reported or estimated per request.
    case tokens
}

extension QuotaDimension {
    /// Requests, then tokens: the order of the engines' words. Unlike `allCases`, iterating it touches no
    /// global array (a retain and a release per decision on the hot path).
    static var inOrder: InOrder { InOrder() }

    /// The iterator of ``inOrder``.
    struct InOrder: Sequence, IteratorProtocol {
        private var position = 0

        mutating func next() -> QuotaDimension? {
            defer { position += 1 }
            switch position {
            case 0: return .requests
            case 1: return .tokens
            default: return nil
            }
        }
    }
}
