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
    /// Eight words in a tuple, read element by element and written through a raw pointer: `InlineArray`'s
    /// dynamic subscript copied the whole array on every read, stalling on the words just written.
    private var inline: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64)
    /// Words from ``inlineCapacity`` on; `nil` (not an empty array) so copying a small state retains nothing.
    private var spill: [Int64]?

    /// An empty state.
    public init() {
        shape = 0
        expiresAt = 0
        wordCount = 0
        inline = (0, 0, 0, 0, 0, 0, 0, 0)
        spill = nil
    }

    /// Whether the state holds nothing.
    public var isEmpty: Bool { shape == 0 }

    /// Word `index`, 0..<``capacity``; words never written, and indices outside the range, read as 0 (a
    /// write outside the range is ignored).
    public subscript(index: Int) -> Int64 {
        @inline(__always) get {
            guard index >= 0, index < Self.capacity else { return 0 }
            if index < Self.inlineCapacity {
                // Element by element, not through `withUnsafeBytes(of:)`: that copies the tuple to a
                // temporary in 16-byte loads, which stall on the 8-byte stores that just wrote the words
                // (a failed store forward, a quarter of a fixed-window decision).
                switch index {
                case 0: return inline.0
                case 1: return inline.1
                case 2: return inline.2
                case 3: return inline.3
                case 4: return inline.4
                case 5: return inline.5
                case 6: return inline.6
                default: return inline.7
                }
            }
            let spilled = index - Self.inlineCapacity
            guard let spill, spilled < spill.count else { return 0 }
            return spill[spilled]
        }
        @inline(__always) set {
            guard index >= 0, index < Self.capacity else { return }
            if index < Self.inlineCapacity {
                withUnsafeMutableBytes(of: &inline) { $0.storeBytes(of: newValue, toByteOffset: index &* 8, as: Int64.self) }
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
