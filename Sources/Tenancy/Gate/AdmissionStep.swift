/// The outcome of one step of the ``AdmissionGate``: go on with a value, or the request's fate is decided.
public enum AdmissionStep<Value: Sendable>: Sendable {
    /// The request goes on to the next step with this value.
    case proceed(Value)
    /// The request is decided: rejected, or admitted without the remaining steps (a missing tenant that is
    /// allowed).
    case decided(Admission)
}
