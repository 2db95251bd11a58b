import Tenancy
import TenancyPOSIX

/// What the ``MetricsListener`` answers, and how a worker thread answers a scrape.
///
/// The accept thread calls ``decide(_:)`` on every complete request head and sends the short error answers
/// itself; a worker thread calls ``serve(_:workspace:)`` for the scrapes. A worker owns one ``Workspace``
/// and reuses its buffers for every scrape it answers: the exposition is rendered into the same byte
/// buffer time after time, and no lock is held while rendering or writing.
struct ConnectionHandler: Sendable {
    /// A worker's reusable buffers.
    struct Workspace {
        /// The response's status line and headers.
        var head: [UInt8] = []
        /// The rendered exposition.
        var body: [UInt8] = []
        /// Receives what the client sends after its request, to be discarded.
        var discard: [UInt8] = []
    }

    /// What to answer a well-formed request head with.
    enum Decision: Equatable {
        /// The exposition, with or without its body.
        case metrics(headOnly: Bool)
        /// An error, with or without its body.
        case error(ListenerResponse.Status, headOnly: Bool)
    }

    /// How long the accept thread keeps reading after an error answer, so that the client reads the answer
    /// before the close (a close with unread input makes the kernel reset the connection).
    static let lingerTimeout = Duration.milliseconds(500)
    /// How much is read and discarded at most after an answer.
    static let lingerLimit = 64 * 1024

    let configuration: MetricsListener.Configuration
    let render: @Sendable (inout [UInt8]) -> Void
    private let token: [UInt8]?

    init(configuration: MetricsListener.Configuration, render: @escaping @Sendable (inout [UInt8]) -> Void) {
        self.configuration = configuration
        self.render = render
        token = configuration.bearerToken.map { Array($0.utf8) }
    }

    // MARK: - Deciding

    /// The answer to a well-formed head: 404 for another path, 405 for another method, 401 without the
    /// bearer token, else the exposition.
    func decide(_ head: RequestHeadParser.Head) -> Decision {
        let headOnly = head.method == "HEAD"
        guard head.path == configuration.path else { return .error(.notFound, headOnly: headOnly) }
        guard head.method == "GET" || headOnly else { return .error(.methodNotAllowed, headOnly: false) }
        guard isAuthorized(head.authorization) else { return .error(.unauthorized, headOnly: headOnly) }
        return .metrics(headOnly: headOnly)
    }

    /// Whether `authorization` is `Bearer <token>` (scheme case-insensitive) with the configured token,
    /// compared in time that depends only on the configured token's length; always without a token.
    func isAuthorized(_ authorization: String?) -> Bool {
        guard let token else { return true }
        guard let authorization else { return false }
        let value = Array(authorization.utf8)
        let scheme = value.prefix { $0 != UInt8(ascii: " ") }
        guard RequestHeadParser.equalsIgnoringCase(scheme, "bearer") else { return false }
        let credential = value[scheme.endIndex...].drop { $0 == UInt8(ascii: " ") }
        return Self.constantTimeEquals(credential, token)
    }

    /// Compares in constant time (see `ConstantTime`).
    static func constantTimeEquals(_ given: ArraySlice<UInt8>, _ expected: [UInt8]) -> Bool {
        ConstantTime.equals(given, expected)
    }

    /// The whole answer with an error `status`: status line, headers and (unless `headOnly`) body.
    func errorMessage(_ status: ListenerResponse.Status, headOnly: Bool) -> [UInt8] {
        var message: [UInt8] = []
        ListenerResponse.error(status, path: configuration.path).writeHead(into: &message)
        if !headOnly { message.append(contentsOf: ListenerResponse.errorBody(status, path: configuration.path)) }
        return message
    }

    // MARK: - Serving a scrape

    /// Renders the exposition and sends it within the write timeout, then shuts down the write side and
    /// discards what the client has sent beyond its request. The caller closes the connection.
    func serve(_ job: ConnectionHandoff.Job, workspace: inout Workspace) {
        workspace.head.removeAll(keepingCapacity: true)
        workspace.body.removeAll(keepingCapacity: true)
        render(&workspace.body)
        ListenerResponse(status: .ok, contentType: MetricsRegistry.contentType, contentLength: workspace.body.count)
            .writeHead(into: &workspace.head)
        let body = job.headOnly ? workspace.body[0..<0] : workspace.body[...]
        let connection = job.connection
        guard connection.send(workspace.head, body, deadline: .now + configuration.writeTimeout) else { return }
        connection.shutdown(writeOnly: true)
        connection.drain(using: &workspace.discard, limit: Self.lingerLimit, deadline: .now)
    }
}
