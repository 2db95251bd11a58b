import Foundation
import Testing

@testable import Tenancy

@Suite struct PolicyConfigTests {
    @Test func allowsEverythingByDefault() {
        let policy = PolicyConfig()
        #expect(policy.allowedModels.isEmpty && policy.allowedTools.isEmpty)
        #expect(policy.allowedMethods.isEmpty && policy.allowedPaths.isEmpty)
        #expect(policy == .allowAll)
    }

    @Test func decodesMissingListsAsEmpty() throws {
        let policy = try JSONDecoder().decode(PolicyConfig.self, from: Data(#"{"allowed_paths":["/x"]}"#.utf8))
        #expect(policy == PolicyConfig(allowedPaths: ["/x"]))
    }

    @Test func encodesSnakeCaseKeys() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let policy = PolicyConfig(
            allowedModels: ["m"],
            allowedTools: ["t"],
            allowedMethods: ["GET"],
            allowedPaths: ["/p*"]
        )
        #expect(
            String(decoding: try encoder.encode(policy), as: UTF8.self)
                == #"{"allowed_methods":["GET"],"allowed_models":["m"],"allowed_paths":["/p*"],"allowed_tools":["t"]}"#
        )
    }

    @Test func ignoresCamelCaseKeys() throws {
        let policy = try JSONDecoder().decode(PolicyConfig.self, from: Data(#"{"allowedModels":["m"]}"#.utf8))
        #expect(policy.allowedModels.isEmpty)
    }
}
