/// One limit of a quota: at most ``requests`` requests and ``tokens`` tokens per ``window``.
/// Zero means that dimension is unlimited.
public struct QuotaLimit: Hashable, Sendable, Codable {
    /// The largest value a limit may have: 2^53 - 1, the largest integer JSON clients represent exactly.
    public static let maximumValue: Int64 = 9_007_199_254_740_991

    /// The period the limit applies to.
    public var window: QuotaWindow
    /// Requests allowed per window; 0 = unlimited.
    public var requests: Int64
    /// Tokens allowed per window; 0 = unlimited.
    public var tokens: Int64

    /// Creates a limit.
    /// - Parameters:
    ///   - window: The period the limit applies to.
    ///   - requests: Requests allowed per window; 0 = unlimited.
    ///   - tokens: Tokens allowed per window; 0 = unlimited.
    public init(window: QuotaWindow, requests: Int64 = 0, tokens: Int64 = 0) {
        self.window = window
        self.requests = requests
        self.tokens = tokens
    }

    /// The limit of one dimension; 0 = unlimited.
    public func limit(of dimension: QuotaDimension) -> Int64 {
        switch dimension {
        case .requests: requests
        case .tokens: tokens
        }
    }

    enum CodingKeys: String, CodingKey {
        case window, requests, tokens
    }

    /// Decodes a limit; missing `requests` or `tokens` mean unlimited.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        window = try container.decode(QuotaWindow.self, forKey: .window)
        requests = try container.decodeIfPresent(Int64.self, forKey: .requests) ?? 0
        tokens = try container.decodeIfPresent(Int64.self, forKey: .tokens) ?? 0
    }
}
