/// An immutable value in a class, so that the holder can be copied with one retain and the value used in
/// place.
@usableFromInline
final class Boxed<Value: Sendable>: Sendable {
    @usableFromInline let value: Value

    @usableFromInline
    init(_ value: Value) {
        self.value = value
    }
}
