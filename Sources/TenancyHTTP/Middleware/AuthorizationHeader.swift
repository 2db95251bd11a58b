import Tenancy

/// The `Authorization` field shared by the bearer and basic middleware.
enum AuthorizationHeader {
    /// The credentials after `scheme` (compared case-insensitively) and one or more spaces; `nil` when the
    /// field is absent, repeated, of another scheme or empty.
    static func credentials(scheme: String, in request: HTTPRequest) -> Substring? {
        let fields = request.headers.values(for: "Authorization")
        guard fields.count == 1, let space = fields[0].firstIndex(of: " ") else { return nil }
        let value = fields[0]
        guard String(value[..<space]).equalsIgnoringASCIICase(scheme) else { return nil }
        let credentials = value[space...].drop { $0 == " " }
        return credentials.isEmpty ? nil : credentials
    }

    /// The 401 problem with a `WWW-Authenticate` challenge.
    static func unauthorized(challenge: String, detail: String) -> HTTPResponse {
        var response = HTTPResponse.problem(
            status: .unauthorized, code: .unauthorized, title: "Unauthorized", detail: detail)
        response.headers.appendTrusted("WWW-Authenticate", challenge)
        return response
    }

    /// `realm` without the characters that could end or break its quoted string.
    static func quotedRealm(_ realm: String) -> String {
        let safe = realm.utf8.filter { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        return "\"" + String(decoding: safe, as: UTF8.self) + "\""
    }
}
