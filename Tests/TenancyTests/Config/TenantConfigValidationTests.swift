import Testing

@testable import Tenancy

@Suite struct TenantConfigValidationTests {
    static func config(
        quota: QuotaConfig = .unlimited,
        policy: PolicyConfig = .allowAll,
        metadata: [String: String] = [:],
        version: Int64 = 0
    ) throws -> TenantConfig {
        var config = TenantConfig(id: try TenantID("acme"), quota: quota, policy: policy, metadata: metadata)
        config.version = version
        return config
    }

    /// The field errors `validated()` throws, or `[]` when the config is valid.
    static func fieldErrors(_ config: TenantConfig) -> [TenancyError.FieldError] {
        do {
            _ = try config.validated()
            return []
        } catch {
            return error.fieldErrors
        }
    }

    static func fieldErrors(policy: PolicyConfig) throws -> [TenancyError.FieldError] {
        fieldErrors(try config(policy: policy))
    }

    static func fieldErrors(limits: [QuotaLimit]) throws -> [TenancyError.FieldError] {
        fieldErrors(try config(quota: QuotaConfig(limits: limits)))
    }

    static func fieldErrors(metadata: [String: String]) throws -> [TenancyError.FieldError] {
        fieldErrors(try config(metadata: metadata))
    }

    // MARK: - Valid configs and canonical form

    @Test func returnsAValidCanonicalConfigUnchanged() throws {
        let config = try Self.config(
            quota: QuotaConfig(
                algorithm: .slidingWindow,
                limits: [
                    QuotaLimit(window: .minute, requests: 600, tokens: 100_000),
                    QuotaLimit(window: .day, requests: 10_000),
                ]
            ),
            policy: PolicyConfig(
                allowedModels: ["gpt-4o"],
                allowedTools: ["search"],
                allowedMethods: ["GET"],
                allowedPaths: ["/api/v1/*"]
            ),
            metadata: ["plan": "pro"],
            version: 3
        )
        #expect(try config.validated() == config)
    }

    @Test func sortsLimitsByWindowInTheCanonicalForm() throws {
        let config = try Self.config(
            quota: QuotaConfig(limits: [
                QuotaLimit(window: .month, requests: 5), QuotaLimit(window: .second, requests: 1),
                QuotaLimit(window: .day, tokens: 9), QuotaLimit(window: .minute, requests: 2),
                QuotaLimit(window: .hour, requests: 3),
            ])
        )
        let windows = try config.validated().quota.limits.map(\.window)
        #expect(windows == [.second, .minute, .hour, .day, .month])
    }

