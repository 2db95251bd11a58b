/// Normalises a request path before policy matching, so that `/api/v1/../admin`, `/api//admin` and
/// `/%61dmin` cannot slip past an allow-list written for `/admin`.
///
/// Steps: cut the query and fragment; percent-decode every `%XX` (a decoded `/` becomes a separator, so
/// encoded traversal collapses too); collapse repeated slashes; remove `.` and `..` segments (RFC 3986
/// section 5.2.4, never above the root). Paths that are not origin-form, contain invalid escapes, control
/// characters (C0, DEL or C1, raw or encoded) or invalid UTF-8 have no normal form and are denied.
///
/// The normal form is decoded except for `%`, `?` and `#`, which are written back as `%25`, `%3F` and
/// `%23`: it is itself a valid path and a fixed point (normalising it again returns it unchanged), so a
/// second decoding step anywhere can never turn an allowed path into a different one.
///
/// For the policy to protect a route, the router must dispatch on this same normal form (or refuse
/// requests whose path is not already normal); otherwise the two can disagree about where a request goes.
public enum PathNormalizer {
    /// The longest path normalised; longer paths are denied.
    public static let maximumLength = 8_192

    /// Normalises `path`.
    ///
    /// Allocation-free when the path is already normal (printable ASCII, no `%`, no empty, `.` or `..`
    /// segments) and has no query: the input is returned as is.
    /// - Parameter path: The request target's path, optionally with a query and fragment.
    /// - Returns: The normalised path, or `nil` when the path has no safe normal form.
    public static func normalize(_ path: String) -> String? {
        var copy = path
        return copy.withUTF8 { raw -> String? in
            var end = raw.count
            if let cut = raw.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
                end = cut
            }
            guard end > 0, end <= maximumLength, raw[0] == UInt8(ascii: "/") else { return nil }
            if isAlreadyNormal(raw, end: end) {
                guard end < raw.count else { return path }
                return String(decoding: UnsafeBufferPointer(rebasing: raw[0..<end]), as: UTF8.self)
            }
            guard let decoded = percentDecoded(raw, end: end), hasNoControlCharacters(decoded) else { return nil }
            return String(decoding: removingDotSegments(decoded), as: UTF8.self)
        }
    }

    /// The common case: printable ASCII, no `%`, no empty, `.` or `..` segments.
    private static func isAlreadyNormal(_ raw: UnsafeBufferPointer<UInt8>, end: Int) -> Bool {
        var previous: UInt8 = 0
        for index in 0..<end {
            let byte = raw[index]
            guard byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "%") else { return false }
            if byte == UInt8(ascii: "/") && previous == UInt8(ascii: "/") { return false }
            if byte == UInt8(ascii: ".") && previous == UInt8(ascii: "/") { return false }
            previous = byte
        }
        return true
    }

    /// Decodes every escape; `nil` for an invalid escape or an ASCII control byte (C0 or DEL).
    private static func percentDecoded(_ raw: UnsafeBufferPointer<UInt8>, end: Int) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(end)
        var index = 0
        while index < end {
            var byte = raw[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < end, let high = hexValue(raw[index + 1]), let low = hexValue(raw[index + 2])
                else { return nil }
                byte = high << 4 | low
                index += 2
            }
            guard byte >= 0x20, byte != 0x7F else { return nil }
            output.append(byte)
            index += 1
        }
        return output
    }

    /// Whether `bytes` are valid UTF-8 without C1 control characters (U+0080 to U+009F).
    private static func hasNoControlCharacters(_ bytes: [UInt8]) -> Bool {
        guard let text = String(validating: bytes, as: UTF8.self) else { return false }
        return !text.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Splits on `/`, drops empty and `.` segments, pops on `..`, keeps a trailing slash, and writes `%`,
    /// `?` and `#` back as escapes.
    private static func removingDotSegments(_ path: [UInt8]) -> [UInt8] {
        var segments: [ArraySlice<UInt8>] = []
        let parts = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
        var trailingSlash = false
        for part in parts {
            trailingSlash = false
            switch part.count {
            case 0:
                trailingSlash = true
            case 1 where part.first == UInt8(ascii: "."):
                trailingSlash = true
            case 2 where part.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]):
                _ = segments.popLast()
                trailingSlash = true
            default:
                segments.append(part)
            }
        }
        var output: [UInt8] = [UInt8(ascii: "/")]
        output.reserveCapacity(path.count)
        for (index, segment) in segments.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "/")) }
            for byte in segment {
                switch byte {
                case UInt8(ascii: "%"): output.append(contentsOf: "%25".utf8)
                case UInt8(ascii: "?"): output.append(contentsOf: "%3F".utf8)
                case UInt8(ascii: "#"): output.append(contentsOf: "%23".utf8)
                default: output.append(byte)
                }
            }
        }
        if trailingSlash && !segments.isEmpty { output.append(UInt8(ascii: "/")) }
        return output
    }
}
