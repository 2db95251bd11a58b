import TenancyPOSIX

/// Gives every request an ID (``HTTPRequest/requestID``) and echoes it in the response, for correlating
/// logs across services.
///
/// A client's ID is kept only when it is a single field of 1 to ``maximumLength`` characters from
/// `A-Z a-z 0-9 - _ . : + / = @`; anything else (too long, repeated, a control character, a space, a quote)
/// is replaced by a generated one, so an ID is always safe to log and to put in a header.
public struct RequestIDMiddleware: Middleware {
    /// The header carrying the ID, both ways.
    public let headerName: String
    /// The longest client ID kept.
    public let maximumLength: Int
    private let generate: @Sendable () -> String

    /// Creates the middleware.
    /// - Parameters:
    ///   - headerName: `X-Request-ID` by default; must be a token, else the default is used.
    ///   - maximumLength: The longest client ID kept, 1-1024; 128 by default.
    ///   - generate: Makes a new ID; 32 random hex digits by default. Its result is validated too and
    ///     replaced by the default generator's when it does not pass.
    public init(
        headerName: String = "X-Request-ID", maximumLength: Int = 128,
        generate: @escaping @Sendable () -> String = RequestIDMiddleware.randomID
    ) {
        self.headerName = HTTPHeaders.isToken(headerName) ? headerName : "X-Request-ID"
        self.maximumLength = min(max(maximumLength, 1), 1024)
        self.generate = generate
    }

    /// Sets the request's ID, runs `next`, and puts the ID on the response.
    /// - Parameters:
    ///   - request: The request.
    ///   - next: The rest of the chain.
    /// - Returns: `next`'s response with the ID field.
    /// - Throws: What `next` throws.
    public func respond(to request: HTTPRequest, next: HTTPResponder) async throws -> HTTPResponse {
        let given = request.headers.values(for: headerName)
        var id = given.count == 1 ? given[0] : ""
        if !isValid(id) {
            id = generate()
            if !isValid(id) { id = Self.randomID() }
        }
        var identified = request
        identified.requestID = id
        var response = try await next(identified)
        response.headers.remove(headerName)
        response.headers.appendTrusted(headerName, id)
        return response
    }

    private func isValid(_ id: String) -> Bool {
        (1...maximumLength).contains(id.utf8.count) && id.utf8.allSatisfy { $0.isASCIIAlphanumeric(or: "-_.:+/=@") }
    }

    /// 128 random bits as 32 lower-case hex digits.
    ///
    /// On the request path of every route: one `getrandom(2)` for all 16 bytes and one string allocation,
    /// written in place (two random draws and five intermediate strings took about 5 % of the server's CPU
    /// in the load run).
    /// - Returns: The ID.
    @Sendable public static func randomID() -> String {
        var bits: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &bits) { System.fillRandom($0) }
        return withUnsafeBytes(of: bits) { bytes in
            String(unsafeUninitializedCapacity: 32) { digits in
                for (index, byte) in bytes.enumerated() {
                    digits[2 * index] = hexDigit(byte >> 4)
                    digits[2 * index + 1] = hexDigit(byte & 0x0F)
                }
                return 32
            }
        }
    }

    /// The lower-case hex digit of a value below 16.
    @inline(__always)
    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") - 10 + value
    }
}
