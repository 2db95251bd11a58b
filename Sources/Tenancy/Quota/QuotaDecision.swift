/// The state of one dimension under its binding limit: the limit with the fewest units left.
public struct QuotaDimensionStatus: Hashable, Sendable {
    /// The window of the binding limit.
    public var window: QuotaWindow
    /// The binding limit's size.
    public var limit: Int64
    /// Units left in it (after this call, when it was allowed).
    public var remaining: Int64
    /// ``reset`` in whole seconds; stored as an integer to keep decisions small on the hot path.
    public var resetSeconds: Int64

    /// Until the binding limit resets (fixed window), its current window ends (sliding window) or its
    /// bucket is full again (token bucket); whole seconds, rounded up.
    public var reset: Duration { .seconds(resetSeconds) }

    /// Creates a status.
    /// - Parameters:
    ///   - window: The window of the binding limit.
    ///   - limit: The binding limit's size.
    ///   - remaining: Units left in it.
    ///   - reset: Until it resets; a fraction of a second counts as a whole one.
    public init(window: QuotaWindow, limit: Int64, remaining: Int64, reset: Duration) {
        self.init(window: window, limit: limit, remaining: remaining, resetSeconds: reset.wholeSecondsRoundedUp)
    }

    /// Creates a status from whole seconds.
    public init(window: QuotaWindow, limit: Int64, remaining: Int64, resetSeconds: Int64) {
        self.window = window
        self.limit = limit
        self.remaining = remaining
        self.resetSeconds = resetSeconds
    }
}

/// Why a call was refused.
public struct QuotaRejection: Hashable, Sendable {
    /// The dimension of the limit that refused it (the one that frees up last).
    public var dimension: QuotaDimension
    /// The window of that limit.
    public var window: QuotaWindow
    /// ``retryAfter`` in whole seconds, or -1 when the cost can never fit.
    public var retryAfterSeconds: Int64

    /// When the same call would fit, assuming nothing else is consumed meanwhile; whole seconds rounded up,
    /// at least 1. `nil` when the cost exceeds the limit itself and can never fit.
    public var retryAfter: Duration? { retryAfterSeconds < 0 ? nil : .seconds(retryAfterSeconds) }

    /// Creates a rejection.
    /// - Parameters:
    ///   - dimension: The dimension of the limit that refused the call.
    ///   - window: The window of that limit.
    ///   - retryAfter: When the call would fit (a fraction of a second counts as a whole one); `nil` when it
    ///     never can.
    public init(dimension: QuotaDimension, window: QuotaWindow, retryAfter: Duration?) {
        self.init(dimension: dimension, window: window, retryAfterSeconds: retryAfter?.wholeSecondsRoundedUp ?? -1)
    }

    /// Creates a rejection from whole seconds; -1 means the call can never fit.
    public init(dimension: QuotaDimension, window: QuotaWindow, retryAfterSeconds: Int64) {
        self.dimension = dimension
        self.window = window
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Whether the cost is larger than the limit, so waiting cannot help.
    public var canNeverFit: Bool { retryAfterSeconds < 0 }
}

/// The outcome of a quota check. A rejected call consumed nothing in any window or dimension.
public struct QuotaDecision: Hashable, Sendable {
    /// The requests dimension under its binding limit; `nil` when requests are unlimited.
    public var requests: QuotaDimensionStatus?
    /// The tokens dimension under its binding limit; `nil` when tokens are unlimited.
    public var tokens: QuotaDimensionStatus?
    /// Why the call was refused; `nil` when it was allowed.
    public var rejection: QuotaRejection?

    /// Creates a decision.
    public init(requests: QuotaDimensionStatus?, tokens: QuotaDimensionStatus?, rejection: QuotaRejection?) {
        self.requests = requests
        self.tokens = tokens
        self.rejection = rejection
    }

    /// The decision for an unlimited quota.
    public static let unlimited = QuotaDecision(requests: nil, tokens: nil, rejection: nil)

    /// Whether the call fit and was consumed.
    public var isAllowed: Bool { rejection == nil }
    /// Requests left under the binding limit; -1 when unlimited.
    public var remainingRequests: Int64 { requests?.remaining ?? -1 }
    /// Tokens left under the binding limit; -1 when unlimited.
    public var remainingTokens: Int64 { tokens?.remaining ?? -1 }
    /// When to retry; `nil` when allowed or when the cost can never fit.
    public var retryAfter: Duration? { rejection?.retryAfter }
    /// The later of the two dimensions' resets; zero when unlimited.
    public var reset: Duration { .seconds(max(requests?.resetSeconds ?? 0, tokens?.resetSeconds ?? 0)) }

    /// The status of one dimension.
    public func status(of dimension: QuotaDimension) -> QuotaDimensionStatus? {
        switch dimension {
        case .requests: requests
        case .tokens: tokens
        }
    }
}

extension Duration {
    /// Whole seconds, any fraction rounded up.
    package var wholeSecondsRoundedUp: Int64 {
        let (seconds, attoseconds) = components
        return attoseconds > 0 ? seconds + 1 : seconds
    }
}
