extension ExpositionFormat {
    /// `value` spelled exactly like Go's `strconv.FormatFloat(value, 'g', -1, 64)`, the spelling
    /// client_golang uses for `le` labels and sample values: the shortest digits that parse back to the same
    /// `Double`, in exponent form (`1e-05`, `1.5e+06`) when the decimal exponent is below -4 or at least 6,
    /// and positional form otherwise (`0.0001`, `2.5`, `123456`). Zero is `0`; non-finite values are
    /// `+Inf`, `-Inf` and `NaN` as the exposition format spells them.
    ///
    /// Swift's `description` already yields the shortest round-trip digits; only the layout differs from
    /// Go's (`1000000.0` versus `1e+06`), so the digits are taken from it and laid out again.
    /// - Parameter value: The value.
    /// - Returns: The Go spelling.
    static func goFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return "0" }
        let decimal = ShortestDecimal(value.magnitude)
        var text = value < 0 ? "-" : ""
        let exponent = decimal.pointPosition - 1
        if exponent < -4 || exponent >= 6 {
            text.unicodeScalars.append(Unicode.Scalar(decimal.digits[0]))
            if decimal.digits.count > 1 {
                text += "."
                text += String(decoding: decimal.digits[1...], as: UTF8.self)
            }
            text += exponent < 0 ? "e-" : "e+"
            let magnitude = exponent.magnitude
            if magnitude < 10 { text += "0" }
            text += String(magnitude)
        } else if decimal.pointPosition <= 0 {
            text += "0."
            text += String(repeating: "0", count: -decimal.pointPosition)
            text += String(decoding: decimal.digits, as: UTF8.self)
        } else if decimal.pointPosition >= decimal.digits.count {
            text += String(decoding: decimal.digits, as: UTF8.self)
            text += String(repeating: "0", count: decimal.pointPosition - decimal.digits.count)
        } else {
            text += String(decoding: decimal.digits[..<decimal.pointPosition], as: UTF8.self)
            text += "."
            text += String(decoding: decimal.digits[decimal.pointPosition...], as: UTF8.self)
        }
        return text
    }

    /// The shortest round-trip decimal digits of a positive, finite `Double` and where the point goes:
    /// the value is `0.d1d2d3... x 10^pointPosition`.
    struct ShortestDecimal {
        /// ASCII digits without leading or trailing zeros; never empty.
        var digits: [UInt8]
        /// The position of the decimal point relative to the first digit.
        var pointPosition: Int

        /// Reads Swift's `description`, which is `123.45`, `0.001`, `1e-05` or `1.5e+300`.
        /// - Parameter value: A positive, finite value.
        init(_ value: Double) {
            let text = Array(value.description.utf8)
            let exponentStart = text.firstIndex(of: UInt8(ascii: "e")) ?? text.endIndex
            var exponent = 0
            if exponentStart < text.endIndex {
                let sign = text[exponentStart + 1] == UInt8(ascii: "-") ? -1 : 1
                for byte in text[(exponentStart + 2)...] { exponent = exponent * 10 + Int(byte - UInt8(ascii: "0")) }
                exponent *= sign
            }
            var digits: [UInt8] = []
            var pointPosition: Int?
            for byte in text[..<exponentStart] {
                if byte == UInt8(ascii: ".") {
                    pointPosition = digits.count
                } else {
                    digits.append(byte)
                }
            }
            var point = (pointPosition ?? digits.count) + exponent
            let leadingZeros = digits.prefix(while: { $0 == UInt8(ascii: "0") }).count
            digits.removeFirst(leadingZeros)
            point -= leadingZeros
            while digits.last == UInt8(ascii: "0") { digits.removeLast() }
            self.digits = digits.isEmpty ? [UInt8(ascii: "0")] : digits
            self.pointPosition = point
        }
    }
}
