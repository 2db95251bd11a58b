import Testing

@testable import Tenancy

@Suite struct PolicyRequirementsTests {
    @Test func emptyRequirementsNeedNeitherModelNorTool() {
        let requirements: PolicyRequirements = []
        #expect(!requirements.contains(.model))
        #expect(!requirements.contains(.tool))
    }

    @Test func modelAndToolAreIndependentRequirements() {
        #expect(!PolicyRequirements.model.contains(.tool))
        #expect(!PolicyRequirements.tool.contains(.model))
        #expect(PolicyRequirements.model.rawValue & PolicyRequirements.tool.rawValue == 0)
    }

    @Test func aUnionNeedsBoth() {
        let both: PolicyRequirements = [.model, .tool]
        #expect(both.contains(.model) && both.contains(.tool))
        #expect(both == PolicyRequirements(rawValue: 0b11))
    }
}
