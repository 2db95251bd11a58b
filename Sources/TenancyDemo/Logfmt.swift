/// logfmt values: bare when they are safe, quoted with escapes otherwise, so a hostile path can never
/// forge a field or a line.
enum Logfmt {
    static func value(_ text: String) -> String {
        let safe =
            !text.isEmpty
            && text.utf8.allSatisfy {
                $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=") && $0 != UInt8(ascii: "\\")
            }
        guard !safe else { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            // Everything outside printable ASCII is escaped: control characters, and bidirectional overrides
            // or line separators (U+202E, U+2028) that would make a line read differently than it is.
            case _ where scalar.value < 0x20 || scalar.value >= 0x7F: quoted += "\\u{\(String(scalar.value, radix: 16))}"
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
