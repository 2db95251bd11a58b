/// An ordered chain of ``TenantResolutionStrategy``: the first strategy that finds something decides.
///
/// A strategy that finds an invalid value stops the chain (fail closed: a malformed header is not skipped
/// in favour of a weaker source). The default chain is principal, then the `X-Tenant-ID` header.
public struct TenantResolver: Sendable {
    /// How resolution ended, before the tenant is looked up.
    public enum Outcome: Hashable, Sendable {
        /// A syntactically valid tenant ID, and the strategy that found it.
        case found(TenantID, source: String)
        /// No strategy found anything.
        case missing
        /// A strategy found something that is not a valid tenant ID.
        case invalid(source: String, message: String)
    }

    /// The strategies, in the order they are tried.
    public var strategies: [TenantResolutionStrategy]

    /// Creates a resolver.
    /// - Parameter strategies: The strategies, in order; principal first is strongly recommended.
    public init(_ strategies: [TenantResolutionStrategy] = [.principal, .header()]) {
        self.strategies = strategies
    }

    /// Resolves `request`'s tenant ID.
    /// - Parameter request: The request.
    /// - Returns: The outcome.
    @inlinable
    public func resolve(_ request: some AdmissionRequest) -> Outcome {
        let (candidate, source) = firstCandidate(in: request)
        return Self.outcome(of: candidate, source: source)
    }

    /// The first strategy's candidate that is not `none`, with that strategy's source; `none` and an empty
    /// source when every strategy found nothing.
    @inlinable
    func firstCandidate(in request: some AdmissionRequest) -> (TenantResolutionStrategy.Candidate, String) {
        for strategy in strategies {
            let candidate = strategy.candidate(in: request)
            if case .none = candidate { continue }
            return (candidate, strategy.source)
        }
        return (.none, "")
    }

    /// What a candidate found by the strategy named `source` resolves to.
    @usableFromInline
    static func outcome(of candidate: TenantResolutionStrategy.Candidate, source: String) -> Outcome {
        switch candidate {
        case .none:
            return .missing
        case .id(let id):
            return .found(id, source: source)
        case .raw(let raw):
            do {
                return .found(try TenantID(raw), source: source)
            } catch {
                return .invalid(source: source, message: error.message)
            }
        case .invalid(let message):
            return .invalid(source: source, message: message)
        }
    }
}
