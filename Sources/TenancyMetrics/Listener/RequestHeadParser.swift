/// Finds the end of an HTTP/1.x request head in the bytes received so far and parses it, strictly and
/// within a size bound: the listener's whole HTTP parser.
///
/// It reads what the listener needs (method, path, version, `Authorization`) and rejects what RFC 9112
/// calls malformed: a request line that is not `method SP target SP HTTP/d.d`, a header line without a
/// token name and colon, whitespace before the colon, obsolete line folding, control characters, a bare
/// CR, or an HTTP/1.1 request without exactly one `Host`. Lines may end in CRLF or a bare LF, and empty
/// lines before the request line are skipped (RFC 9112 section 2.2). Request bodies are never read: the
/// listener answers and closes.
struct RequestHeadParser: Sendable {
    /// What the listener needs from a request head.
    struct Head: Equatable, Sendable {
        /// The method, case-sensitive (`GET`).
        var method: String
        /// The path of the target, without its query: `/metrics` for `/metrics?x=y` and for
        /// `http://host:9464/metrics`; `*` for `OPTIONS *`.
        var path: String
        /// The minor version of HTTP/1.x.
        var minorVersion: Int
        /// The value of the `Authorization` header, without surrounding whitespace.
        var authorization: String?
    }

    /// What the bytes received so far amount to.
    enum Step: Equatable, Sendable {
        /// The head has not ended yet and the bound is not reached: receive more.
        case needMore
        /// A complete, well-formed head.
        case head(Head)
        /// A head the listener answers with this error status (400, 431 or 505).
        case reject(ListenerResponse.Status)
    }

    /// The largest head accepted, in bytes, counting skipped empty lines.
    let maximumBytes: Int
    /// How many bytes have been searched for the end of the head.
    private var scanned = 0
    /// Where the line being scanned starts.
    private var lineStart = 0
    /// Where the request line starts: after any empty lines; `nil` until one is found.
    private var headStart: Int?

    /// Creates a parser for one request.
    /// - Parameter maximumBytes: The bound; a head that has not ended within it is rejected with 431.
    init(maximumBytes: Int) {
        self.maximumBytes = maximumBytes
    }

    /// Continues the search for the end of the head over `bytes[..<count]`, whose first bytes were seen by
    /// earlier calls, and parses the head once it is complete.
    /// - Parameters:
    ///   - bytes: Everything received on the connection so far (and possibly unused capacity after `count`).
    ///   - count: How many bytes of `bytes` were received.
    /// - Returns: Whether to receive more, the head, or the error to answer.
    mutating func consume(_ bytes: [UInt8], count: Int) -> Step {
        while scanned < count {
            let index = scanned
            scanned += 1
            guard bytes[index] == Self.lf else { continue }
            var lineEnd = index
            if lineEnd > lineStart && bytes[lineEnd - 1] == Self.cr { lineEnd -= 1 }
            defer { lineStart = index + 1 }
            guard lineEnd == lineStart else {
                if headStart == nil { headStart = lineStart }
                continue
            }
            guard let headStart else { continue }  // an empty line before the request line
            return Self.parse(bytes[headStart..<lineStart])
        }
        return count >= maximumBytes ? .reject(.requestHeaderFieldsTooLarge) : .needMore
    }

    // MARK: - Parsing

