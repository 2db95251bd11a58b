import Tenancy

/// An incremental HTTP/1.x request parser: a pure state machine over bytes, fed whatever has arrived on a
/// connection, that yields complete requests (body read and de-chunked) or the rejection to answer.
///
/// Strict where leniency lets requests be smuggled past a proxy (RFC 9112): lines end in CRLF (a bare LF
/// or CR is malformed), no whitespace before a colon, no obsolete line folding, no control characters in
/// values, exactly one `Host` in HTTP/1.1, at most one `Content-Length` of digits only, never both
/// `Content-Length` and `Transfer-Encoding`, `chunked` only once and last, chunk sizes of hex digits only.
/// Every rejection ends the connection: after it, the server cannot know where a next request starts.
///
/// The caller passes the bytes it holds that the parser has not consumed yet, starting where the last
/// consumed byte ended; bytes not consumed must be passed again (with more after them) on the next call.
struct RequestParser {
    /// The bounds a request must fit.
    struct Limits: Hashable, Sendable {
        /// The largest request head (request line and fields, with their CRLFs); also bounds trailers.
        var maximumHeadBytes: Int
        /// The most header fields in one request.
        var maximumHeaderCount: Int
        /// The largest body, after de-chunking.
        var maximumBodyBytes: Int
    }

    /// What the bytes passed so far amount to.
    enum Step {
        /// More bytes are needed.
        case needMore
        /// The head asks for `100 Continue` and a body follows: send the interim response, then parse on.
        case continueExpected
        /// A complete request, and whether the connection may stay open after its response.
        case request(HTTPRequest, keepAlive: Bool)
        /// The request cannot be served; answer and close.
        case reject(RequestRejection)
    }

    /// A parsed head whose body is still arriving.
    private struct Head {
        var method: HTTPMethod
        var target: String
        var version: HTTPVersion
        var fields: [HeaderField]
        var keepAlive: Bool
        var expectsContinue: Bool
    }

    private enum State {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case failed
    }

    /// The largest chunk-size line (size and extensions) accepted.
    static let maximumChunkLineBytes = 1024

    let limits: Limits
    private var state = State.head
    /// Head bytes already searched for the end of the head, from its first byte.
    private var scanned = 0
    private var head: Head?
    private var body: [UInt8] = []
    private var trailerBytes = 0

    /// Creates a parser for the requests of one connection.
    init(limits: Limits) {
        self.limits = limits
    }

    /// Whether the parser is between requests with nothing of the next one seen: a connection in this
    /// state is idle and may be closed.
    var isIdle: Bool {
        if case .head = state { return scanned == 0 }
        return false
    }

    /// Whether the head is complete and its body is being received.
    var isReadingBody: Bool {
        switch state {
        case .fixedBody, .chunkSize, .chunkData, .chunkDataEnd, .trailers: true
        case .head, .failed: false
        }
    }