    @Test func keepsEachLimitWithItsWindowWhenSorting() throws {
        let config = try Self.config(
            quota: QuotaConfig(limits: [
                QuotaLimit(window: .day, requests: 7, tokens: 8), QuotaLimit(window: .second, requests: 1),
            ])
        )
        #expect(
            try config.validated().quota.limits
                == [QuotaLimit(window: .second, requests: 1), QuotaLimit(window: .day, requests: 7, tokens: 8)]
        )
    }

    @Test func upperCasesMethodsInTheCanonicalForm() throws {
        let config = try Self.config(policy: PolicyConfig(allowedMethods: ["get", "Post", "DELETE", "m-search"]))
        #expect(try config.validated().policy.allowedMethods == ["GET", "POST", "DELETE", "M-SEARCH"])
    }

    @Test func leavesTheOriginalConfigUntouched() throws {
        let config = try Self.config(
            quota: QuotaConfig(limits: [
                QuotaLimit(window: .day, requests: 1), QuotaLimit(window: .second, requests: 1),
            ]),
            policy: PolicyConfig(allowedMethods: ["get"])
        )
        _ = try config.validated()
        #expect(config.policy.allowedMethods == ["get"])
        #expect(config.quota.limits.first?.window == .day)
    }

    // MARK: - Quota

    @Test func rejectsASecondLimitForTheSameWindowNamingTheFirst() throws {
        let errors = try Self.fieldErrors(limits: [
            QuotaLimit(window: .minute, requests: 1), QuotaLimit(window: .hour, requests: 1),
            QuotaLimit(window: .minute, requests: 2),
        ])
        #expect(
            errors == [
                .init(field: "quota.limits[2].window", message: "window 'minute' is already limited by quota.limits[0]")
            ]
        )
    }

    @Test func rejectsTheDuplicateWindowAtIndexOne() throws {
        let errors = try Self.fieldErrors(limits: [QuotaLimit(window: .day), QuotaLimit(window: .day)])
        #expect(errors.map(\.field) == ["quota.limits[1].window"])
    }

    @Test(arguments: QuotaDimension.allCases, [Int64(-1), .min])
    func rejectsANegativeLimit(_ dimension: QuotaDimension, _ value: Int64) throws {
        var limit = QuotaLimit(window: .hour)
        if dimension == .requests { limit.requests = value } else { limit.tokens = value }
        let errors = try Self.fieldErrors(limits: [QuotaLimit(window: .second), limit])
        #expect(
            errors == [
                .init(
                    field: "quota.limits[1].\(dimension.rawValue)",
                    message: "must be 0 (unlimited) or positive, got \(value)"
                )
            ]
        )
    }

    @Test(arguments: QuotaDimension.allCases, [QuotaLimit.maximumValue + 1, .max])
    func rejectsALimitAboveTwoToThe53MinusOne(_ dimension: QuotaDimension, _ value: Int64) throws {
        let limit =
            dimension == .requests ? QuotaLimit(window: .day, requests: value) : QuotaLimit(window: .day, tokens: value)
        #expect(
            try Self.fieldErrors(limits: [limit])
                == [.init(field: "quota.limits[0].\(dimension.rawValue)", message: "must be at most 9007199254740991")]
        )
    }

    @Test func acceptsLimitsOfZeroAndOfTwoToThe53MinusOne() throws {
        #expect(QuotaLimit.maximumValue == (1 << 53) - 1)
        let limits = [QuotaLimit(window: .day, requests: QuotaLimit.maximumValue, tokens: 0)]
        #expect(try Self.fieldErrors(limits: limits).isEmpty)
    }

    // MARK: - Models and tools

    @Test(arguments: [
        "", "gpt 4o", "gpt-4o,claude", "tab\tname", "new\nline", "caf\u{E9}", "del\u{7F}",
        String(repeating: "m", count: 257),
    ])
    func rejectsAModelNameThatIsNotVisibleASCIIWithoutSpacesOrCommas(_ name: String) throws {
        let errors = try Self.fieldErrors(policy: PolicyConfig(allowedModels: ["ok", name]))
        #expect(
            errors == [
                .init(
                    field: "policy.allowed_models[1]",
                    message: "must be 1-256 visible ASCII characters without spaces or commas"
                )
            ]
        )
    }

    @Test(arguments: ["", "a b", "a,b", String(repeating: "t", count: 257)])
    func rejectsABadToolNameUnderItsOwnField(_ name: String) throws {
        let errors = try Self.fieldErrors(policy: PolicyConfig(allowedTools: [name]))
        #expect(errors.map(\.field) == ["policy.allowed_tools[0]"])
    }

    @Test(arguments: ["gpt-4o", "claude-3.5-sonnet@2024", "a", "!~", String(repeating: "m", count: 256)])
    func acceptsVisibleASCIINamesUpTo256Bytes(_ name: String) throws {
        #expect(try Self.fieldErrors(policy: PolicyConfig(allowedModels: [name], allowedTools: [name])).isEmpty)
    }

    // MARK: - Methods

    @Test(arguments: ["", "GE T", "GET\r\n", "G\u{C9}T", "GET/", "(GET)", "GET:", String(repeating: "M", count: 33)])
    func rejectsAMethodThatIsNotAnHTTPToken(_ method: String) throws {
        let errors = try Self.fieldErrors(policy: PolicyConfig(allowedMethods: ["GET", method]))
        #expect(
            errors == [.init(field: "policy.allowed_methods[1]", message: "must be an HTTP method token such as GET")]
        )
    }

    @Test(arguments: ["GET", "M-SEARCH", "X!#$%&'*+-.^_`|~9", String(repeating: "M", count: 32)])
    func acceptsEveryTokenCharacterUpTo32Bytes(_ method: String) throws {
        #expect(try Self.fieldErrors(policy: PolicyConfig(allowedMethods: [method])).isEmpty)
    }

    // MARK: - Path patterns

    @Test(arguments: ["api/v1", "*", "", " /api", "api/*", "\u{301}/api"])
    func rejectsAPathPatternThatDoesNotStartWithASlash(_ pattern: String) throws {
        let errors = try Self.fieldErrors(policy: PolicyConfig(allowedPaths: [pattern]))
        #expect(errors == [.init(field: "policy.allowed_paths[0]", message: "must start with '/'")])
    }

    @Test(arguments: ["/api/*/x", "/**", "/a*b*", "/*/", "/a*\u{301}", "/a*\u{301}*"])
    func rejectsAStarThatIsNotTheLastByte(_ pattern: String) throws {
        let errors = try Self.fieldErrors(policy: PolicyConfig(allowedPaths: [pattern]))
        #expect(
            errors == [
                .init(
                    field: "policy.allowed_paths[0]",
                    message: "'*' is allowed only as the last character (a prefix pattern)"
                )
            ]
        )
    }

    @Test(arguments: ["/a?b", "/a?", "/a?*", "/a#b", "/a#*", "/a?\u{301}"])
    func rejectsAQueryOrFragmentInAPattern(_ pattern: String) throws {
        let errors = try Self.fieldErrors(policy: PolicyConfig(allowedPaths: [pattern]))
        #expect(errors == [.init(field: "policy.allowed_paths[0]", message: "must not contain a query or fragment")])
    }

    static let notNormalMessage =
        "is not a normalised path (no '//', '.' or '..' segments, control characters, "
        + "or '%' escapes other than %25, %3F and %23)"

    @Test(arguments: [
        ("/api//v1", "/api/v1"),
        ("/api/./v1/*", "/api/v1/*"),
        ("/api/v1/../v2", "/api/v2"),
        ("/api/v1/..", "/api/"),
        ("/%61pi/*", "/api/*"),
        ("/a%2Fb", "/a/b"),
        ("//*", "/*"),
        ("/a%3fb", "/a%3Fb"),
    ])
    func rejectsAPatternThatNormalisationWouldChangeWithAHint(_ pattern: String, _ hint: String) throws {
        let errors = try Self.fieldErrors(policy: PolicyConfig(allowedPaths: ["/", pattern]))
        #expect(
            errors == [.init(field: "policy.allowed_paths[1]", message: "\(Self.notNormalMessage); write '\(hint)'")]
        )
    }

    @Test(arguments: ["/a%zz", "/a%", "/a%00", "/a\u{1}b", "/a%C0%AE"])
    func rejectsAPatternWithoutANormalFormWithoutAHint(_ pattern: String) throws {
        let errors = try Self.fieldErrors(policy: PolicyConfig(allowedPaths: [pattern]))
        #expect(errors == [.init(field: "policy.allowed_paths[0]", message: Self.notNormalMessage)])
    }

    @Test(arguments: [
        "/", "/*", "/api/v1/ping", "/api/v1/resources*", "/api/v1/chat/*", "/files/100%25", "/caf\u{E9}", "/a.b/c..d",
    ])
    func acceptsANormalisedPattern(_ pattern: String) throws {
        #expect(try Self.fieldErrors(policy: PolicyConfig(allowedPaths: [pattern])).isEmpty)
    }

    @Test func acceptsAPatternThatMatchesTheRequestsWhosePathsItNames() throws {
        let policy = try Self.config(policy: PolicyConfig(allowedPaths: ["/files/100%25"])).validated().policy
        #expect(PolicyEvaluator.evaluate(policy, PolicyRequest(method: "GET", path: "/files/100%25")).isAllowed)
    }

    @Test func rejectsAPatternLongerThan2048Bytes() throws {
        let pattern = "/" + String(repeating: "p", count: 2_048)
        let errors = try Self.fieldErrors(policy: PolicyConfig(allowedPaths: [pattern]))
        #expect(errors == [.init(field: "policy.allowed_paths[0]", message: "must be at most 2048 bytes")])
    }

    @Test func acceptsAPatternOf2048Bytes() throws {
        let pattern = "/" + String(repeating: "p", count: 2_046) + "*"
        #expect(try Self.fieldErrors(policy: PolicyConfig(allowedPaths: [pattern])).isEmpty)
    }

    // MARK: - List sizes

    @Test(arguments: ["allowed_models", "allowed_tools", "allowed_methods", "allowed_paths"])
    func rejectsAListOfMoreThan256EntriesOnce(_ list: String) throws {
        var policy = PolicyConfig()
        switch list {
        case "allowed_models": policy.allowedModels = Array(repeating: "m", count: 257)
        case "allowed_tools": policy.allowedTools = Array(repeating: "t", count: 257)
        case "allowed_methods": policy.allowedMethods = Array(repeating: "GET", count: 257)
        default: policy.allowedPaths = Array(repeating: "/p", count: 257)
        }
        #expect(
            try Self.fieldErrors(policy: policy)
                == [.init(field: "policy.\(list)", message: "has 257 entries; at most 256 are allowed")]
        )
    }

    @Test func acceptsListsOf256Entries() throws {
        let policy = PolicyConfig(
            allowedModels: Array(repeating: "m", count: 256),
            allowedTools: Array(repeating: "t", count: 256),
            allowedMethods: Array(repeating: "GET", count: 256),
            allowedPaths: Array(repeating: "/p", count: 256)
        )
        #expect(try Self.fieldErrors(policy: policy).isEmpty)
    }

    // MARK: - Metadata and version

    @Test func rejectsMoreThan64MetadataEntries() throws {
        let metadata = Dictionary(uniqueKeysWithValues: (0..<65).map { ("k\($0)", "v") })
        #expect(
            try Self.fieldErrors(metadata: metadata)
                == [.init(field: "metadata", message: "has 65 entries; at most 64 are allowed")]
        )
    }

    @Test(arguments: ["", String(repeating: "k", count: 129), "a\u{0}b", "line\nbreak", "del\u{7F}"])
    func rejectsABadMetadataKeyWithoutEchoingIt(_ key: String) throws {
        #expect(
            try Self.fieldErrors(metadata: [key: "v", "plan": "pro"])
                == [.init(field: "metadata", message: "keys must be 1-128 bytes without control characters")]
        )
    }

    @Test func reportsBadMetadataKeysOnce() throws {
        let errors = try Self.fieldErrors(metadata: ["": "v", "\u{1}": String(repeating: "v", count: 2_000), "\n": "v"])
        #expect(errors == [.init(field: "metadata", message: "keys must be 1-128 bytes without control characters")])
    }

    @Test func rejectsAMetadataValueLongerThan1024BytesNamingItsKey() throws {
        let errors = try Self.fieldErrors(metadata: ["plan": String(repeating: "v", count: 1_025), "owner": "x"])
        #expect(errors == [.init(field: "metadata.plan", message: "must be at most 1024 bytes")])
    }

    @Test func acceptsMetadataAtItsBounds() throws {
        var metadata = Dictionary(uniqueKeysWithValues: (0..<63).map { ("k\($0)", "") })
        metadata[String(repeating: "k", count: 128)] = String(repeating: "\u{E9}", count: 512)
        #expect(try Self.fieldErrors(metadata: metadata).isEmpty)
    }

    @Test func rejectsANegativeVersion() throws {
        #expect(
            try Self.fieldErrors(Self.config(version: -1)) == [.init(field: "version", message: "must not be negative")]
        )
    }

    // MARK: - The error

    @Test func reportsEveryBadFieldInOneErrorInFieldOrder() throws {
        let config = try Self.config(
            quota: QuotaConfig(limits: [QuotaLimit(window: .day, requests: -1), QuotaLimit(window: .day)]),
            policy: PolicyConfig(
                allowedModels: ["a b"],
                allowedTools: [""],
                allowedMethods: ["G T"],
                allowedPaths: ["x"]
            ),
            metadata: ["plan": String(repeating: "v", count: 1_025)],
            version: -1
        )
        let error = try #require(throws: TenancyError.self) { try config.validated() }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message == "tenant 'acme': 8 fields are invalid")
        #expect(
            error.fieldErrors.map(\.field) == [
                "quota.limits[0].requests", "quota.limits[1].window", "policy.allowed_models[0]",
                "policy.allowed_tools[0]",
                "policy.allowed_methods[0]", "policy.allowed_paths[0]", "metadata.plan", "version",
            ]
        )
    }

    @Test func saysOneFieldInTheSingular() throws {
        let error = try #require(throws: TenancyError.self) { try Self.config(version: -1).validated() }
        #expect(error.message == "tenant 'acme': 1 field is invalid")
    }
}
