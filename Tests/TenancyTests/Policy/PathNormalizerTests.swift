import TenancyTestSupport
import Testing

@testable import Tenancy

@Suite struct PathNormalizerTests {
    @Test(arguments: ["/", "/api/v1/ping", "/api/v1/resources/", "/a/b.c", "/a/b..", "/a-b_c~d!$&'()+,;=:@"])
    func returnsAPathThatIsAlreadyNormalUnchanged(_ path: String) {
        #expect(PathNormalizer.normalize(path) == path)
    }

    @Test(arguments: [
        ("/a/./b", "/a/b"),
        ("/./a", "/a"),
        ("/a/b/../c", "/a/c"),
        ("/a/b/c/../../d", "/a/d"),
        ("/a/.well-known", "/a/.well-known"),
        ("/a/..b/.c", "/a/..b/.c"),
        ("/a/.../b", "/a/.../b"),
    ])
    func removesDotSegments(_ path: String, _ expected: String) {
        #expect(PathNormalizer.normalize(path) == expected)
    }

    @Test(arguments: [
        ("/..", "/"),
        ("/../a", "/a"),
        ("/../../../../etc/passwd", "/etc/passwd"),
        ("/a/../../b", "/b"),
        ("/a/b/../../../../c/", "/c/"),
    ])
    func keepsTraversalAboveTheRootAtTheRoot(_ path: String, _ expected: String) {
        #expect(PathNormalizer.normalize(path) == expected)
    }

    @Test(arguments: [
        ("//", "/"),
        ("//a", "/a"),
        ("/a//b", "/a/b"),
        ("/a///b////c", "/a/b/c"),
        ("/a//", "/a/"),
        ("///a/..//b", "/b"),
    ])
    func collapsesRepeatedSlashes(_ path: String, _ expected: String) {
        #expect(PathNormalizer.normalize(path) == expected)
    }

    @Test(arguments: [
        ("/a/", "/a/"),
        ("/a/b/..", "/a/"),
        ("/a/b/../", "/a/"),
        ("/a/.", "/a/"),
        ("/a/./", "/a/"),
        ("/a/b//", "/a/b/"),
        ("/a/..", "/"),
    ])
    func keepsATrailingSlash(_ path: String, _ expected: String) {
        #expect(PathNormalizer.normalize(path) == expected)
    }

    @Test(arguments: [
        ("/%61dmin", "/admin"),
        ("/%41%42%43", "/ABC"),
        ("/%7e%7E", "/~~"),
        ("/a%20b", "/a b"),
        ("/caf%C3%A9", "/café"),
        ("/caf%c3%a9", "/café"),
    ])
    func decodesPercentEscapesInEitherCase(_ path: String, _ expected: String) {
        #expect(PathNormalizer.normalize(path) == expected)
    }

    @Test(arguments: [
        ("/api/v1/%2e%2e/admin", "/api/admin"),
        ("/api/v1/%2E%2E/admin", "/api/admin"),
        ("/api/v1/%2e%2E/%2E%2e/admin", "/admin"),
        ("/api/v1/.%2e/admin", "/api/admin"),
        ("/api/v1/%2e./admin", "/api/admin"),
        ("/api/v1/%2e/x", "/api/v1/x"),
        ("/api/v1/%2e%2e", "/api/"),
    ])
    func collapsesPercentEncodedDotSegments(_ path: String, _ expected: String) {
        #expect(PathNormalizer.normalize(path) == expected)
    }

    @Test(arguments: [
        ("/api%2Fv1", "/api/v1"),
        ("/api%2fv1", "/api/v1"),
        ("/api/v1%2F..%2F..%2Fadmin", "/admin"),
        ("/api/v1/..%2fadmin", "/api/admin"),
        ("/a%2F%2Fb", "/a/b"),
        ("/a%2F", "/a/"),
    ])
    func treatsAnEncodedSlashAsASeparator(_ path: String, _ expected: String) {
        #expect(PathNormalizer.normalize(path) == expected)
    }

    @Test(arguments: ["/%G1", "/%1G", "/%zz", "/a%", "/a%4", "/%%41", "/% 41", "/%", "/a%2", "/%-1", "/%+1"])
    func deniesAnInvalidEscape(_ path: String) {
        #expect(PathNormalizer.normalize(path) == nil)
    }

    @Test(arguments: [
        "/a\u{0}b", "/a%00b", "/a\u{1}", "/a%01", "/a\tb", "/a%09b", "/a\u{1F}", "/a%1f", "/a\u{7F}", "/a%7F", "/a%7f",
        "/a\r\nSet-Cookie:x", "/a%0d%0aSet-Cookie:x", "/a%0A", "/a\u{85}", "/a%C2%85", "/a%c2%80", "/a%C2%9F",
    ])
    func deniesControlCharactersRawOrEncoded(_ path: String) {
        #expect(PathNormalizer.normalize(path) == nil)
    }

