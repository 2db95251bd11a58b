/// What one call consumes: requests (1 by default) and tokens (0 by default).
public struct QuotaCost: Hashable, Sendable {
    /// Requests consumed; normally 1.
    public var requests: Int64
    /// Tokens consumed.
    public var tokens: Int64

    /// Creates a cost. Negative values are rejected by the engines with
    /// ``TenancyError/Code/invalidCost`` (plumego lets negative tokens refill the budget).
    /// - Parameters:
    ///   - requests: Requests consumed; 1 by default.
    ///   - tokens: Tokens consumed; 0 by default.
    public init(requests: Int64 = 1, tokens: Int64 = 0) {
        self.requests = requests
        self.tokens = tokens
    }

    /// The cost in one dimension.
    public func amount(of dimension: QuotaDimension) -> Int64 {
        switch dimension {
        case .requests: requests
        case .tokens: tokens
        }
    }

    /// Throws unless both amounts are non-negative. The check is inlined; building the error is not.
    @inline(__always)
    func validate() throws(TenancyError) {
        guard requests >= 0, tokens >= 0 else { throw invalidError }
    }

    /// The error for a negative amount.
    @inline(never)
    private var invalidError: TenancyError {
        let field = requests < 0 ? "requests" : "tokens"
        return TenancyError(
            .invalidCost, "quota cost \(field) must not be negative, got \(amount(of: requests < 0 ? .requests : .tokens))")
    }
}
