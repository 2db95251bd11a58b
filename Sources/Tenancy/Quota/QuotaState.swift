/// One tenant's quota state as a store keeps it: a few integers whose meaning belongs to the engine, a
/// layout tag, and the time after which the state is equivalent to no state at all.
///
/// Stores treat the words as opaque. Engines tag the layout with ``shape`` (algorithm, windows and limited
/// dimensions), so that after a tenant's quota config changes shape the old words are discarded instead of
/// misread. Inline storage: no allocation per call.
public struct QuotaState: Sendable {
    /// The most words any engine needs: five limits, five words each (sliding window, two dimensions).
    public static let capacity = 25

    /// The layout tag; 0 means empty (no state).
    public var shape: UInt32
    /// Seconds since the epoch from which the state is equivalent to empty and may be evicted
    /// (a fixed window that has ended, a full token bucket).
    public var expiresAt: UInt32
    /// The engine's integers; only `words[0..<wordCount]` are meaningful.
    public var words: InlineArray<25, Int64>
    /// How many leading ``words`` the engine uses.
    public var wordCount: Int

    /// An empty state.
    public init() {
        shape = 0
        expiresAt = 0
        words = InlineArray(repeating: 0)
        wordCount = 0
    }

    /// Whether the state holds nothing.
    public var isEmpty: Bool { shape == 0 }
}
