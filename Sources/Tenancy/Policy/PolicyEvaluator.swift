/// Evaluates a tenant's ``PolicyConfig`` against a request: models, tools, methods, paths, in that order.
/// The first failing check is the reason; an empty allow-list allows everything of its kind.
///
/// Allocation-free unless the path needs normalising (it contains `%`, `//` or dot segments) and the
/// tenant has a path allow-list.
public enum PolicyEvaluator {
    /// Evaluates `policy` for `request`.
    /// - Parameters:
    ///   - policy: The tenant's policy.
    ///   - request: The request's policy-relevant parts.
    /// - Returns: ``PolicyDecision/allowed`` or the first failing check.
    public static func evaluate(_ policy: PolicyConfig, _ request: PolicyRequest) -> PolicyDecision {
        if let denial = check(
            request.model, allowed: policy.allowedModels, required: request.requirements.contains(.model),
            reason: .model)
        {
            return denial
        }
        if let denial = check(
            request.tool, allowed: policy.allowedTools, required: request.requirements.contains(.tool), reason: .tool)
        {
            return denial
        }
        if !policy.allowedMethods.isEmpty && !policy.allowedMethods.contains(request.method) {
            return .denied(.method, detail: "method \(quoted(request.method)) is not allowed for this tenant")
        }
        if !policy.allowedPaths.isEmpty {
            guard let path = PathNormalizer.normalize(request.path) else {
                return .denied(.path, detail: "the request path has no safe normal form")
            }
            guard policy.allowedPaths.contains(where: { matches(pattern: $0, path: path) }) else {
                return .denied(.path, detail: "path \(quoted(path)) is not allowed for this tenant")
            }
        }
        return .allowed
    }

    /// Whether a normalised `path` matches `pattern`: exactly, or by prefix when the pattern ends in `*`.
    /// - Parameters:
    ///   - pattern: An exact path or a prefix followed by `*`.
    ///   - path: A normalised path.
    /// - Returns: Whether the path matches.
    public static func matches(pattern: String, path: String) -> Bool {
        guard pattern.utf8.last == UInt8(ascii: "*") else { return pattern == path }
        return path.utf8.starts(with: pattern.utf8.dropLast())
    }

    private static func check(
        _ value: String?, allowed: [String], required: Bool, reason: PolicyDenialReason
    ) -> PolicyDecision? {
        guard let value, !value.isEmpty else {
            return required ? .denied(reason, detail: "this route needs a \(reason.rawValue) and the request names none") : nil
        }
        guard allowed.isEmpty || allowed.contains(value) else {
            return .denied(reason, detail: "\(reason.rawValue) \(quoted(value)) is not allowed for this tenant")
        }
        return nil
    }

    /// Quotes client input for a message: at most 64 visible ASCII characters, the rest elided, so a
    /// hostile header cannot inject control characters or megabytes into responses and logs.
    static func quoted(_ value: String) -> String {
        var text = "'"
        for (count, scalar) in value.unicodeScalars.enumerated() {
            if count == 64 {
                text += "..."
                break
            }
            text.unicodeScalars.append(scalar.value >= 0x20 && scalar.value < 0x7F ? scalar : "?")
        }
        return text + "'"
    }
}