    @Test func keepsTheCharactersJustOutsideTheControlRanges() {
        #expect(PathNormalizer.normalize("/a%C2%A0b") == "/a\u{A0}b")
        #expect(PathNormalizer.normalize("/a%7E") == "/a~")
    }

    @Test(arguments: [
        "/%FF", "/%C3", "/caf%C3", "/%C0%AE", "/%C0%AE%C0%AE/admin", "/%E2%82", "/%ED%A0%80", "/%F4%90%80%80", "/%80",
    ])
    func deniesInvalidUTF8AfterDecoding(_ path: String) {
        #expect(PathNormalizer.normalize(path) == nil)
    }

    @Test(arguments: [
        ("/a?x=1", "/a"),
        ("/a#frag", "/a"),
        ("/a?b#c", "/a"),
        ("/a#b?c", "/a"),
        ("/a/?q", "/a/"),
        ("/a/../b?x=/../../c", "/b"),
        ("/a?%zz", "/a"),
        ("/a?\u{0}", "/a"),
        ("/api/v1/ping?", "/api/v1/ping"),
    ])
    func cutsTheQueryAndFragmentBeforeNormalising(_ path: String, _ expected: String) {
        #expect(PathNormalizer.normalize(path) == expected)
    }

    @Test(arguments: [
        "", "*", "http://x/", "https://example.com/api/v1", "a/b", "api", "?x", "#x", " /a", "%2Fa", ".", "../a",
    ])
    func deniesATargetThatIsNotOriginForm(_ path: String) {
        #expect(PathNormalizer.normalize(path) == nil)
    }

    @Test func acceptsAPathOfTheMaximumLength() {
        let path = "/" + String(repeating: "a", count: PathNormalizer.maximumLength - 1)
        #expect(PathNormalizer.normalize(path) == path)
    }

    @Test(arguments: ["/", "/%61"])
    func deniesAPathLongerThanTheMaximum(_ prefix: String) {
        let path = prefix + String(repeating: "a", count: PathNormalizer.maximumLength + 1 - prefix.utf8.count)
        #expect(PathNormalizer.normalize(path) == nil)
    }

    @Test func measuresTheLengthWithoutTheQuery() {
        let path = "/" + String(repeating: "a", count: PathNormalizer.maximumLength - 1)
        #expect(PathNormalizer.normalize(path + "?" + String(repeating: "q", count: 10_000)) == path)
    }

    @Test(arguments: [
        ("/a%25b", "/a%25b"),
        ("/100%25", "/100%25"),
        ("/a%3Fb", "/a%3Fb"),
        ("/a%3fb", "/a%3Fb"),
        ("/a%23b", "/a%23b"),
        ("/%252e%252e/admin", "/%252e%252e/admin"),
        ("/a/%3F/../b", "/a/b"),
    ])
    func keepsPercentQuestionMarkAndHashEncoded(_ path: String, _ expected: String) {
        #expect(PathNormalizer.normalize(path) == expected)
    }

    @Test(arguments: [
        "/a%25b", "/%252e%252e/admin", "/%25%32%65%25%32%65/x", "/a%3Fb/%2e%2e/c", "/a%23/../b", "/caf%C3%A9/./x",
        "/a%20b//c", "/%2e%2e%2f%2e%2e", "/a/b/../", "/api/v1/%2525",
    ])
    func producesAFixedPoint(_ path: String) throws {
        let once = try #require(PathNormalizer.normalize(path))
        #expect(PathNormalizer.normalize(once) == once)
    }

    /// Attempts to reach a path outside `/api/v1/` while looking, to the normaliser, like a path inside it.
    /// Each is either resolved to where it really goes or denied outright.
    @Test(arguments: [
        ("/api/v1/../admin", "/api/admin"),
        ("/api/v1/../../admin", "/admin"),
        ("/api/v1/%2e%2e/%2e%2e/admin", "/admin"),
        ("/api/v1/%2E%2e%2F%2e%2E%2Fadmin", "/admin"),
        ("/api/v1/.%2E/.%2e/admin", "/admin"),
        ("/api/v1/x/../../../admin", "/admin"),
        ("/api/v1%2F..%2F..%2Fadmin", "/admin"),
        ("//api/v1/../../admin", "/admin"),
        ("/api/v1//..//..//admin", "/admin"),
        ("/api/v1/./../admin", "/api/admin"),
        ("/api/v1/..?/api/v1/x", "/api/"),
        ("/api/v1/..#/api/v1/x", "/api/"),
    ])
    func resolvesTraversalOutOfAPrefix(_ path: String, _ expected: String) {
        #expect(PathNormalizer.normalize(path) == expected)
    }

