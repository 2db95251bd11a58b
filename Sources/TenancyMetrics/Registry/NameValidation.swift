/// The Prometheus naming rules, checked once at registration.
enum NameValidation {
    /// Throws unless `name` is `[a-zA-Z_:][a-zA-Z0-9_:]*` and does not start with `__`.
    /// - Parameter name: A metric (family) name.
    /// - Throws: ``MetricsError`` with code ``MetricsError/Code/invalidMetricName``.
    static func checkMetricName(_ name: String) throws(MetricsError) {
        guard isValid(name, allowColon: true) else {
            throw MetricsError(
                .invalidMetricName, "metric name \(MetricsError.quote(name)) must match [a-zA-Z_:][a-zA-Z0-9_:]*")
        }
        guard !name.utf8.starts(with: "__".utf8) else {
            throw MetricsError(
                .invalidMetricName, "metric name \(MetricsError.quote(name)) uses the reserved prefix __")
        }
    }

    /// Throws unless every name is `[a-zA-Z_][a-zA-Z0-9_]*`, none starts with `__`, none repeats, and no
    /// histogram uses `le`.
    /// - Parameters:
    ///   - names: The label names of one family, in schema order.
    ///   - histogram: Whether the family is a histogram (which reserves `le`).
    /// - Throws: ``MetricsError`` with code ``MetricsError/Code/invalidLabelName``.
    static func checkLabelNames(_ names: [String], histogram: Bool) throws(MetricsError) {
        for (index, name) in names.enumerated() {
            try checkLabelName(name)
            if histogram && name == "le" {
                throw MetricsError(.invalidLabelName, "label name 'le' is reserved on histograms")
            }
            if names[..<index].contains(name) {
                throw MetricsError(.invalidLabelName, "label name \(MetricsError.quote(name)) appears twice")
            }
        }
    }

    /// Throws unless `name` is `[a-zA-Z_][a-zA-Z0-9_]*` and does not start with `__`.
    /// - Parameter name: A label name.
    /// - Throws: ``MetricsError`` with code ``MetricsError/Code/invalidLabelName``.
    static func checkLabelName(_ name: String) throws(MetricsError) {
        guard isValid(name, allowColon: false) else {
            throw MetricsError(
                .invalidLabelName, "label name \(MetricsError.quote(name)) must match [a-zA-Z_][a-zA-Z0-9_]*")
        }
        guard !name.utf8.starts(with: "__".utf8) else {
            throw MetricsError(.invalidLabelName, "label name \(MetricsError.quote(name)) uses the reserved prefix __")
        }
    }

    private static func isValid(_ name: String, allowColon: Bool) -> Bool {
        guard !name.isEmpty else { return false }
        for (offset, byte) in name.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9") where offset > 0:
                continue
            case UInt8(ascii: ":") where allowColon:
                continue
            default:
                return false
            }
        }
        return true
    }
}
