/// Why a policy denied a request; the `reason` label of `tenancy_policy_denials_total`.
public enum PolicyDenialReason: String, Hashable, Sendable, Codable, CaseIterable {
    /// The model is missing (and the route needs one) or not allowed.
    case model
    /// The tool is missing (and the route needs one) or not allowed.
    case tool
    /// The method is not allowed.
    case method
    /// The path is not allowed or has no safe normal form.
    case path
}

/// The outcome of evaluating a policy.
public enum PolicyDecision: Hashable, Sendable {
    /// Every check passed.
    case allowed
    /// The first failing check, with a message safe to return to the client.
    case denied(PolicyDenialReason, detail: String)

    /// Whether the request may proceed.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
