/// Validated histogram upper bounds and their `le` spellings, frozen at registration.
struct HistogramBuckets: Hashable, Sendable {
    /// The finite upper bounds, strictly increasing.
    let bounds: [Double]
    /// The `le` value of every bucket in Go's spelling (`0.005`, `1`, `2.5`, `1e+06`), ending with `+Inf`.
    let leValues: [String]

    /// Validates `bounds`.
    /// - Parameter bounds: Finite, strictly increasing upper bounds; `+Inf` is implied and must not be given.
    /// - Throws: ``MetricsError`` with code ``MetricsError/Code/invalidBuckets``.
    init(_ bounds: [Double]) throws(MetricsError) {
        for (index, bound) in bounds.enumerated() {
            guard bound.isFinite else {
                throw MetricsError(
                    .invalidBuckets, "bucket \(index) is \(bound); bounds must be finite (+Inf is implied)")
            }
            if index > 0 && !(bounds[index - 1] < bound) {
                throw MetricsError(
                    .invalidBuckets,
                    "bucket \(index) (\(bound)) does not exceed bucket \(index - 1) (\(bounds[index - 1])); "
                        + "bounds must be strictly increasing")
            }
        }
        self.bounds = bounds
        self.leValues = bounds.map(ExpositionFormat.goFloat) + ["+Inf"]
    }
}
