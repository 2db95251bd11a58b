/// A registered route: its pattern and its handler, already wrapped in its groups' middleware.
struct Route: Sendable {
    /// The full pattern as registered, for messages.
    let pattern: String
    /// The handler inside its middleware.
    let responder: HTTPResponder
}
