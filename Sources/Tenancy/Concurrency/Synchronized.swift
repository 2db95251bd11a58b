#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a lock: the project's one locking primitive.
///
/// Why not `Synchronization.Mutex`: on Linux (Swift 6.3) its `withLock` costs about 33 ns uncontended
/// against 6 ns for a `pthread_mutex_t` on the same machine (a priority-inheritance futex plus a thread-ID
/// lookup per lock), and it locks with standard-library atomics that ThreadSanitizer cannot see, so
/// `swift test --sanitize=thread` reports every access it protects as a race. A pthread mutex is
/// intercepted by the sanitizer and is what the hot paths (quota shards, config stores, metric families)
/// need. The value and the mutex share one allocation, as in SwiftNIO's `NIOLock`.
///
/// `@unchecked Sendable` is sound: the value is only ever reached through ``withLock(_:)``, which holds the
/// mutex for the whole access; the mutex is designed to be shared between threads and lives at a stable
/// address (the tail element of the storage object) for as long as any copy of this struct exists.
/// (`ManagedBuffer` is explicitly not `Sendable`, so the proof has to sit here.)
package struct Synchronized<Value: Sendable>: @unchecked Sendable {
    private let storage: LockedStorage<Value>

    /// Creates the lock around `initialValue`.
    package init(_ initialValue: Value) {
        storage = LockedStorage.make(initialValue)
    }

    /// Runs `body` with exclusive access to the value. `body` must not block or call back into the lock.
    @inline(__always)
    package func withLock<Result, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
        try storage.withLock(body)
    }
}

extension Synchronized {
    /// The same lock without a reference count, for a hot path whose caller keeps a ``Synchronized`` alive:
    /// locking through it neither retains nor releases, and reaches the value without a further pointer.
    /// Unsafe: nothing keeps the storage alive; see ``Unretained``.
    package var unsafeUnretained: Unretained { Unretained(storage: .passUnretained(storage)) }

    /// A ``Synchronized`` reached without a reference count.
    ///
    /// Two promises, kept apart. Thread safety holds as for ``Synchronized``: the value is only reached
    /// through ``withLock(_:)``, under the storage's mutex. Lifetime does not: the storage lives only as long
    /// as some ``Synchronized`` holding it, and the caller must guarantee one outlives every use (the quota
    /// store keeps its shards in a `let` array of the same object). `@unchecked Sendable` covers the first.
    package struct Unretained: @unchecked Sendable {
        fileprivate let storage: Unmanaged<LockedStorage<Value>>

        /// Runs `body` with exclusive access to the value, as ``Synchronized/withLock(_:)``.
        @inline(__always)
        package func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
            storage._withUnsafeGuaranteedRef { storage in storage.withLock(body) }
        }
    }
}

/// The value (header) and its `pthread_mutex_t` (one tail element) in one heap object.
private final class LockedStorage<Value>: ManagedBuffer<Value, pthread_mutex_t> {
    static func make(_ value: Value) -> LockedStorage<Value> {
        let buffer = create(minimumCapacity: 1) { _ in value }
        // `create` called on a subclass allocates an instance of that subclass.
        let storage = unsafeDowncast(buffer, to: LockedStorage<Value>.self)
        storage.withUnsafeMutablePointerToElements { mutex in
            mutex.initialize(to: pthread_mutex_t())
            pthread_mutex_init(mutex, nil)
        }
        return storage
    }

    /// Destroys the mutex; `ManagedBuffer` destroys the header (the value) itself.
    deinit {
        withUnsafeMutablePointerToElements { mutex in
            pthread_mutex_destroy(mutex)
            mutex.deinitialize(count: 1)
        }
    }

    @inline(__always)
    func withLock<Result, E: Error>(_ body: (inout Value) throws(E) -> Result) throws(E) -> Result {
        try withUnsafeMutablePointers { (value, mutex) throws(E) -> Result in
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return try body(&value.pointee)
        }
    }
}
