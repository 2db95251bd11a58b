/// A system call that failed, and its `errno`: what this module throws. Each server maps it into its own
/// public error type (``SystemCallError/code`` decides which code, the description becomes the message).
package struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The call, such as `bind` or `setsockopt(SO_REUSEADDR)`.
    package var call: String
    /// `errno` right after the call.
    package var code: Int32

    /// Records a failure of `call` with `code`.
    package init(_ call: String, _ code: Int32) {
        self.call = call
        self.code = code
    }

    /// `bind: Address already in use (errno 98)`.
    package var description: String { "\(call): \(System.describe(code))" }
}
