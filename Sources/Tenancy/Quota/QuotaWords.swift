/// Word storage the quota rules read and write: ``QuotaState`` for any layout, ``InlineQuotaWords`` for the
/// layouts that fit a store entry in place. The rules are generic over it, so both run the same arithmetic.
protocol QuotaWords {
    /// Word `index`; words never written read as 0.
    subscript(index: Int) -> Int64 { get set }
}

extension QuotaState: QuotaWords {}

/// A state that fits an ``InMemoryQuotaStore`` entry in place (its tag and three words), as a trivial value:
/// copied in registers (no optional spill array to retain, no value witness), so the in-process fast path
/// saves and restores it for free. Only layouts of at most ``capacity`` words use it.
struct InlineQuotaWords: QuotaWords, Equatable {
    /// Words held.
    static let capacity = 3

    /// As ``QuotaState/shape``: 0 means empty.
    var shape: UInt32 = 0
    /// As ``QuotaState/expiresAt``.
    var expiresAt: UInt32 = 0
    var w0: Int64 = 0
    var w1: Int64 = 0
    var w2: Int64 = 0

    /// Word `index` in 0..<3; other indices read 0 and ignore writes (a layout that needs them never gets here).
    subscript(index: Int) -> Int64 {
        @inline(__always) get {
            switch index {
            case 0: w0
            case 1: w1
            case 2: w2
            default: 0
            }
        }
        @inline(__always) set {
            switch index {
            case 0: w0 = newValue
            case 1: w1 = newValue
            case 2: w2 = newValue
            default: break
            }
        }
    }
}

/// What runs on an entry's words in place under its shard's lock (see
/// ``InMemoryQuotaStore/withInlineWords(of:now:_:)``). A protocol rather than a closure parameter, so the
/// update is specialised for the concrete type and its ``apply(to:)`` inlined.
protocol InlineWordsUpdate {
    associatedtype Result
    /// Reads and updates the words (empty, tag 0, when the tenant has no live state); as the body of
    /// ``QuotaStore/withState(of:now:_:)``.
    func apply(to state: inout InlineQuotaWords) -> Result
}
