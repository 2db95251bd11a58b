import Testing

@testable import Tenancy

@Suite struct PolicyEvaluatorTests {
    /// A policy with every list set, so each check can fail on its own.
    static let strict = PolicyConfig(
        allowedModels: ["gpt-4o", "claude-3"],
        allowedTools: ["search", "code"],
        allowedMethods: ["GET", "POST"],
        allowedPaths: ["/api/v1/ping", "/api/v1/resources*", "/api/v1/chat/*"]
    )

    /// A request that passes every check of ``strict``.
    static let passing = PolicyRequest(
        method: "POST",
        path: "/api/v1/chat/completions",
        model: "gpt-4o",
        tool: "search",
        requirements: [.model, .tool]
    )

    @Test func allowsARequestThatPassesEveryCheck() {
        #expect(PolicyEvaluator.evaluate(Self.strict, Self.passing) == .allowed)
    }

    @Test(arguments: [
        PolicyRequest(method: "DELETE", path: "/anything", model: "any-model", tool: "any-tool"),
        PolicyRequest(method: "BREW", path: "/", requirements: []),
        PolicyRequest(method: "GET", path: "/a/%2e%2e/b", model: "x", tool: "y", requirements: [.model, .tool]),
        PolicyRequest(method: "GET", path: "*"),
    ])
    func allowsEverythingWhenEveryListIsEmpty(_ request: PolicyRequest) {
        #expect(PolicyEvaluator.evaluate(.allowAll, request) == .allowed)
    }

