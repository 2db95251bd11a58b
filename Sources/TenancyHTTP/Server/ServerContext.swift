import Dispatch
import Synchronization
import TenancyPOSIX

/// What every event loop of one server run shares: the configuration, the handler, the listening socket,
/// the loops themselves (to deal accepted connections among them), the connection budget and the
/// pre-encoded `503` for connections over it.
final class ServerContext: Sendable {
    let configuration: HTTPServer.Configuration
    let handler: HTTPHandler
    let listening: Socket
    /// Every loop of the run, in the order connections are dealt to them.
    let loops: [EventLoop]
    /// The number of connections dealt so far; see ``loopForNextConnection()``.
    private let dealt = Atomic<Int>(0)
    /// Open connections across every loop; an atomic so that admitting one takes no lock.
    private let connections = Atomic<Int>(0)
    /// Signalled by each loop once it no longer polls the listening socket.
    let stoppedAccepting = DispatchSemaphore(value: 0)
    /// The whole `503` answer for a connection over ``HTTPServer/Configuration/maximumConnections``.
    let busyResponse: [UInt8]

    init(
        configuration: HTTPServer.Configuration, handler: @escaping HTTPHandler, listening: Socket, loops: [EventLoop]
    ) {
        self.configuration = configuration
        self.handler = handler
        self.listening = listening
        self.loops = loops
        var busy: [UInt8] = []
        var date = HTTPDate()
        date.refresh()
        ResponseEncoder.encode(
            Self.problem(.busy),
            headOnly: false,
            persistence: .close,
            date: date.field,
            into: &busy
        )
        busyResponse = busy
    }

    /// Takes a connection slot.
    /// - Returns: `false` when every slot is taken.
    func admit() -> Bool {
        let limit = configuration.maximumConnections
        var current = connections.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = connections.compareExchange(
                expected: current,
                desired: current + 1,
                ordering: .relaxed
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// The loop that serves the next accepted connection: round-robin over every loop, whichever loop
    /// accepted it. A burst of connects wakes one loop, which would otherwise accept (and then serve) the
    /// whole burst alone: a load generator's 64 connections all landed on one of two loops and the server
    /// used one core.
    /// - Returns: The loop.
    func loopForNextConnection() -> EventLoop {
        loops[Int(UInt(bitPattern: dealt.wrappingAdd(1, ordering: .relaxed).oldValue) % UInt(loops.count))]
    }

    /// Gives a connection slot back.
    func release() {
        connections.subtract(1, ordering: .relaxed)
    }

    /// The number of open connections.
    var openConnections: Int { connections.load(ordering: .relaxed) }

    /// The problem+json response for a rejection.
    static func problem(_ rejection: RequestRejection) -> HTTPResponse {
        HTTPResponse.problem(
            status: rejection.status,
            code: rejection.code,
            title: rejection.status.reasonPhrase,
            detail: rejection.detail
        )
    }
}
