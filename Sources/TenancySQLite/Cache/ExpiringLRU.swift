/// A bounded map that evicts the least recently used entry when full and drops entries whose expiry has
/// passed. Not thread-safe: the owner keeps it behind its lock.
///
/// All operations are O(1): a dictionary from key to slot over a dense array of nodes threaded on an
/// intrusive doubly linked recency list by index, with freed slots reused, so the array never grows past
/// `capacity`. Time is passed in (nanoseconds since the epoch), never read here.
struct ExpiringLRU<Key: Hashable, Value> {
    /// The result of a lookup.
    enum Lookup {
        /// A live entry; it is now the most recently used.
        case hit(Value)
        /// The entry had expired and was removed.
        case expired
        /// No entry.
        case miss
    }

    fileprivate struct Node {
        var key: Key?
        var value: Value?
        var expiresAt: Int64
        /// The more recently used neighbour.
        var previous: Int
        /// The less recently used neighbour, or the next free slot.
        var next: Int
    }

    private static var end: Int { -1 }

    /// The most entries held; 0 holds nothing.
    let capacity: Int
    private var index: [Key: Int] = [:]
    private var nodes: [Node] = []
    private var head = ExpiringLRU.end
    private var tail = ExpiringLRU.end
    private var free = ExpiringLRU.end

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The number of entries, including expired ones not yet dropped.
    var count: Int { index.count }

    /// Looks `key` up at time `now`.
    mutating func lookup(_ key: Key, now: Int64) -> Lookup {
        guard let slot = index[key] else { return .miss }
        guard now < nodes[slot].expiresAt else {
            release(slot)
            return .expired
        }
        moveToFront(slot)
        // Every linked node holds a value; the fallback is unreachable.
        guard let value = nodes[slot].value else { return .miss }
        return .hit(value)
    }

    /// Stores `value` under `key` until `expiresAt` as the most recently used entry.
    /// - Returns: Whether another entry was evicted to make room.
    @discardableResult
    mutating func insert(_ key: Key, _ value: Value, expiresAt: Int64) -> Bool {
        guard capacity > 0 else { return false }
        if let slot = index[key] {
            nodes[slot].value = value
            nodes[slot].expiresAt = expiresAt
            moveToFront(slot)
            return false
        }
        var evicted = false
        if index.count >= capacity {
            release(tail)
            evicted = true
        }
        let node = Node(key: key, value: value, expiresAt: expiresAt, previous: Self.end, next: Self.end)
        let slot: Int
        if free != Self.end {
            slot = free
            free = nodes[slot].next
            nodes[slot] = node
        } else {
            slot = nodes.count
            nodes.append(node)
        }
        index[key] = slot
        linkAtFront(slot)
        return evicted
    }

    /// Removes the entry of `key`, if any.
    mutating func remove(_ key: Key) {
        if let slot = index[key] { release(slot) }
    }

    /// Removes every entry.
    mutating func removeAll() {
        index.removeAll()
        nodes.removeAll()
        head = Self.end
        tail = Self.end
        free = Self.end
    }

    /// The keys from the most to the least recently used, for tests.
    var keysByRecency: [Key] {
        var keys: [Key] = []
        var slot = head
        while slot != Self.end {
            if let key = nodes[slot].key { keys.append(key) }
            slot = nodes[slot].next
        }
        return keys
    }

    private mutating func release(_ slot: Int) {
        unlink(slot)
        if let key = nodes[slot].key { index[key] = nil }
        nodes[slot].key = nil
        nodes[slot].value = nil
        nodes[slot].next = free
        free = slot
    }

    private mutating func moveToFront(_ slot: Int) {
        guard slot != head else { return }
        unlink(slot)
        linkAtFront(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let previous = nodes[slot].previous
        let next = nodes[slot].next
        if previous != Self.end { nodes[previous].next = next } else { head = next }
        if next != Self.end { nodes[next].previous = previous } else { tail = previous }
        nodes[slot].previous = Self.end
        nodes[slot].next = Self.end
    }

    private mutating func linkAtFront(_ slot: Int) {
        nodes[slot].previous = Self.end
        nodes[slot].next = head
        if head != Self.end { nodes[head].previous = slot } else { tail = slot }
        head = slot
    }
}

extension ExpiringLRU: Sendable where Key: Sendable, Value: Sendable {}
extension ExpiringLRU.Node: Sendable where Key: Sendable, Value: Sendable {}