    /// Parses on over `bytes`.
    /// - Parameter bytes: The bytes held and not yet consumed.
    /// - Returns: The step, and how many bytes of `bytes` it consumed (the caller drops them).
    mutating func parse(_ bytes: UnsafeRawBufferPointer) -> (step: Step, consumed: Int) {
        var offset = 0
        while true {
            switch state {
            case .head:
                let (step, end) = parseHead(bytes, from: offset)
                offset = end
                guard let step else { continue }
                return (step, offset)
            case .fixedBody(let remaining):
                let taken = appendBody(bytes, from: offset, atMost: remaining)
                offset += taken
                guard taken == remaining else {
                    state = .fixedBody(remaining: remaining - taken)
                    return (.needMore, offset)
                }
                return (complete(), offset)
            case .chunkSize:
                let size: Int
                switch Self.line(in: bytes, from: offset) {
                case .incomplete:
                    guard bytes.count - offset <= Self.maximumChunkLineBytes else {
                        return fail(.malformed("a chunk size line is too long"))
                    }
                    return (.needMore, offset)
                case .bareLineFeed:
                    return fail(.malformed("a chunk size line does not end in CRLF"))
                case .line(let line, let end):
                    guard line.count <= Self.maximumChunkLineBytes, let parsed = Self.chunkSize(line) else {
                        return fail(.malformed("a chunk size is not hexadecimal digits"))
                    }
                    size = parsed
                    offset = end
                }
                if size == 0 {
                    state = .trailers
                } else if size > limits.maximumBodyBytes - body.count {
                    return fail(.bodyTooLarge)
                } else {
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let taken = appendBody(bytes, from: offset, atMost: remaining)
                offset += taken
                guard taken == remaining else {
                    state = .chunkData(remaining: remaining - taken)
                    return (.needMore, offset)
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard bytes.count - offset >= 2 else { return (.needMore, offset) }
                guard bytes[offset] == Self.cr, bytes[offset + 1] == Self.lf else {
                    return fail(.malformed("chunk data is not followed by CRLF"))
                }
                offset += 2
                state = .chunkSize
            case .trailers:
                switch Self.line(in: bytes, from: offset) {
                case .incomplete:
                    guard trailerBytes + bytes.count - offset <= limits.maximumHeadBytes else {
                        return fail(.headTooLarge("the trailer section is too large"))
                    }
                    return (.needMore, offset)
                case .bareLineFeed:
                    return fail(.malformed("a trailer line does not end in CRLF"))
                case .line(let line, let end):
                    trailerBytes += end - offset
                    offset = end
                    guard trailerBytes <= limits.maximumHeadBytes else {
                        return fail(.headTooLarge("the trailer section is too large"))
                    }
                    if line.isEmpty { return (complete(), offset) }
                    // Trailers are checked like fields, then dropped: none can add a header after the fact.
                    guard Self.field(line) != nil else { return fail(.malformed("a malformed trailer field")) }
                }
            case .failed:
                return (.reject(.malformed("the connection already failed")), 0)
            }
        }
    }

    /// Appends the body bytes available from `offset`, at most `limit` of them.
    /// - Returns: How many were appended.
    private mutating func appendBody(_ bytes: UnsafeRawBufferPointer, from offset: Int, atMost limit: Int) -> Int {
        let taken = min(limit, bytes.count - offset)
        body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + taken)]))
        return taken
    }

    // MARK: - Head

    /// Searches for the end of the head; parses it once complete.
    /// - Returns: `nil` and the offset to go on from (a body follows), or the step to return and the
    ///   bytes consumed.
    private mutating func parseHead(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (Step?, Int) {
        var start = start
        // RFC 9112 section 2.2: empty lines before a request line are ignored.
        while scanned == 0, bytes.count - start >= 2, bytes[start] == Self.cr, bytes[start + 1] == Self.lf {
            start += 2
        }
        guard let end = findEndOfHead(bytes, from: start) else {
            if case .failed = state { return (.reject(.malformed("a bare CR or LF in the request head")), start) }
            if bytes.count - start > limits.maximumHeadBytes {
                return (fail(.headTooLarge("the request head is larger than the server accepts")).step, start)
            }
            return (.needMore, start)
        }
        scanned = 0
        guard end - start <= limits.maximumHeadBytes else {
            return (fail(.headTooLarge("the request head is larger than the server accepts")).step, end)
        }
        switch Self.parseHead(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), limits: limits) {
        case .failure(let rejection):
            return (fail(rejection).step, end)
        case .success(let (parsed, framing)):
            head = parsed
            switch framing {
            case .none:
                return (complete(), end)
            case .length(let length):
                state = .fixedBody(remaining: length)
            case .chunked:
                state = .chunkSize
            }
            return parsed.expectsContinue ? (.continueExpected, end) : (nil, end)
        }
    }

    /// The offset just past the CRLFCRLF ending the head, remembering how far it searched; `nil` while
    /// incomplete, or (with the state set to failed) at a bare CR or LF.
    private mutating func findEndOfHead(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start + scanned
        let limit = min(bytes.count, start + limits.maximumHeadBytes + 1)
        while index < limit {
            let byte = bytes[index]
            if byte == Self.lf {
                guard index > start, bytes[index - 1] == Self.cr else {
                    state = .failed
                    return nil
                }
                if index - start >= 3, bytes[index - 2] == Self.lf { return index + 1 }
            } else if index > start, bytes[index - 1] == Self.cr {
                state = .failed  // a CR not followed by LF
                return nil
            }
            index += 1
        }
        // Keep the last byte unscanned when it is a CR: the LF may be next.
        scanned = index - start - (index > start && bytes[index - 1] == Self.cr ? 1 : 0)
        return nil
    }

    /// How a request's body is delimited.
    enum Framing: Equatable {
        /// No body.
        case none
        /// `Content-Length` bytes.
        case length(Int)
        /// Chunked transfer coding.
        case chunked
    }

    /// Parses a complete head (request line, fields, final empty line) and decides the body's framing.
    private static func parseHead(
        _ head: UnsafeRawBufferPointer,
        limits: Limits
    ) -> Result<(Head, Framing), RequestRejection> {
        var lines = LineIterator(head)
        guard let requestLine = lines.next() else { return .failure(.malformed("no request line")) }
        let parsedLine: (HTTPMethod, String, HTTPVersion)
        switch Self.requestLine(requestLine) {
        case .success(let line): parsedLine = line
        case .failure(let rejection): return .failure(rejection)
        }
        var fields: [HeaderField] = []
        var facts = FramingFields()
        while let line = lines.next(), !line.isEmpty {
            guard fields.count < limits.maximumHeaderCount else {
                return .failure(.headTooLarge("the request has more header fields than the server accepts"))
            }
            guard let (name, value) = field(line) else { return .failure(.malformed("a malformed header field")) }
            let field = HeaderField(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
            if let rejection = facts.note(name, value) { return .failure(rejection) }
            fields.append(field)
        }
        let method = parsedLine.0
        var (target, version) = (parsedLine.1, parsedLine.2)
        if target.utf8.first != UInt8(ascii: "/"), let authority = absoluteFormAuthority(target) {
            // RFC 9112 section 3.2.2: the target's authority replaces Host; handlers see origin form. The Host
            // fields are still counted as sent (section 3.2: none in HTTP/1.1, or several, is a 400), so an
            // absolute target cannot smuggle a request past the Host rule a front proxy enforced.
            guard !authority.host.isEmpty else { return .failure(.malformed("an absolute target without a host")) }
            target = authority.originForm
            fields.removeAll { $0.name.equalsIgnoringASCIICase("host") }
            fields.append(HeaderField("Host", authority.host))
        }
        switch facts.framing(version: version, limits: limits) {
        case .failure(let rejection):
            return .failure(rejection)
        case .success(let (framing, keepAlive)):
            let expectsContinue = facts.expectsContinue && version.minor == 1 && !isNone(framing)
            let parsed = Head(
                method: method,
                target: target,
                version: version,
                fields: fields,
                keepAlive: keepAlive,
                expectsContinue: expectsContinue
            )
            return .success((parsed, framing))
        }
    }

    private static func isNone(_ framing: Framing) -> Bool {
        if case .none = framing { return true }
        return false
    }

    /// `method SP request-target SP HTTP-version`, single spaces.
    private static func requestLine(
        _ line: UnsafeRawBufferPointer
    ) -> Result<(HTTPMethod, String, HTTPVersion), RequestRejection> {
        guard let firstSpace = line.firstIndex(of: space),
            let secondSpace = line[(firstSpace + 1)...].firstIndex(of: space),
            line[(secondSpace + 1)...].firstIndex(of: space) == nil
        else { return .failure(.malformed("the request line is not method, target and version")) }
        let methodBytes = line[..<firstSpace]
        let targetBytes = line[(firstSpace + 1)..<secondSpace]
        let versionBytes = line[(secondSpace + 1)...]
        guard let method = HTTPMethod(rawValue: String(decoding: methodBytes, as: UTF8.self)) else {
            return .failure(.malformed("the method is not a token"))
        }
        guard !targetBytes.isEmpty, targetBytes.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            return .failure(.malformed("the request target is empty or holds a byte outside visible ASCII"))
        }
        let target = String(decoding: targetBytes, as: UTF8.self)
        let isOriginForm = targetBytes.first == UInt8(ascii: "/")
        let isAsterisk = target == "*" && method == .options
        guard isOriginForm || isAsterisk || absoluteFormAuthority(target) != nil else {
            return .failure(.malformed("the request target is not in origin, absolute or asterisk form"))
        }
        let version = Array(versionBytes)
        guard version.count == 8, version.starts(with: "HTTP/".utf8), isDigit(version[5]),
            version[6] == UInt8(ascii: "."), isDigit(version[7])
        else { return .failure(.malformed("the HTTP version is malformed")) }
        let major = Int(version[5] - UInt8(ascii: "0"))
        let minor = Int(version[7] - UInt8(ascii: "0"))
        guard major == 1, minor <= 1 else {
            return .failure(
                RequestRejection(.httpVersionNotSupported, .httpVersionNotSupported, "only HTTP/1.0 and HTTP/1.1 are served")
            )
        }
        return .success((method, target, HTTPVersion(major: 1, minor: minor)))
    }

    /// The host and origin form of an absolute-form target (`http://host:8080/path?q`); `nil` otherwise.
    private static func absoluteFormAuthority(_ target: String) -> (host: String, originForm: String)? {
        let lowered = target.prefix(8).lowercased()
        let schemeLength = lowered.hasPrefix("http://") ? 7 : lowered.hasPrefix("https://") ? 8 : 0
        guard schemeLength > 0 else { return nil }
        let rest = target.utf8.dropFirst(schemeLength)
        let authorityEnd = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let host = String(decoding: rest[..<authorityEnd], as: UTF8.self)
        guard !host.contains("@"), !host.contains("#") else { return nil }  // no userinfo, no fragment tricks
        let path = String(decoding: rest[authorityEnd...], as: UTF8.self)
        return (host, path.hasPrefix("/") ? path : "/" + path)
    }

    /// `field-name ":" OWS field-value OWS`, the value trimmed; `nil` when malformed (whitespace before the
    /// colon, a line starting with whitespace, a control character other than tab, DEL).
    static func field(_ line: UnsafeRawBufferPointer) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer)? {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return nil }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        guard name.allSatisfy({ tokenBytes[Int($0)] }) else { return nil }  // also rejects obs-fold
        var start = colon + 1
        var end = line.count
        while start < end, line[start] == space || line[start] == tab { start += 1 }
        while end > start, line[end - 1] == space || line[end - 1] == tab { end -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[start..<end])
        guard value.allSatisfy({ $0 == tab || ($0 >= 0x20 && $0 != 0x7F) }) else { return nil }
        return (name, value)
    }

    /// A chunk-size line: hex digits (at most 15), then optionally `;` extensions of visible ASCII, spaces
    /// and tabs; `nil` when malformed.
    private static func chunkSize(_ line: UnsafeRawBufferPointer) -> Int? {
        var size = 0
        var digits = 0
        for byte in line {
            guard let value = hexValue(byte) else { break }
            size = size << 4 | value
            digits += 1
            guard digits <= 15 else { return nil }
        }
        guard digits > 0 else { return nil }
        var rest = line[digits...]
        while let first = rest.first, first == space || first == tab { rest = rest.dropFirst() }
        guard rest.isEmpty || rest.first == UInt8(ascii: ";") else { return nil }
        guard rest.allSatisfy({ $0 == tab || ($0 >= 0x20 && $0 < 0x7F) }) else { return nil }
        return size
    }

    /// What the search for the next line found.
    private enum Line {
        /// No LF yet.
        case incomplete
        /// An LF without a CR before it.
        case bareLineFeed
        /// A line without its CRLF, and the offset after the CRLF.
        case line(UnsafeRawBufferPointer, end: Int)
    }

    /// The next CRLF-terminated line from `start`.
    private static func line(in bytes: UnsafeRawBufferPointer, from start: Int) -> Line {
        guard let lf = bytes[start...].firstIndex(of: Self.lf) else { return .incomplete }
        guard lf > start, bytes[lf - 1] == cr else { return .bareLineFeed }
        return .line(UnsafeRawBufferPointer(rebasing: bytes[start..<(lf - 1)]), end: lf + 1)
    }

    // MARK: - Completion

    /// The request whose last byte was just consumed; resets for the next one.
    private mutating func complete() -> Step {
        guard let head else { return fail(.malformed("no request head")).step }
        self.head = nil
        state = .head
        trailerBytes = 0
        let request = HTTPRequest(
            method: head.method,
            target: head.target,
            version: head.version,
            headers: HTTPHeaders(validatedFields: head.fields),
            body: body
        )
        body = []
        return .request(request, keepAlive: head.keepAlive)
    }

    private mutating func fail(_ rejection: RequestRejection) -> (step: Step, consumed: Int) {
        state = .failed
        return (.reject(rejection), 0)
    }

    // MARK: - Bytes

    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// `tchar` of RFC 9110 section 5.6.2, indexed by byte.
    private static let tokenBytes: [Bool] = (0..<256).map { byte in
        HTTPHeaders.isToken(String(decoding: [UInt8(byte)], as: UTF8.self))
    }
}

/// The CRLF-separated lines of a head whose line endings are known to be CRLF.
private struct LineIterator {
    private let bytes: UnsafeRawBufferPointer
    private var start = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The next line without its CRLF; `nil` after the last.
    mutating func next() -> UnsafeRawBufferPointer? {
        guard start < bytes.count, let lf = bytes[start...].firstIndex(of: RequestParser.lf) else { return nil }
        defer { start = lf + 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<(lf - 1)])
    }
}
