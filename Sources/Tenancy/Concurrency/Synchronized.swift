import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `Mutex` whose critical sections ThreadSanitizer can see.
///
/// On Linux `Synchronization.Mutex` locks with futex atomics compiled into the standard library, which is
/// not instrumented, so `swift test --sanitize=thread` reports every access it protects as a race (a
/// ten-line program with `DispatchQueue.concurrentPerform` reproduces it). This wrapper tells the sanitizer
/// about the happens-before edge the lock creates: `__tsan_acquire` after locking and `__tsan_release`
/// before unlocking, on the address of the protected value. Outside sanitizer builds those symbols do not
/// exist, the function pointers are `nil`, and the cost is one predictable branch per call.
package struct Synchronized<Value: ~Copyable>: ~Copyable, Sendable {
    private let mutex: Mutex<Value>

    /// Creates the lock around `initialValue`.
    package init(_ initialValue: consuming sending Value) {
        mutex = Mutex(initialValue)
    }

    /// Runs `body` with exclusive access to the value.
    @inline(__always)
    package borrowing func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        guard let sanitizer = ThreadSanitizerHooks.shared else { return try mutex.withLock(body) }
        // The mutex's own address is the synchronisation object: taking it touches no protected memory.
        let address = withUnsafePointer(to: mutex) { UnsafeMutableRawPointer(mutating: $0) }
        return try mutex.withLock { (value: inout sending Value) throws(E) -> sending Result in
            sanitizer.acquire(address)
            defer { sanitizer.release(address) }
            return try body(&value)
        }
    }
}

/// The ThreadSanitizer annotation entry points, found at run time; `nil` unless the sanitizer runtime is
/// loaded.
struct ThreadSanitizerHooks: Sendable {
    typealias Annotation = @convention(c) (UnsafeMutableRawPointer?) -> Void

    let acquire: Annotation
    let release: Annotation

    static let shared: ThreadSanitizerHooks? = {
        // RTLD_DEFAULT: search the executable and every loaded library.
        #if canImport(Darwin)
        let searchEverything = UnsafeMutableRawPointer(bitPattern: -2)
        #else
        let searchEverything: UnsafeMutableRawPointer? = nil
        #endif
        guard let acquire = dlsym(searchEverything, "__tsan_acquire"),
            let release = dlsym(searchEverything, "__tsan_release")
        else { return nil }
        return ThreadSanitizerHooks(
            acquire: unsafeBitCast(acquire, to: Annotation.self), release: unsafeBitCast(release, to: Annotation.self))
    }()
}
