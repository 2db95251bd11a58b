/// What the fields of a request head say about its framing and its connection, gathered field by field
/// while the head is parsed, then judged as a whole: the rules that keep requests from being smuggled.
struct FramingFields {
    /// How many `Host` fields.
    var hosts = 0
    /// The one `Content-Length`, once seen.
    private var contentLength: Int?
    /// A `Content-Length` of more than 18 digits: larger than any body bound.
    private var contentLengthIsHuge = false
    private var sawTransferEncoding = false
    private var sawChunked = false
    /// Whether the last coding seen so far is `chunked`.
    private var chunkedIsLast = false
    private var sawOtherCoding = false
    private var close = false
    private var keepAlive = false
    /// `Expect: 100-continue` was sent.
    private(set) var expectsContinue = false

    /// Notes one field.
    /// - Returns: The rejection this field alone causes (a second or malformed `Content-Length`, `chunked`
    ///   twice, an unknown expectation), else `nil`.
    mutating func note(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> RequestRejection? {
        switch name.count {
        case 4 where Self.equals(name, "host"):
            hosts += 1
        case 6 where Self.equals(name, "expect"):
            guard Self.equals(value, "100-continue") else {
                return RequestRejection(.expectationFailed, .expectationFailed, "only Expect: 100-continue is supported")
            }
            expectsContinue = true
        case 10 where Self.equals(name, "connection"):
            for option in Self.elements(value) {
                if Self.equals(option, "close") { close = true }
                if Self.equals(option, "keep-alive") { keepAlive = true }
            }
        case 14 where Self.equals(name, "content-length"):
            return noteContentLength(value)
        case 17 where Self.equals(name, "transfer-encoding"):
            return noteTransferEncoding(value)
        default:
            break
        }
        return nil
    }

    /// Judges the fields as a whole.
    /// - Returns: The body's framing and whether the connection may stay open, or the rejection.
    func framing(
        version: HTTPVersion,
        limits: RequestParser.Limits
    ) -> Result<(RequestParser.Framing, keepAlive: Bool), RequestRejection> {
        guard hosts == 1 || (hosts == 0 && version.minor == 0) else {
            return .failure(.malformed("an HTTP/1.1 request needs exactly one Host field"))
        }
        let keepAlive = !close && (version.minor == 1 || self.keepAlive)
        if sawTransferEncoding {
            guard contentLength == nil && !contentLengthIsHuge else {
                return .failure(.malformed("a request must not carry both Content-Length and Transfer-Encoding"))
            }
            guard version.minor == 1 else {
                return .failure(.malformed("Transfer-Encoding is not defined in HTTP/1.0"))
            }
            guard !sawChunked || chunkedIsLast else { return .failure(.malformed("chunked must be the last coding")) }
            guard !sawOtherCoding, sawChunked else {
                return .failure(
                    RequestRejection(.notImplemented, .unsupportedTransferCoding, "only the chunked transfer coding is supported")
                )
            }
            return .success((.chunked, keepAlive))
        }
        if contentLengthIsHuge { return .failure(.bodyTooLarge) }
        guard let contentLength, contentLength > 0 else { return .success((.none, keepAlive)) }
        guard contentLength <= limits.maximumBodyBytes else { return .failure(.bodyTooLarge) }
        return .success((.length(contentLength), keepAlive))
    }

    /// Exactly one field, of decimal digits only: no sign, list, spaces or duplicate.
    private mutating func noteContentLength(_ value: UnsafeRawBufferPointer) -> RequestRejection? {
        guard contentLength == nil, !contentLengthIsHuge else {
            return .malformed("a request must carry at most one Content-Length")
        }
        guard !value.isEmpty, value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return .malformed("Content-Length is not a decimal number")
        }
        guard value.count <= 18 else {
            contentLengthIsHuge = true
            return nil
        }
        contentLength = value.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return nil
    }

    /// The codings in order; `chunked` at most once.
    private mutating func noteTransferEncoding(_ value: UnsafeRawBufferPointer) -> RequestRejection? {
        sawTransferEncoding = true
        for coding in Self.elements(value) {
            if Self.equals(coding, "chunked") {
                guard !sawChunked else { return .malformed("chunked is applied more than once") }
                sawChunked = true
                chunkedIsLast = true
            } else {
                sawOtherCoding = true
                chunkedIsLast = false
            }
        }
        return nil
    }

    /// The non-empty elements of a comma-separated list, without surrounding spaces and tabs.
    private static func elements(_ value: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        value.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true).compactMap { element in
            var start = element.startIndex
            var end = element.endIndex
            while start < end, element[start] == RequestParser.space || element[start] == RequestParser.tab {
                start += 1
            }
            while end > start, element[end - 1] == RequestParser.space || element[end - 1] == RequestParser.tab {
                end -= 1
            }
            return start < end ? UnsafeRawBufferPointer(rebasing: value[start..<end]) : nil
        }
    }

    /// `bytes` equals the lowercase ASCII `lowercase`, ignoring ASCII case.
    private static func equals(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            guard folded == expected[index] else { return false }
        }
        return true
    }
}
