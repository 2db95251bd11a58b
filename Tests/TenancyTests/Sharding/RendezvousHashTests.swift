import Testing

@testable import Tenancy

@Suite struct RendezvousHashTests {
    static let threeNodes = ["node-a", "node-b", "node-c"]

    static func tenants(_ count: Int) throws -> [TenantID] {
        try (0..<count).map { try TenantID("tenant-\($0)") }
    }

    @Test func routesTenantsTheSameWayForever() throws {
        // Changing these values would move tenants between nodes: never do it.
        // Computed independently in Python: argmax over nodes of fmix64(stableHash(tenant) ^ stableHash(node)).
        let hash = try RendezvousHash(nodes: Self.threeNodes)
        let expected = [
            "acme": "node-c", "tenant-42": "node-c", "globex": "node-a", "cyberdyne": "node-b",
        ]
        for (raw, node) in expected {
            #expect(hash.node(for: try TenantID(raw)) == node, "tenant \(raw)")
        }
    }

    @Test func dependsOnTheSetOfNodesNotTheirOrder() throws {
        let forward = try RendezvousHash(nodes: Self.threeNodes)
        let backward = try RendezvousHash(nodes: Self.threeNodes.reversed())
        #expect(forward.nodes == backward.nodes)
        for tenant in try Self.tenants(1_000) {
            #expect(forward.node(for: tenant) == backward.node(for: tenant))
        }
    }

    @Test func spreads100000TenantsOver5NodesWithin5PercentOfTheMean() throws {
        let hash = try RendezvousHash(nodes: (0..<5).map { "node-\($0)" })
        var counts: [String: Int] = [:]
        for tenant in try Self.tenants(100_000) {
            counts[hash.node(for: tenant), default: 0] += 1
        }
        #expect(counts.count == 5)
        for (node, count) in counts {
            #expect((19_000...21_000).contains(count), "\(node) holds \(count) tenants")
        }
    }

    @Test func removingANodeMovesOnlyTheTenantsItHeld() throws {
        let before = try RendezvousHash(nodes: Self.threeNodes)
        let after = try RendezvousHash(nodes: ["node-a", "node-c"])
        var movedAway = 0
        for tenant in try Self.tenants(10_000) {
            let from = before.node(for: tenant)
            let to = after.node(for: tenant)
            if from == "node-b" {
                movedAway += 1
                #expect(to != "node-b")
            } else {
                #expect(to == from, "\(tenant) moved from \(from) to \(to)")
            }
        }
        #expect(movedAway > 0)
    }

    @Test func addingANodeMovesTenantsOnlyOntoTheNewNode() throws {
        let before = try RendezvousHash(nodes: Self.threeNodes)
        let after = try RendezvousHash(nodes: Self.threeNodes + ["node-d"])
        var moved = 0
        for tenant in try Self.tenants(10_000) {
            let from = before.node(for: tenant)
            let to = after.node(for: tenant)
            if from != to {
                moved += 1
                #expect(to == "node-d", "\(tenant) moved from \(from) to \(to)")
            }
        }
        // About a quarter of the tenants; allow 10% either way.
        #expect((2_250...2_750).contains(moved), "\(moved) tenants moved")
    }

    @Test func breaksWeightTiesInFavourOfTheNameThatSortsFirst() {
        // Two names with the same hash have equal weights for every key.
        let nodes = [RendezvousHash.Node(name: "zeta", hash: 42), RendezvousHash.Node(name: "alpha", hash: 42)]
        let hash = RendezvousHash(validatedNodes: nodes)
        let reversed = RendezvousHash(validatedNodes: nodes.reversed())
        for key in [UInt64.min, 7, 0xdead_beef, UInt64.max] {
            #expect(hash.node(forKey: key) == "alpha")
            #expect(reversed.node(forKey: key) == "alpha")
        }
    }

    @Test func sendsEveryTenantToTheOnlyNode() throws {
        let hash = try RendezvousHash(nodes: ["solo"])
        for tenant in try Self.tenants(100) {
            #expect(hash.node(for: tenant) == "solo")
        }
    }

    @Test func rejectsAnEmptyNodeSet() {
        #expect(throws: TenancyError(.invalidArgument, "rendezvous hashing needs at least one node")) {
            try RendezvousHash(nodes: [String]())
        }
    }

    @Test func rejectsAnEmptyNodeName() {
        #expect(throws: TenancyError(.invalidArgument, "rendezvous node names must not be empty")) {
            try RendezvousHash(nodes: ["node-a", ""])
        }
    }

    @Test(arguments: [
        (["node-a", "node-b", "node-a"], #""node-a""#),
        (["caf\u{E9}", "cafe\u{301}"], #""cafe\#u{301}""#),
        (["line\nbreak", "line\nbreak"], #""line\nbreak""#),
    ])
    func rejectsANodeListedTwiceQuotingItsEscapedName(_ nodes: [String], _ quoted: String) {
        #expect(throws: TenancyError(.invalidArgument, "rendezvous node \(quoted) is listed more than once")) {
            try RendezvousHash(nodes: nodes)
        }
    }
}
