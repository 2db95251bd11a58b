/// Rendezvous (highest random weight) hashing: maps a tenant to one node of an arbitrary set of named
/// nodes, so that removing a node moves only the tenants it held and adding one moves only the tenants it
/// takes.
///
/// A tenant's weight on a node mixes the tenant's ``TenantID/stableHash`` with the node name's
/// ``StableHash``; the node with the highest weight wins, and equal weights (possible only when two names'
/// hashes collide) go to the name that sorts first by bytes. The result depends on the set of nodes, never
/// on their order, and is the same in every process. Lookups cost one multiply-xor mix per node.
public struct RendezvousHash: Hashable, Sendable {
    /// A node name and its precomputed ``StableHash``.
    struct Node: Hashable, Sendable {
        var name: String
        var hash: UInt64
    }

    /// Nodes sorted by the bytes of their names, so a scan that keeps the first maximum breaks ties by name.
    private let sortedNodes: [Node]

    /// The node names, sorted by their UTF-8 bytes.
    public var nodes: [String] { sortedNodes.map(\.name) }

    /// Creates a hash over a set of nodes.
    /// - Parameter nodes: The node names; at least one, none empty, no two equal.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidArgument`` when `nodes` is empty,
    ///   contains an empty name, or contains a name twice.
    public init(nodes: some Sequence<String>) throws(TenancyError) {
        var seen = Set<String>()
        var collected: [Node] = []
        for name in nodes {
            guard !name.isEmpty else {
                throw TenancyError(.invalidArgument, "rendezvous node names must not be empty")
            }
            guard seen.insert(name).inserted else {
                throw TenancyError(
                    .invalidArgument,
                    "rendezvous node \(Self.quoted(name)) is listed more than once"
                )
            }
            collected.append(Node(name: name, hash: StableHash.hash(name)))
        }
        guard !collected.isEmpty else {
            throw TenancyError(.invalidArgument, "rendezvous hashing needs at least one node")
        }
        self.init(validatedNodes: collected)
    }

    /// Creates a hash over nodes that are already known to be non-empty and distinct.
    /// - Parameter validatedNodes: The nodes, in any order; their hashes are taken as given.
    init(validatedNodes: [Node]) {
        sortedNodes = validatedNodes.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// The node of `tenant`. Allocation-free.
    /// - Parameter tenant: The tenant.
    /// - Returns: One of ``nodes``.
    public func node(for tenant: TenantID) -> String {
        node(forKey: tenant.stableHash)
    }

    /// The node of `key`. Allocation-free.
    /// - Parameter key: A stable 64-bit key, such as a ``StableHash`` value.
    /// - Returns: One of ``nodes``.
    public func node(forKey key: UInt64) -> String {
        var winner = 0
        var best = Self.weight(key: key, node: sortedNodes[0].hash)
        for index in sortedNodes.indices.dropFirst() {
            let weight = Self.weight(key: key, node: sortedNodes[index].hash)
            // Strictly greater: on a tie the earlier node, whose name sorts first, keeps the key.
            if weight > best {
                best = weight
                winner = index
            }
        }
        return sortedNodes[winner].name
    }

    /// The weight of `key` on a node: the MurmurHash3 finaliser over the xor of the two stable hashes.
    /// The finaliser is a bijection, so two nodes tie only when their name hashes are equal.
    @inline(__always)
    static func weight(key: UInt64, node: UInt64) -> UInt64 {
        StableHash.finalize(key ^ node)
    }

    /// The first 64 characters of `name`, quoted and escaped, so an error message stays bounded and
    /// control characters never reach a log line raw.
    private static func quoted(_ name: String) -> String {
        name.count <= 64 ? name.debugDescription : String(name.prefix(64)).debugDescription + "..."
    }
}
