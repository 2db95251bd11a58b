import Testing

@testable import TenancyMetrics

/// The decisions of a connection, without sockets.
@Suite struct ConnectionHandlerTests {
    private func handler(token: String? = nil) -> ConnectionHandler {
        ConnectionHandler(configuration: .init(bearerToken: token)) { _ in }
    }

    private func head(_ method: String, _ path: String, authorization: String? = nil) -> RequestHeadParser.Head {
        .init(method: method, path: path, minorVersion: 1, authorization: authorization)
    }

    @Test(arguments: [
        ("GET", "/metrics", ConnectionHandler.Decision.metrics(headOnly: false)),
        ("HEAD", "/metrics", .metrics(headOnly: true)),
        ("GET", "/", .error(.notFound, headOnly: false)),
        ("HEAD", "/x", .error(.notFound, headOnly: true)),
        ("POST", "/x", .error(.notFound, headOnly: false)),
        ("POST", "/metrics", .error(.methodNotAllowed, headOnly: false)),
    ])
    func aPathIsCheckedBeforeTheMethod(method: String, path: String, decision: ConnectionHandler.Decision) {
        #expect(handler().decide(head(method, path)) == decision)
    }

    @Test func withATokenTheMetricsPathNeedsItAndOtherPathsStay404() {
        let handler = handler(token: "t")
        #expect(handler.decide(head("GET", "/metrics")) == .error(.unauthorized, headOnly: false))
        #expect(handler.decide(head("HEAD", "/metrics")) == .error(.unauthorized, headOnly: true))
        #expect(handler.decide(head("GET", "/metrics", authorization: "Bearer t")) == .metrics(headOnly: false))
        #expect(handler.decide(head("GET", "/other")) == .error(.notFound, headOnly: false))
    }

    @Test(arguments: [
        ("Bearer tok", true), ("bearer tok", true), ("BeArEr    tok", true), ("Bearer tok ", false),
        ("Bearer to", false), ("Bearer tokk", false), ("Bearertok", false), ("Bearer", false), ("tok", false),
        ("Basic tok", false), ("", false),
    ])
    func theBearerSchemeIsCaseInsensitiveAndTheTokenExact(authorization: String, authorized: Bool) {
        #expect(handler(token: "tok").isAuthorized(authorization) == authorized)
    }

    @Test func withoutATokenEverythingIsAuthorized() {
        #expect(handler().isAuthorized(nil))
        #expect(handler().isAuthorized("Basic x"))
        #expect(!handler(token: "t").isAuthorized(nil))
    }

    @Test(arguments: [
        ("abc", "abc", true), ("abd", "abc", false), ("ab", "abc", false), ("abcd", "abc", false),
        ("", "abc", false), ("\u{0}\u{0}\u{0}", "abc", false),
    ])
    func theConstantTimeComparisonIsAnEquality(given: String, expected: String, equal: Bool) {
        #expect(ConnectionHandler.constantTimeEquals(Array(given.utf8)[...], Array(expected.utf8)) == equal)
    }

    @Test func aShorterTokenPaddedWithTheComplementOfTheExpectedBytesStillDiffers() {
        // The padding for missing bytes is `~expected`, never equal to the expected byte.
        #expect(!ConnectionHandler.constantTimeEquals([0xFF][...], [0xFF, 0x00]))
        #expect(!ConnectionHandler.constantTimeEquals([][...], [0x00]))
    }
}
