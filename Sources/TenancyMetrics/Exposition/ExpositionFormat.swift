/// The byte-level rules of the Prometheus text exposition format 0.0.4: escaping and number spelling.
///
/// Everything appends to a caller-owned `[UInt8]`, so a scrape formats into one reusable buffer.
public enum ExpositionFormat {
    /// The `Content-Type` of a rendered registry.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Appends a sample value: `+Inf`, `-Inf`, `NaN`, integers without a fraction (`42`, never `42.0`),
    /// and anything else in the shortest form that parses back to the same `Double`, spelled like Go's
    /// `strconv.FormatFloat(value, 'g', -1, 64)` (`0.25`, `1e-05`, `1.5e+300`).
    ///
    /// Integral values below 2^53 are written as plain integers even where Go would switch to an exponent
    /// (`1000000`, not `1e+06`): both parse to the same `Double`, and counters stay readable.
    /// - Parameters:
    ///   - value: The value.
    ///   - buffer: Where to append.
    static func appendValue(_ value: Double, to buffer: inout [UInt8]) {
        if value.magnitude < 9_007_199_254_740_992, value.rounded(.towardZero) == value {
            // Integral and exactly representable: `Int64(value)` cannot trap here (|value| < 2^53).
            appendInteger(Int64(value), to: &buffer)
        } else if value.magnitude >= 1e-4, value.magnitude < 1e6 {
            // Positional in both spellings, with the same shortest digits: Swift's `description` is Go's.
            var text = value.description
            text.withUTF8 { buffer.append(contentsOf: $0) }
        } else {
            buffer.append(contentsOf: goFloat(value).utf8)
        }
    }

    /// Appends an unsigned integer in decimal, without allocating.
    /// - Parameters:
    ///   - value: The value.
    ///   - buffer: Where to append.
    static func appendInteger(_ value: UInt64, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var index = 20
            var rest = value
            repeat {
                index &-= 1
                digits[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest > 0
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[index...]))
        }
    }

    /// Appends a signed integer in decimal, without allocating.
    /// - Parameters:
    ///   - value: The value.
    ///   - buffer: Where to append.
    static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        appendInteger(value.magnitude, to: &buffer)
    }

    /// Appends a label value with `\` as `\\`, `"` as `\"` and a newline as `\n`; every other byte,
    /// including non-ASCII UTF-8, is copied unchanged.
    /// - Parameters:
    ///   - value: The raw label value.
    ///   - buffer: Where to append (without the surrounding quotes).
    static func appendEscapedLabelValue(_ value: String, to buffer: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\""): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            default: buffer.append(byte)
            }
        }
    }

    /// Appends `# HELP` text with `\` as `\\` and a newline as `\n` (quotes stay as they are).
    /// - Parameters:
    ///   - help: The raw help text.
    ///   - buffer: Where to append.
    static func appendEscapedHelp(_ help: String, to buffer: inout [UInt8]) {
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            default: buffer.append(byte)
            }
        }
    }

    /// `name="value",...` for one series, escaped, without braces; empty for no labels.
    /// - Parameters:
    ///   - names: The label names.
    ///   - values: The label values, as many as `names`.
    /// - Returns: The bytes.
    static func labelPairs(names: [String], values: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, (name, value)) in zip(names, values).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: name.utf8)
            bytes.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
            appendEscapedLabelValue(value, to: &bytes)
            bytes.append(UInt8(ascii: "\""))
        }
        return bytes
    }

    /// The `# HELP` and `# TYPE` lines of a family.
    /// - Parameters:
    ///   - name: The family name.
    ///   - help: The raw help text.
    ///   - type: The family type.
    /// - Returns: Both lines, each ending in a newline.
    static func header(name: String, help: String, type: MetricType) -> [UInt8] {
        var bytes = Array("# HELP \(name) ".utf8)
        appendEscapedHelp(help, to: &bytes)
        bytes.append(contentsOf: "\n# TYPE \(name) \(type.rawValue)\n".utf8)
        return bytes
    }
}
