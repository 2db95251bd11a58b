import TenancyPOSIX

/// One client connection, owned by the event loop that accepted it and touched only on its thread.
///
/// Requests are served one at a time: while a handler runs, bytes of pipelined requests wait in
/// ``pending`` unparsed, so responses go out in request order. Buffers are reused for every request.
final class HTTPConnection {
    /// Where the connection is in its request cycle.
    enum State: Equatable {
        /// Waiting for or receiving a request.
        case reading
        /// A handler is answering request number ``HTTPConnection/serial``.
        case handling
        /// Sending a response; then reading again, or closing.
        case writing(closeAfter: Bool)
        /// The last response is sent and the write side shut down: discarding input until the client
        /// closes, so that it reads the response before the close (a close with unread input resets).
        case lingering
    }

    let socket: Socket
    /// The peer's address, such as `127.0.0.1:53211`.
    let remoteAddress: String?
    var parser: RequestParser
    var state = State.reading
    /// Received and not yet consumed by the parser.
    var pending: [UInt8] = []
    /// The response being sent, and how much of it is sent.
    var output: [UInt8] = []
    var outputSent = 0
    /// When the current phase times out; `nil` while a handler runs.
    var deadline: ContinuousClock.Instant?
    /// The number of the request in flight, so a late response for a closed connection whose descriptor
    /// was reused is recognised and dropped.
    var serial: UInt64 = 0
    /// Edge-triggered: the socket may hold bytes not read yet.
    var mayRead = true
    /// The client shut down its sending side (or reset): reading has reached the end of its stream.
    var inputEnded = false
    /// epoll reported the hang-up; the end of the stream may still be behind unread bytes.
    var hungUp = false
    /// The next request's first byte has arrived (or the connection is new): the head deadline runs and
    /// more bytes, even empty lines, do not extend it.
    var requestStarted = true
    /// The deadline is the body's (set once the head is complete).
    var receivingBody = false
    /// Bytes discarded while lingering.
    var discarded = 0
    /// Hands each request's completion record to the server (see ``ResponseWriteHook``); one per
    /// connection, reused for every request.
    let responseWrite = ResponseWriteHook()
    /// The completion record of the response being written, reported once its last byte is sent or the
    /// connection closes, and the status of that response.
    var completion: CompletionRecord?
    var completionStatus = 0

    init(socket: Socket, remoteAddress: String?, limits: RequestParser.Limits, deadline: ContinuousClock.Instant) {
        self.socket = socket
        self.remoteAddress = remoteAddress
        parser = RequestParser(limits: limits)
        self.deadline = deadline
    }

    /// Between requests with nothing of the next one received.
    var isIdle: Bool {
        state == .reading && pending.isEmpty && parser.isIdle && !receivingBody
    }
}
