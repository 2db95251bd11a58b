import CBenchSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's memory, read two ways: what the kernel has resident, and what the allocator has handed out.
struct MemoryUsage {
    /// Resident set size: `/proc/self/statm` resident pages times the page size (0 where unavailable).
    var residentBytes: Int
    /// Heap bytes in use: glibc `mallinfo2()` `uordblks + hblkhd` (0 where unavailable).
    var heapBytes: Int

    /// Reads both now.
    static func current() -> MemoryUsage {
        MemoryUsage(residentBytes: residentBytes(), heapBytes: Int(bench_heap_bytes_in_use()))
    }

    /// Returns free heap pages to the kernel, so that RSS growth measured afterwards is growth in use.
    static func trimHeap() {
        _ = bench_malloc_trim()
    }

    private static func residentBytes() -> Int {
        let descriptor = open("/proc/self/statm", O_RDONLY)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { return 0 }
        // "size resident shared text lib data dt", in pages.
        let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
        guard fields.count >= 2, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
