/// The label values of one series, as a key that compares and hashes UTF-8 bytes.
///
/// Up to three values are stored inline, so looking up an existing child with `labels(a, b)` builds no
/// array and allocates nothing. Equality is byte equality (Prometheus label values are byte strings), not
/// Swift's canonical equivalence, so `"é"` precomposed and decomposed are two series, as Prometheus sees them.
struct LabelValues: Hashable, Sendable {
    private enum Storage: Sendable {
        case none
        case one(String)
        case two(String, String)
        case three(String, String, String)
        case many([String])
    }

    private let storage: Storage

    /// No values: the single series of an unlabeled family.
    init() { storage = .none }

    /// One value.
    init(_ first: String) { storage = .one(first) }

    /// Two values.
    init(_ first: String, _ second: String) { storage = .two(first, second) }

    /// Three values.
    init(_ first: String, _ second: String, _ third: String) { storage = .three(first, second, third) }

    /// Any number of values.
    init(_ values: [String]) {
        switch values.count {
        case 0: storage = .none
        case 1: storage = .one(values[0])
        case 2: storage = .two(values[0], values[1])
        case 3: storage = .three(values[0], values[1], values[2])
        default: storage = .many(values)
        }
    }

    /// How many values there are.
    var count: Int {
        switch storage {
        case .none: 0
        case .one: 1
        case .two: 2
        case .three: 3
        case .many(let values): values.count
        }
    }

    /// The values as an array (allocates; for the slow path only).
    var array: [String] {
        switch storage {
        case .none: []
        case .one(let first): [first]
        case .two(let first, let second): [first, second]
        case .three(let first, let second, let third): [first, second, third]
        case .many(let values): values
        }
    }

    /// The seeded ``ByteHash`` of the values, for ``ProbeTable``. Hot path: no allocation.
    @inline(__always)
    func hash(seed: UInt64) -> UInt64 {
        switch storage {
        case .none: seed
        case .one(let first): ByteHash.combine(first, into: seed)
        case .two(let first, let second): ByteHash.combine(second, into: ByteHash.combine(first, into: seed))
        case .three(let first, let second, let third):
            ByteHash.combine(third, into: ByteHash.combine(second, into: ByteHash.combine(first, into: seed)))
        case .many(let values): values.reduce(seed) { ByteHash.combine($1, into: $0) }
        }
    }

    func hash(into hasher: inout Hasher) {
        switch storage {
        case .none: break
        case .one(let first): Self.hashBytes(first, into: &hasher)
        case .two(let first, let second):
            Self.hashBytes(first, into: &hasher)
            Self.hashBytes(second, into: &hasher)
        case .three(let first, let second, let third):
            Self.hashBytes(first, into: &hasher)
            Self.hashBytes(second, into: &hasher)
            Self.hashBytes(third, into: &hasher)
        case .many(let values):
            for value in values { Self.hashBytes(value, into: &hasher) }
        }
    }

    static func == (lhs: LabelValues, rhs: LabelValues) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.none, .none): true
        case (.one(let a), .one(let b)): sameBytes(a, b)
        case (.two(let a1, let a2), .two(let b1, let b2)): sameBytes(a1, b1) && sameBytes(a2, b2)
        case (.three(let a1, let a2, let a3), .three(let b1, let b2, let b3)):
            sameBytes(a1, b1) && sameBytes(a2, b2) && sameBytes(a3, b3)
        case (.many(let a), .many(let b)): a.count == b.count && zip(a, b).allSatisfy { sameBytes($0, $1) }
        default: false
        }
    }

    /// Feeds the UTF-8 bytes and a terminator, so `["ab", "c"]` and `["a", "bc"]` hash apart.
    @inline(__always)
    private static func hashBytes(_ value: String, into hasher: inout Hasher) {
        let done: Void? = value.utf8.withContiguousStorageIfAvailable {
            hasher.combine(bytes: UnsafeRawBufferPointer($0))
        }
        if done == nil {
            for byte in value.utf8 { hasher.combine(byte) }
        }
        hasher.combine(UInt8(0xFF))  // never occurs in UTF-8
    }

    /// Whether two strings have the same UTF-8 bytes, compared a word at a time in contiguous storage.
    @inline(__always)
    static func sameBytes(_ lhs: String, _ rhs: String) -> Bool {
        let count = lhs.utf8.count
        guard count == rhs.utf8.count else { return false }
        let fast = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in
                equalBytes(UnsafeRawBufferPointer(left), UnsafeRawBufferPointer(right))
            }
        }
        if let fast, let fast { return fast }
        return lhs.utf8.elementsEqual(rhs.utf8)
    }

    /// Byte equality of two buffers of the same length, without a `memcmp` call (label values are short):
    /// 8-byte words, the last one overlapping; 4-byte halves below 8 bytes.
    @inline(__always)
    private static func equalBytes(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        let count = left.count
        if count >= 8 {
            var offset = 0
            while offset &+ 8 <= count {
                guard left.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    == right.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                else { return false }
                offset &+= 8
            }
            return offset == count
                || left.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                    == right.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return left.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
                == right.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
                && left.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                    == right.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        for index in 0..<count where left[index] != right[index] { return false }
        return true
    }

    /// Orders label value lists by their bytes, value by value: the series order of the exposition.
    static func precedes(_ lhs: [String], _ rhs: [String]) -> Bool {
        for (left, right) in zip(lhs, rhs) where !sameBytes(left, right) {
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        return lhs.count < rhs.count
    }
}