    /// Parses the request line and header lines of a complete head (the final empty line excluded).
    static func parse(_ head: ArraySlice<UInt8>) -> Step {
        var lines: [ArraySlice<UInt8>] = []
        var start = head.startIndex
        for index in head.indices where head[index] == lf {
            var end = index
            if end > start && head[end - 1] == cr { end -= 1 }
            lines.append(head[start..<end])
            start = index + 1
        }
        guard let first = lines.first else { return .reject(.badRequest) }
        let requestLine = parseRequestLine(first)
        guard case .head(var parsed) = requestLine else { return requestLine }
        var hosts = 0
        var authorizations: [String] = []
        for line in lines.dropFirst() {
            guard let (name, value) = parseHeaderLine(line) else { return .reject(.badRequest) }
            if equalsIgnoringCase(name, "host") { hosts += 1 }
            if equalsIgnoringCase(name, "authorization") {
                authorizations.append(String(decoding: value, as: UTF8.self))
            }
        }
        // RFC 9112 section 3.2: an HTTP/1.1 request carries exactly one Host; HTTP/1.0 at most one.
        guard hosts <= 1, hosts == 1 || parsed.minorVersion == 0, authorizations.count <= 1 else {
            return .reject(.badRequest)
        }
        parsed.authorization = authorizations.first
        return .head(parsed)
    }

    /// `method SP request-target SP HTTP-version`, single spaces.
    private static func parseRequestLine(_ line: ArraySlice<UInt8>) -> Step {
        let parts = line.split(separator: space, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte),
            let path = path(of: parts[1])
        else { return .reject(.badRequest) }
        let version = Array(parts[2])
        guard version.count == 8, version.starts(with: Array("HTTP/".utf8)), isDigit(version[5]),
            version[6] == UInt8(ascii: "."), isDigit(version[7])
        else { return .reject(.badRequest) }
        guard version[5] == UInt8(ascii: "1") else { return .reject(.httpVersionNotSupported) }
        return .head(
            Head(
                method: String(decoding: parts[0], as: UTF8.self),
                path: path,
                minorVersion: Int(version[7] - UInt8(ascii: "0")),
                authorization: nil
            )
        )
    }

    /// The path of an origin-form (`/metrics?x`), absolute-form (`http://host/metrics`) or asterisk-form
    /// (`*`) target; `nil` for anything else or a byte outside visible ASCII.
    private static func path(of target: ArraySlice<UInt8>) -> String? {
        guard !target.isEmpty, target.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        var rest = target
        if rest.first != UInt8(ascii: "/") {
            if rest.elementsEqual("*".utf8) { return "*" }
            let text = String(decoding: rest, as: UTF8.self).lowercased()
            guard let scheme = ["http://", "https://"].first(where: { text.hasPrefix($0) }) else { return nil }
            rest = rest.dropFirst(scheme.utf8.count)
            let authorityEnd = rest.firstIndex(where: isPathDelimiter) ?? rest.endIndex
            guard authorityEnd > rest.startIndex else { return nil }  // no authority
            rest = rest[authorityEnd...]
            guard rest.first == UInt8(ascii: "/") else { return "/" }  // `http://host` or `http://host?x`
        }
        let end = rest.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? rest.endIndex
        return String(decoding: rest[..<end], as: UTF8.self)
    }

    private static func isPathDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#")
    }

    /// `field-name ":" OWS field-value OWS`; `nil` when malformed.
    private static func parseHeaderLine(_ line: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, ArraySlice<UInt8>)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else { return nil }  // also rejects obs-fold
        var value = line[(colon + 1)...]
        guard value.allSatisfy(isFieldValueByte) else { return nil }
        while let first = value.first, isWhitespace(first) { value = value.dropFirst() }
        while let last = value.last, isWhitespace(last) { value = value.dropLast() }
        return (name, value)
    }

    /// `bytes` equals the lowercase ASCII `lowercase`, ignoring ASCII case.
    static func equalsIgnoringCase(_ bytes: ArraySlice<UInt8>, _ lowercase: String) -> Bool {
        bytes.elementsEqual(lowercase.utf8) { byte, expected in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 == expected : byte == expected
        }
    }

    /// `tchar` of RFC 9110: the bytes of methods and header names.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    /// Visible ASCII, obs-text, space and tab: what a field value may hold (no CR, LF, NUL or other control).
    private static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || (0x21...0x7E).contains(byte) || byte >= 0x80
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }
    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static let cr = UInt8(ascii: "\r")
    private static let lf = UInt8(ascii: "\n")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
}
