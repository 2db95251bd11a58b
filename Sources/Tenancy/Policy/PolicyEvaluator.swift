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
        evaluate(
            policy, method: request.method, path: request.path, model: request.model, tool: request.tool,
            requirements: request.requirements)
    }

    /// ``evaluate(_:_:)`` over the request's parts: the gate passes them borrowed, without building a
    /// ``PolicyRequest`` (whose strings would be retained and released on every request).
    static func evaluate(
        _ policy: PolicyConfig, method: String, path: String, model: String?, tool: String?,
        requirements: PolicyRequirements
    ) -> PolicyDecision {
        if let denial = check(model, allowed: policy.allowedModels, required: requirements.contains(.model), reason: .model) {
            return denial
        }
        if let denial = check(tool, allowed: policy.allowedTools, required: requirements.contains(.tool), reason: .tool) {
            return denial
        }
        if !policy.allowedMethods.isEmpty && !contains(policy.allowedMethods, method) {
            return .denied(.method, detail: "method \(quoted(method)) is not allowed for this tenant")
        }
        if !policy.allowedPaths.isEmpty {
            guard let path = PathNormalizer.normalize(path) else {
                return .denied(.path, detail: "the request path has no safe normal form")
            }
            guard policy.allowedPaths.contains(where: { matches(pattern: $0, path: path) }) else {
                return .denied(.path, detail: "path \(quoted(path)) is not allowed for this tenant")
            }
        }
        return .allowed
    }

    /// Whether a normalised `path` matches `pattern`: exactly, or by prefix when the pattern ends in `*`.
    /// Both compare bytes, not Unicode-equivalent characters.
    /// - Parameters:
    ///   - pattern: An exact path or a prefix followed by `*`.
    ///   - path: A normalised path.
    /// - Returns: Whether the path matches.
    public static func matches(pattern: String, path: String) -> Bool {
        guard pattern.utf8.last == UInt8(ascii: "*") else { return pattern.hasSameBytes(as: path) }
        return path.hasBytePrefix(pattern.dropLast().utf8)
    }

    /// Whether `list` holds `value` byte for byte. `String`'s `==` is Unicode canonical equivalence, under
    /// which `"\u{212A}"` (KELVIN SIGN) equals `"K"`: a client could name a different string than the one
    /// the tenant allowed and still pass.
    private static func contains(_ list: [String], _ value: String) -> Bool {
        // By index: iterating copied every element (a string retain and release each).
        for index in list.indices where list[index].hasSameBytes(as: value) { return true }
        return false
    }

    private static func check(
        _ value: String?, allowed: [String], required: Bool, reason: PolicyDenialReason
    ) -> PolicyDecision? {
        guard let value, !value.isEmpty else {
            guard required else { return nil }
            return .denied(reason, detail: "this route needs a \(reason.rawValue) and the request names none")
        }
        guard allowed.isEmpty || contains(allowed, value) else {
            return .denied(reason, detail: "\(reason.rawValue) \(quoted(value)) is not allowed for this tenant")
        }
        return nil
    }

    /// The most characters of client input quoted in a detail message.
    static let maximumQuotedLength = 64

    /// Quotes client input for a message: at most ``maximumQuotedLength`` printable ASCII characters, the
    /// rest elided with `...`; anything else, and the quote character itself, becomes `?`. A hostile header
    /// can thus neither inject control characters or megabytes into responses and logs nor close the quote.
    static func quoted(_ value: String) -> String {
        var text = "'"
        for (count, scalar) in value.unicodeScalars.enumerated() {
            if count == maximumQuotedLength {
                text += "..."
                break
            }
            let printable = scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "'"
            text.unicodeScalars.append(printable ? scalar : "?")
        }
        return text + "'"
    }
}
