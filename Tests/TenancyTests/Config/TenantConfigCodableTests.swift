import Foundation
import Testing

@testable import Tenancy

@Suite struct TenantConfigCodableTests {
    /// The tenant JSON of DESIGN.md, verbatim.
    static let designExample = """
        {"id": "acme", "status": "active",
         "quota": {"algorithm": "fixed_window",
                   "limits": [{"window": "minute", "requests": 600, "tokens": 100000}]},
         "policy": {"allowed_models": ["gpt-4o"], "allowed_tools": [], "allowed_methods": [], "allowed_paths": []},
         "metadata": {"plan": "pro"}, "version": 1,
         "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
        """

    static func decode(_ json: String) throws -> TenantConfig {
        try JSONDecoder().decode(TenantConfig.self, from: Data(json.utf8))
    }

    static func encode(_ config: TenantConfig) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(config), as: UTF8.self)
    }

    static func object(_ json: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func decodesEveryFieldOfTheDesignExample() throws {
        let config = try Self.decode(Self.designExample)
        #expect(config.id == (try TenantID("acme")))
        #expect(config.status == .active)
        #expect(config.quota.algorithm == .fixedWindow)
        #expect(config.quota.limits == [QuotaLimit(window: .minute, requests: 600, tokens: 100_000)])
        #expect(config.policy.allowedModels == ["gpt-4o"])
        #expect(config.policy.allowedTools.isEmpty)
        #expect(config.policy.allowedMethods.isEmpty)
        #expect(config.policy.allowedPaths.isEmpty)
        #expect(config.metadata == ["plan": "pro"])
        #expect(config.version == 1)
        #expect(config.createdAt == Timestamp(year: 2026, month: 1, day: 1))
        #expect(config.updatedAt == Timestamp(year: 2026, month: 1, day: 1))
    }

    @Test func encodesTheDesignExampleAsItsExactSnakeCaseJSON() throws {
        let json = try Self.encode(try Self.decode(Self.designExample))
        #expect(
            json == """
                {"created_at":"2026-01-01T00:00:00Z","id":"acme","metadata":{"plan":"pro"},\
                "policy":{"allowed_methods":[],"allowed_models":["gpt-4o"],"allowed_paths":[],"allowed_tools":[]},\
                "quota":{"algorithm":"fixed_window","limits":[{"requests":600,"tokens":100000,"window":"minute"}]},\
                "status":"active","updated_at":"2026-01-01T00:00:00Z","version":1}
                """
        )
    }

    @Test func encodesTheSameKeysAsTheDesignAtEveryLevel() throws {
        let design = try Self.object(Self.designExample)
        let encoded = try Self.object(try Self.encode(try Self.decode(Self.designExample)))
        #expect(Set(encoded.keys) == Set(design.keys))
        let designQuota = try #require(design["quota"] as? [String: Any])
        let encodedQuota = try #require(encoded["quota"] as? [String: Any])
        #expect(Set(encodedQuota.keys) == Set(designQuota.keys))
        let designLimit = try #require((designQuota["limits"] as? [[String: Any]])?.first)
        let encodedLimit = try #require((encodedQuota["limits"] as? [[String: Any]])?.first)
        #expect(Set(encodedLimit.keys) == Set(designLimit.keys))
        let designPolicy = try #require(design["policy"] as? [String: Any])
        let encodedPolicy = try #require(encoded["policy"] as? [String: Any])
        #expect(Set(encodedPolicy.keys) == Set(designPolicy.keys))
    }

    @Test func roundTripsAFullConfig() throws {
        var config = TenantConfig(
            id: try TenantID("tenant-42"),
            status: .suspended,
            quota: QuotaConfig(
                algorithm: .tokenBucket,
                limits: [
                    QuotaLimit(window: .second, requests: 10),
                    QuotaLimit(window: .month, tokens: QuotaLimit.maximumValue),
                ]
            ),
            policy: PolicyConfig(
                allowedModels: ["a", "b"],
                allowedTools: ["t"],
                allowedMethods: ["GET", "POST"],
                allowedPaths: ["/api/v1/*", "/x"]
            ),
            metadata: ["plan": "pro", "owner": "ops \u{1F680}", "empty": ""]
        )
        config.version = 7
        config.createdAt = Timestamp(year: 1969, month: 7, day: 20, hour: 20, minute: 17, second: 40, nanosecond: 1)
        config.updatedAt = Timestamp(nanosecondsSinceEpoch: Int64.max)
        #expect(try Self.decode(try Self.encode(config)) == config)
    }

    @Test func defaultsEveryFieldButTheID() throws {
        let config = try Self.decode(#"{"id":"acme"}"#)
        #expect(config == TenantConfig(id: try TenantID("acme")))
        #expect(config.status == .active)
        #expect(config.quota == .unlimited)
        #expect(config.quota.algorithm == .fixedWindow)
        #expect(config.policy == .allowAll)
        #expect(config.metadata.isEmpty)
        #expect(config.version == 0)
        #expect(config.createdAt == Timestamp(nanosecondsSinceEpoch: 0))
        #expect(config.updatedAt == Timestamp(nanosecondsSinceEpoch: 0))
    }

    @Test func treatsNullLikeAMissingField() throws {
        let json =
            #"{"id":"acme","status":null,"quota":null,"policy":null,"metadata":null,"version":null,"created_at":null}"#
        #expect(try Self.decode(json) == TenantConfig(id: try TenantID("acme")))
    }

    @Test func defaultsMissingPartsOfNestedObjects() throws {
        let config = try Self.decode(
            #"{"id":"acme","quota":{"limits":[{"window":"hour","tokens":5}]},"policy":{"allowed_tools":["x"]}}"#
        )
        #expect(
            config.quota
                == QuotaConfig(algorithm: .fixedWindow, limits: [QuotaLimit(window: .hour, requests: 0, tokens: 5)])
        )
        #expect(config.policy == PolicyConfig(allowedTools: ["x"]))
    }

    @Test(arguments: [
        #"{"id":"a b"}"#, #"{"id":""}"#, #"{"id":"acme/../x"}"#, #"{"id":"caf\u00e9"}"#, #"{"id":5}"#, #"{"id":null}"#,
        "{}",
        #"{"status":"active"}"#,
    ])
    func failsToDecodeWithoutAValidTenantID(_ json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(json) }
    }

    @Test func namesTheBadByteOfAnInvalidIDInTheDecodingError() throws {
        let error = try #require(throws: DecodingError.self) { try Self.decode(#"{"id":"a:b"}"#) }
        guard case .dataCorrupted(let context) = error else {
            Issue.record("expected dataCorrupted, got \(error)")
            return
        }
        #expect(context.debugDescription.contains("byte 0x3A (':') at offset 1"))
        #expect(context.codingPath.map(\.stringValue) == ["id"])
    }

    @Test(arguments: [
        #"{"id":"acme","status":"deleted"}"#,
        #"{"id":"acme","quota":{"algorithm":"leaky_bucket"}}"#,
        #"{"id":"acme","quota":{"limits":[{"window":"week"}]}}"#,
        #"{"id":"acme","quota":{"limits":[{"requests":1}]}}"#,
        #"{"id":"acme","quota":{"limits":[{"window":"day","requests":1.5}]}}"#,
        #"{"id":"acme","quota":{"limits":[{"window":"day","tokens":"10"}]}}"#,
        #"{"id":"acme","quota":{"limits":[{"window":"day","requests":9223372036854775808}]}}"#,
        #"{"id":"acme","policy":{"allowed_models":"gpt-4o"}}"#,
        #"{"id":"acme","metadata":{"plan":1}}"#,
        #"{"id":"acme","version":"1"}"#,
        #"{"id":"acme","created_at":"yesterday"}"#,
        #"{"id":"acme","updated_at":"2026-02-30T00:00:00Z"}"#,
        #"{"id":"acme","created_at":1767225600}"#,
    ])
    func failsToDecodeAFieldOfTheWrongShape(_ json: String) {
        #expect(throws: DecodingError.self) { try Self.decode(json) }
    }

    /// Decoding checks shapes; ``TenantConfig/validated()`` checks values, with field-level errors.
    @Test func decodesANegativeLimitAndLeavesItToValidation() throws {
        let config = try Self.decode(#"{"id":"acme","quota":{"limits":[{"window":"day","requests":-1}]}}"#)
        #expect(config.quota.limits.first?.requests == -1)
        #expect(throws: TenancyError.self) { try config.validated() }
    }

    @Test func decodesTimestampsWithOffsetsAndFractions() throws {
        let config = try Self.decode(#"{"id":"acme","created_at":"2026-01-01T02:00:00.25+02:00"}"#)
        #expect(config.createdAt == Timestamp(year: 2026, month: 1, day: 1, nanosecond: 250_000_000))
    }
}
