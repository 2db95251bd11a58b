/// A parsed, validated route pattern such as `/api/v1/resources/{id}` or `/static/*`.
///
/// Literal segments are compared with the request's normal-form path (see ``HTTPRequest/path``), so they
/// may hold only characters a normal form can: unreserved and sub-delimiter characters, `:` and `@`. A
/// `{name}` parameter fills a whole segment; `*` may only be the last segment and matches one or more
/// segments. A trailing slash is ignored, as it is in requests.
struct RoutePattern: Sendable, Equatable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case wildcard
    }

    /// The longest pattern accepted, in bytes.
    static let maximumLength = 2_048

    let text: String
    let segments: [Segment]

    /// Parses `text`.
    /// - Parameter text: The pattern.
    /// - Throws: ``HTTPError`` with ``HTTPError/Code/invalidRoutePattern`` saying what is wrong.
    init(_ text: String) throws(HTTPError) {
        func invalid(_ why: String) -> HTTPError {
            HTTPError(.invalidRoutePattern, "route pattern '\(text.boundedForMessage())' \(why)")
        }
        guard text.hasPrefix("/") else { throw invalid("does not start with '/'") }
        guard text.utf8.count <= Self.maximumLength else { throw invalid("is longer than \(Self.maximumLength) bytes") }
        var raw = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if raw.last?.isEmpty == true { raw = raw.dropLast() }
        var segments: [Segment] = []
        var names: Set<String> = []
        for part in raw {
            if segments.last == .wildcard { throw invalid("has segments after the wildcard '*'") }
            switch part {
            case "":
                throw invalid("has an empty segment ('//')")
            case ".", "..":
                throw invalid("has a '\(part)' segment")
            case "*":
                segments.append(.wildcard)
            case _ where part.hasPrefix("{") && part.hasSuffix("}") && part.count > 2:
                let name = String(part.dropFirst().dropLast())
                guard Self.isParameterName(name) else {
                    throw invalid("has parameter '\(name.boundedForMessage())' that is not [A-Za-z_][A-Za-z0-9_]{0,63}")
                }
                guard names.insert(name).inserted else { throw invalid("names parameter '\(name)' twice") }
                segments.append(.parameter(name))
            default:
                guard part.utf8.allSatisfy({ $0.isASCIIAlphanumeric(or: "-._~!$&'()*+,;=:@") }) else {
                    throw invalid("has segment '\(String(part).boundedForMessage())' with a character other than A-Z a-z 0-9 -._~!$&'()*+,;=:@ (parameters fill whole segments: '{name}')")
                }
                segments.append(.literal(String(part)))
            }
        }
        self.text = text
        self.segments = segments
    }

    private static func isParameterName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64, first < UInt8(ascii: "0") || first > UInt8(ascii: "9")
        else { return false }
        return name.utf8.allSatisfy { $0.isASCIIAlphanumeric(or: "_") }
    }
}
