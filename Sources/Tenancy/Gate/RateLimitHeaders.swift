/// The quota response fields of the HTTP contract: `RateLimit-Policy` and `RateLimit` (IETF
/// draft-ietf-httpapi-ratelimit-headers-10, structured-field lists) and `X-Quota-Remaining-Requests` /
/// `X-Quota-Remaining-Tokens`, each omitted for an unlimited dimension.
///
/// Policies are named after their window (`"minute"`); token limits get a `-tokens` suffix and
/// `qu="tokens"`. `RateLimit` names the binding limit of each dimension (the fewest units left, as the
/// draft requires); on a rejection the rejected dimension's `t` equals `Retry-After`.
public enum RateLimitHeaders {
    /// The fields for a decision under `quota`.
    /// - Parameters:
    ///   - quota: The tenant's quota config.
    ///   - decision: The decision.
    /// - Returns: The fields, `Retry-After` first when there is one.
    public static func fields(for quota: QuotaConfig, decision: QuotaDecision) -> [HeaderField] {
        var fields: [HeaderField] = []
        if let rejection = decision.rejection, !rejection.canNeverFit {
            fields.append(HeaderField("Retry-After", String(rejection.retryAfterSeconds)))
        }
        var policies: [String] = []
        for limit in quota.limits {
            for dimension in QuotaDimension.allCases where limit.limit(of: dimension) > 0 {
                let unit = dimension == .tokens ? ";qu=\"tokens\"" : ""
                policies.append(
                    "\(policyName(limit.window, dimension));q=\(limit.limit(of: dimension))\(unit);w=\(limit.window.nominalSeconds)")
            }
        }
        guard !policies.isEmpty else { return fields }
        fields.append(HeaderField("RateLimit-Policy", policies.joined(separator: ", ")))
        var items: [String] = []
        for dimension in QuotaDimension.allCases {
            guard let status = decision.status(of: dimension) else { continue }
            var reset = status.resetSeconds
            if let rejection = decision.rejection, rejection.dimension == dimension, !rejection.canNeverFit {
                reset = rejection.retryAfterSeconds
            }
            items.append("\(policyName(status.window, dimension));r=\(status.remaining);t=\(reset)")
        }
        fields.append(HeaderField("RateLimit", items.joined(separator: ", ")))
        if let requests = decision.requests {
            fields.append(HeaderField("X-Quota-Remaining-Requests", String(requests.remaining)))
        }
        if let tokens = decision.tokens {
            fields.append(HeaderField("X-Quota-Remaining-Tokens", String(tokens.remaining)))
        }
        return fields
    }

    /// The structured-field string naming a policy: `"minute"` or `"minute-tokens"`.
    static func policyName(_ window: QuotaWindow, _ dimension: QuotaDimension) -> String {
        dimension == .requests ? "\"\(window.rawValue)\"" : "\"\(window.rawValue)-tokens\""
    }
}
