/// One tenant's quota state as a store keeps it: a few integers whose meaning belongs to the engine, a
/// layout tag, and the time after which the state is equivalent to no state at all.
///
/// Stores treat the words as opaque. Engines tag the layout with ``shape`` (algorithm, windows, limited
/// dimensions and packing), so that after a tenant's quota config changes shape the old words are
/// discarded instead of misread. The first ``inlineCapacity`` words live inline, so the common layouts
/// (one or two limits) cost no allocation; larger layouts spill into an array.
public struct QuotaState: Sendable {
    /// The most words any engine needs: five limits, five words each (unpacked sliding window).
    public static let capacity = 25
    /// Words held without allocating.
    public static let inlineCapacity = 8

    /// The layout tag; 0 means empty (no state). Engines keep it below 2^31.
    public var shape: UInt32
    /// Seconds since the epoch from which the state is equivalent to empty and may be evicted
    /// (a fixed window that has ended, a full token bucket).
    public var expiresAt: UInt32
    /// How many leading words the engine uses.
    public var wordCount: Int
    private var inline: InlineArray<8, Int64>
    /// Words from ``inlineCapacity`` on; `nil` (not an empty array) so copying a small state retains nothing.
    private var spill: [Int64]?

    /// An empty state.
    public init() {
        shape = 0
        expiresAt = 0
        wordCount = 0
        inline = InlineArray(repeating: 0)
        spill = nil
    }

    /// Whether the state holds nothing.
    public var isEmpty: Bool { shape == 0 }

    /// Word `index`, 0..<``capacity``; words never written read as 0.
    public subscript(index: Int) -> Int64 {
        get {
            if index < Self.inlineCapacity { return inline[index] }
            let spilled = index - Self.inlineCapacity
            guard let spill, spilled < spill.count else { return 0 }
            return spill[spilled]
        }
        set {
            if index < Self.inlineCapacity {
                inline[index] = newValue
                return
            }
            let spilled = index - Self.inlineCapacity
            var words = spill ?? []
            spill = nil  // keeps `words` uniquely referenced, so the write does not copy
            if spilled >= words.count { words.append(contentsOf: repeatElement(0, count: spilled - words.count + 1)) }
            words[spilled] = newValue
            spill = words
        }
    }
}