    /// Segments that some servers treat as traversal but that are plain names here; they stay under the
    /// prefix for a router that dispatches on the normal form, and a second decoding cannot change them.
    @Test(arguments: [
        ("/api/v1/%252e%252e/admin", "/api/v1/%252e%252e/admin"),
        ("/api/v1/..;/admin", "/api/v1/..;/admin"),
        ("/api/v1/..\\admin", "/api/v1/..\\admin"),
        ("/api/v1/%2e%2e%5cadmin", "/api/v1/..\\admin"),
        ("/api/v1/%EF%BC%8E%EF%BC%8E/admin", "/api/v1/\u{FF0E}\u{FF0E}/admin"),
        ("/api/v1/. ./admin", "/api/v1/. ./admin"),
    ])
    func keepsLookalikeTraversalAsALiteralSegment(_ path: String, _ expected: String) throws {
        let normal = try #require(PathNormalizer.normalize(path))
        #expect(normal == expected)
        #expect(PathNormalizer.normalize(normal) == normal)
    }

    @Test(arguments: [
        "/api/v1/%C0%AE%C0%AE/admin", "/api/v1/%00/../../admin", "/api/v1/%", "/api/v1/\u{0}/../../admin",
    ])
    func deniesMalformedTraversalAttempts(_ path: String) {
        #expect(PathNormalizer.normalize(path) == nil)
    }

    @Test func agreesWithAReferenceImplementationOnRandomInputs() {
        var random = SplitMix64(seed: 0x7e4a_4c79)
        for _ in 0..<20_000 {
            let input = Self.randomPath(using: &random)
            let actual = PathNormalizer.normalize(input)
            #expect(actual == ReferenceNormalizer.normalize(input), "input: \(input.debugDescription)")
            if let actual {
                #expect(PathNormalizer.normalize(actual) == actual, "not a fixed point: \(input.debugDescription)")
            }
        }
    }

    private static let pieces = [
        "/", "/", "/", ".", "..", "a", "b", "%", "2", "e", "E", "f", "F", "%2e", "%2E", "%2f", "%2F", "%25", "%3f",
        "%3F", "%23", "%00", "%7f", "%C3%A9", "%c2%85", "%FF", "%C0%AE", "%G1", "?", "#", " ", "é", "\u{0}", "\u{85}",
        ";", "\\", "*", "~", "%20", "%41",
    ]

    private static func randomPath(using random: inout SplitMix64) -> String {
        var path = random.next(below: 10) == 0 ? "" : "/"
        for _ in 0..<random.next(below: 14) {
            path += pieces[random.next(below: pieces.count)]
        }
        return path
    }
}

/// A deliberately different implementation of the normal form, straight from the specification: cut the
/// query, decode, collapse slashes, run RFC 3986 section 5.2.4's loop, then re-encode `%`, `?` and `#`.
private enum ReferenceNormalizer {
    static func normalize(_ path: String) -> String? {
        var bytes = Array(path.utf8)
        if let cut = bytes.firstIndex(where: { $0 == 0x3F || $0 == 0x23 }) { bytes.removeSubrange(cut...) }
        guard bytes.first == 0x2F, bytes.count <= PathNormalizer.maximumLength else { return nil }
        guard let decoded = decode(bytes), let text = String(validating: decoded, as: UTF8.self),
            !text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        else { return nil }
        var collapsed: [UInt8] = []
        for byte in decoded where !(byte == 0x2F && collapsed.last == 0x2F) { collapsed.append(byte) }
        return String(decoding: reencode(removeDotSegments(collapsed)), as: UTF8.self)
    }

    private static func decode(_ bytes: [UInt8]) -> [UInt8]? {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x25 {
                guard index + 2 < bytes.count,
                    let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16),
                    bytes[index + 1...index + 2].allSatisfy({ $0 != 0x2B && $0 != 0x2D })
                else { return nil }
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    private static func removeDotSegments(_ path: [UInt8]) -> [UInt8] {
        var input = path[...]
        var output: [UInt8] = []
        func starts(_ prefix: String) -> Bool { input.starts(with: prefix.utf8) }
        func equals(_ text: String) -> Bool { input.elementsEqual(text.utf8) }
        func popSegment() {
            if let slash = output.lastIndex(of: 0x2F) { output.removeSubrange(slash...) } else { output.removeAll() }
        }
        while !input.isEmpty {
            if starts("../") {
                input = input.dropFirst(3)
            } else if starts("./") {
                input = input.dropFirst(2)
            } else if starts("/./") {
                input = input.dropFirst(2)
            } else if equals("/.") {
                input = [0x2F][...]
            } else if starts("/../") {
                input = input.dropFirst(3)
                popSegment()
            } else if equals("/..") {
                input = [0x2F][...]
                popSegment()
            } else if equals(".") || equals("..") {
                input = []
            } else {
                let next = input.dropFirst().firstIndex(of: 0x2F) ?? input.endIndex
                output.append(contentsOf: input[..<next])
                input = input[next...]
            }
        }
        return output.isEmpty ? [0x2F] : output
    }

    private static func reencode(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        for byte in bytes {
            switch byte {
            case 0x25: output += Array("%25".utf8)
            case 0x3F: output += Array("%3F".utf8)
            case 0x23: output += Array("%23".utf8)
            default: output.append(byte)
            }
        }
        return output
    }
}