    @Test func deniesAModelThatIsNotOnTheList() {
        var request = Self.passing
        request.model = "gpt-3.5"
        #expect(
            PolicyEvaluator.evaluate(Self.strict, request)
                == .denied(.model, detail: "model 'gpt-3.5' is not allowed for this tenant")
        )
    }

    @Test func deniesAToolThatIsNotOnTheList() {
        var request = Self.passing
        request.tool = "shell"
        #expect(
            PolicyEvaluator.evaluate(Self.strict, request)
                == .denied(.tool, detail: "tool 'shell' is not allowed for this tenant")
        )
    }

    @Test func deniesAMethodThatIsNotOnTheList() {
        var request = Self.passing
        request.method = "DELETE"
        #expect(
            PolicyEvaluator.evaluate(Self.strict, request)
                == .denied(.method, detail: "method 'DELETE' is not allowed for this tenant")
        )
    }

    @Test func deniesAPathThatIsNotOnTheListQuotingItsNormalForm() {
        var request = Self.passing
        request.path = "/api/v1/chat/../../admin?x=1"
        #expect(
            PolicyEvaluator.evaluate(Self.strict, request)
                == .denied(.path, detail: "path '/api/admin' is not allowed for this tenant")
        )
    }

    @Test(arguments: ["/api/v1/%zz", "/api/v1/%00", "*", "http://evil/api/v1/ping", "/api/v1/%FF"])
    func deniesAPathWithoutANormalForm(_ path: String) {
        var request = Self.passing
        request.path = path
        #expect(
            PolicyEvaluator.evaluate(Self.strict, request)
                == .denied(.path, detail: "the request path has no safe normal form")
        )
    }

    @Test(arguments: [nil, ""])
    func deniesAMissingModelWhenTheRouteDeclaresOne(_ model: String?) {
        let request = PolicyRequest(method: "POST", path: "/chat", model: model, requirements: .model)
        #expect(
            PolicyEvaluator.evaluate(.allowAll, request)
                == .denied(.model, detail: "this route needs a model and the request names none")
        )
    }

    @Test(arguments: [nil, ""])
    func deniesAMissingToolWhenTheRouteDeclaresOne(_ tool: String?) {
        let request = PolicyRequest(method: "POST", path: "/chat", tool: tool, requirements: .tool)
        #expect(
            PolicyEvaluator.evaluate(.allowAll, request)
                == .denied(.tool, detail: "this route needs a tool and the request names none")
        )
    }

    @Test(arguments: [nil, ""])
    func allowsAnOmittedModelAndToolOnARouteThatDeclaresNeither(_ value: String?) {
        let request = PolicyRequest(method: "GET", path: "/api/v1/ping", model: value, tool: value)
        #expect(PolicyEvaluator.evaluate(Self.strict, request) == .allowed)
    }

    @Test func checksAModelThatIsSentToARouteThatDoesNotDeclareOne() {
        let request = PolicyRequest(method: "GET", path: "/api/v1/ping", model: "gpt-3.5")
        #expect(PolicyEvaluator.evaluate(Self.strict, request).deniedReason == .model)
    }

    /// Every combination of failing checks: the first failing one in the order models, tools, methods,
    /// paths is the reason.
    @Test(arguments: 1..<16)
    func reportsTheFirstFailingCheckInTheOrderModelsToolsMethodsPaths(_ failing: Int) {
        var request = Self.passing
        if failing & 1 != 0 { request.model = "bad-model" }
        if failing & 2 != 0 { request.tool = "bad-tool" }
        if failing & 4 != 0 { request.method = "PATCH" }
        if failing & 8 != 0 { request.path = "/admin" }
        let expected: [PolicyDenialReason] = [.model, .tool, .method, .path]
        let first = expected[failing.trailingZeroBitCount]
        #expect(PolicyEvaluator.evaluate(Self.strict, request).deniedReason == first)
    }

    @Test func checksAMissingRequiredToolAfterAnAllowedModel() {
        var request = Self.passing
        request.tool = nil
        request.method = "PATCH"
        #expect(PolicyEvaluator.evaluate(Self.strict, request).deniedReason == .tool)
    }

    @Test(arguments: [
        PolicyRequest(method: "POST", path: "/api/v1/ping", model: "GPT-4o"),
        PolicyRequest(method: "POST", path: "/api/v1/ping", tool: "Search"),
        PolicyRequest(method: "post", path: "/api/v1/ping"),
        PolicyRequest(method: "POST", path: "/API/v1/ping"),
        PolicyRequest(method: "POST", path: "/api/v1/ping", model: " gpt-4o"),
        PolicyRequest(method: "POST", path: "/api/v1/ping", model: "gpt-4o,claude-3"),
    ])
    func comparesCaseSensitivelyAndExactly(_ request: PolicyRequest) {
        #expect(!PolicyEvaluator.evaluate(Self.strict, request).isAllowed)
    }

    /// `String`'s `==` treats U+212A KELVIN SIGN as equal to `K` (canonical equivalence); the policy must not.
    @Test(arguments: [
        (PolicyConfig(allowedModels: ["model-K"]), PolicyRequest(method: "GET", path: "/", model: "model-\u{212A}")),
        (PolicyConfig(allowedTools: ["tool-K"]), PolicyRequest(method: "GET", path: "/", tool: "tool-\u{212A}")),
        (PolicyConfig(allowedMethods: ["K"]), PolicyRequest(method: "\u{212A}", path: "/")),
        (PolicyConfig(allowedPaths: ["/K"]), PolicyRequest(method: "GET", path: "/%E2%84%AA")),
        (PolicyConfig(allowedModels: ["caf\u{E9}"]), PolicyRequest(method: "GET", path: "/", model: "cafe\u{301}")),
    ])
    func comparesNamesMethodsAndPathsByteForByte(_ policy: PolicyConfig, _ request: PolicyRequest) {
        #expect(!PolicyEvaluator.evaluate(policy, request).isAllowed)
    }

    @Test(arguments: [
        ("/api/v1/ping", true),
        ("/api/v1/ping/", false),
        ("/api/v1/ping/x", false),
        ("/api/v1/pin", false),
        ("/api/v1/resources", true),
        ("/api/v1/resources/42", true),
        ("/api/v1/resourcesXYZ", true),
        ("/api/v1/resource", false),
        ("/api/v1/chat/", true),
        ("/api/v1/chat/completions", true),
        ("/api/v1/chat", false),
        ("/api/v1/x/../ping", true),
        ("/api//v1/./ping", true),
        ("/api/v1/%70ing", true),
        ("/api/v1/chat/%2e%2e/%2e%2e/admin", false),
    ])
    func matchesTheNormalisedPathAgainstExactAndPrefixPatterns(_ path: String, _ allowed: Bool) {
        let request = PolicyRequest(method: "GET", path: path)
        #expect(
            PolicyEvaluator.evaluate(PolicyConfig(allowedPaths: Self.strict.allowedPaths), request).isAllowed == allowed
        )
    }

    @Test(arguments: [
        "/api/v1/../admin", "/api/v1/%2e%2e/admin", "/api/v1/%2E%2E%2Fadmin", "/api/v1%2F..%2Fadmin",
        "/api/v1/.%2e/admin", "/api/v1//../../admin", "/api/v1/x/%2e%2e/%2e%2e/%2e%2e/admin",
        "/api/v1/%C0%AE%C0%AE/admin",
        "/api/v1/%00/../../admin", "/api/v1", "/api/v1x", "/API/v1/x", "//api/v1/../../admin",
    ])
    func doesNotLetTraversalEscapeAPrefixPattern(_ path: String) {
        let policy = PolicyConfig(allowedPaths: ["/api/v1/*"])
        #expect(PolicyEvaluator.evaluate(policy, PolicyRequest(method: "GET", path: path)).deniedReason == .path)
    }

    @Test(arguments: [
        ("/api/v1/ping", "/api/v1/ping", true),
        ("/api/v1/ping", "/api/v1/ping/", false),
        ("/api/v1/ping", "/api/v1/pin", false),
        ("/api/v1/*", "/api/v1/", true),
        ("/api/v1/*", "/api/v1/x/y", true),
        ("/api/v1/*", "/api/v1", false),
        ("/api/v1*", "/api/v1", true),
        ("/api/v1*", "/api/v10", true),
        ("/*", "/", true),
        ("/*", "/anything/at/all", true),
        ("*", "/x", true),
        ("/", "/", true),
        ("/", "/x", false),
        ("/K", "/\u{212A}", false),
    ])
    func matchesAPatternExactlyOrByPrefixWhenItEndsInAStar(_ pattern: String, _ path: String, _ matches: Bool) {
        #expect(PolicyEvaluator.matches(pattern: pattern, path: path) == matches)
    }

    @Test func quotesAtMost64CharactersOfClientInput() {
        let model = String(repeating: "m", count: 65)
        let request = PolicyRequest(method: "GET", path: "/", model: model)
        let detail = PolicyEvaluator.evaluate(PolicyConfig(allowedModels: ["x"]), request).deniedDetail
        #expect(detail == "model '\(String(repeating: "m", count: 64))...' is not allowed for this tenant")
    }

    @Test func quotes64CharactersInFull() {
        let value = String(repeating: "x", count: 64)
        #expect(PolicyEvaluator.quoted(value) == "'\(value)'")
    }

    @Test func boundsTheQuoteOfAMegabyteHeader() {
        let quoted = PolicyEvaluator.quoted(String(repeating: "\u{1F600}", count: 1 << 20))
        #expect(quoted.utf8.count == 1 + 64 + 3 + 1)
    }

    @Test(arguments: [
        ("a\r\nSet-Cookie: x", "'a??Set-Cookie: x'"),
        ("\u{0}\u{1B}[31m", "'??[31m'"),
        ("tab\there", "'tab?here'"),
        ("del\u{7F}", "'del?'"),
        ("caf\u{E9}", "'caf?'"),
        ("\u{1F600}", "'?'"),
        ("x' is allowed, 'y", "'x? is allowed, ?y'"),
        ("", "''"),
        (" ~", "' ~'"),
    ])
    func replacesControlNonASCIIAndQuoteCharactersInQuotedInput(_ value: String, _ expected: String) {
        #expect(PolicyEvaluator.quoted(value) == expected)
    }

    @Test func quotesTheMethodSafelyToo() {
        let request = PolicyRequest(method: "GET\r\nX: y", path: "/")
        #expect(
            PolicyEvaluator.evaluate(PolicyConfig(allowedMethods: ["GET"]), request)
                == .denied(.method, detail: "method 'GET??X: y' is not allowed for this tenant")
        )
    }
}

extension PolicyDecision {
    /// The denial reason, or `nil` when allowed.
    fileprivate var deniedReason: PolicyDenialReason? {
        if case .denied(let reason, _) = self { return reason }
        return nil
    }

    /// The denial detail, or `nil` when allowed.
    fileprivate var deniedDetail: String? {
        if case .denied(_, let detail) = self { return detail }
        return nil
    }
}
