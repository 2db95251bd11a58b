/// A bounded map that evicts the least recently used entry when full and drops entries whose expiry has
/// passed. Not thread-safe: the owner keeps it behind its lock.
///
/// All operations are O(1): a dictionary from key to slot over a dense array of nodes threaded on an
/// intrusive doubly linked recency list by index, with freed slots reused, so the array never grows past
/// `capacity`. Time is passed in (nanoseconds since the epoch), never read here.
package struct ExpiringLRU<Key: Hashable, Value> {
    /// The result of a lookup.
    package enum Lookup {
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
    package let capacity: Int
    private var index: [Key: Int] = [:]
    private var nodes: [Node] = []
    private var head = ExpiringLRU.end
    private var tail = ExpiringLRU.end
    private var free = ExpiringLRU.end

    package init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The number of entries, including expired ones not yet dropped.
    package var count: Int { index.count }

    /// Looks `key` up at time `now`.
    package mutating func lookup(_ key: Key, now: @autoclosure () -> Int64) -> Lookup {
        guard let slot = index[key] else { return .miss }
        // `Int64.max` never expires, and then the clock is not read at all.
        guard nodes[slot].expiresAt == .max || now() < nodes[slot].expiresAt else {
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
    package mutating func insert(_ key: Key, _ value: Value, expiresAt: Int64) -> Bool {
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
    package mutating func remove(_ key: Key) {
        if let slot = index[key] { release(slot) }
    }

    /// Removes every entry.
    package mutating func removeAll() {
        index.removeAll()
        nodes.removeAll()
        head = Self.end
        tail = Self.end
        free = Self.end
    }

    /// The keys from the most to the least recently used, for tests.
    /// Removes every entry whose expiry has passed at `now`.
    /// - Returns: How many were removed.
    package mutating func removeExpired(now: Int64) -> Int {
        var removed = 0
        var slot = head
        while slot != Self.end {
            let next = nodes[slot].next
            if nodes[slot].expiresAt != .max, now >= nodes[slot].expiresAt {
                release(slot)
                removed += 1
            }
            slot = next
        }
        return removed
    }

    package var keysByRecency: [Key] {
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
