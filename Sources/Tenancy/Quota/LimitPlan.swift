/// One active limit with the divisors of its sizes, so the rules divide by a size with a multiply.
struct LimitPlan: Sendable {
    let window: QuotaWindow
    let requests: Int64
    let tokens: Int64
    /// Divides by ``requests`` (by 1 when it is not positive).
    let requestsDivisor: QuotaDivisor
    /// Divides by ``tokens`` (by 1 when it is not positive).
    let tokensDivisor: QuotaDivisor

    init(_ limit: QuotaLimit) {
        window = limit.window
        requests = limit.requests
        tokens = limit.tokens
        requestsDivisor = QuotaDivisor(limit.requests)
        tokensDivisor = QuotaDivisor(limit.tokens)
    }

    /// How many of the two dimensions are limited.
    var limitedDimensionCount: Int { (requests > 0 ? 1 : 0) + (tokens > 0 ? 1 : 0) }

    /// The limit of one dimension; 0 = unlimited.
    @inline(__always)
    func limit(of dimension: QuotaDimension) -> Int64 {
        switch dimension {
        case .requests: requests
        case .tokens: tokens
        }
    }

    /// The divisor of one dimension's limit; meaningful when the limit is positive.
    @inline(__always)
    func divisor(of dimension: QuotaDimension) -> QuotaDivisor {
        switch dimension {
        case .requests: requestsDivisor
        case .tokens: tokensDivisor
        }
    }
}
