#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// Byte-for-byte equality of the UTF-8 encodings (`==` is Unicode canonical equivalence, under which
    /// `"\u{212A}"`, KELVIN SIGN, equals `"K"`). One `memcmp` for native strings.
    @inline(__always)
    package func hasSameBytes(as other: String) -> Bool {
        // Identical representations hold identical bytes (two small strings with the same contents, or two
        // references to one buffer): an allowed model or method usually matches here without reading a byte.
        if Self.haveIdenticalRepresentations(self, other) { return true }
        let count = utf8.count
        guard count == other.utf8.count else { return false }
        if let equal = utf8.withContiguousStorageIfAvailable({ mine in
            other.utf8.withContiguousStorageIfAvailable { theirs in
                count <= 32 ? Self.bytesEqual(mine, theirs) : memcmp(mine.baseAddress!, theirs.baseAddress!, count) == 0
            }
        }), let equal {
            return equal
        }
        return utf8.elementsEqual(other.utf8)
    }

    /// Whether the two values are the same bits: then they are the same bytes (the converse does not hold).
    @inline(__always)
    private static func haveIdenticalRepresentations(_ left: String, _ right: String) -> Bool {
        // Two words on 64-bit platforms; elsewhere the byte comparison decides alone.
        guard MemoryLayout<String>.size == 16 else { return false }
        return withUnsafeBytes(of: left) { left in
            withUnsafeBytes(of: right) { right in
                left.loadUnaligned(as: UInt64.self) == right.loadUnaligned(as: UInt64.self)
                    && left.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                        == right.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            }
        }
    }

    /// Whether the UTF-8 encoding starts with `prefix`'s, byte for byte.
    /// Short buffers (models, methods, header names) compare faster in a loop than through a `memcmp` call.
    @inline(__always)
    private static func bytesEqual(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in left.indices where left[index] != right[index] { return false }
        return true
    }

    @inline(__always)
    func hasBytePrefix(_ prefix: Substring.UTF8View) -> Bool {
        let count = prefix.count
        guard count <= utf8.count else { return false }
        if let equal = utf8.withContiguousStorageIfAvailable({ mine in
            prefix.withContiguousStorageIfAvailable { theirs in
                count == 0 || memcmp(mine.baseAddress!, theirs.baseAddress!, count) == 0
            }
        }), let equal {
            return equal
        }
        return utf8.starts(with: prefix)
    }

    /// ASCII case-insensitive equality (header names are ASCII tokens), on contiguous bytes.
    @inline(__always)
    package func equalsIgnoringASCIICase(_ other: String) -> Bool {
        let count = utf8.count
        guard count == other.utf8.count else { return false }
        if let equal = utf8.withContiguousStorageIfAvailable({ mine in
            other.utf8.withContiguousStorageIfAvailable { theirs in
                Self.equalIgnoringASCIICase(mine, theirs)
            }
        }), let equal {
            return equal
        }
        return Self.equalIgnoringASCIICase(Array(utf8), Array(other.utf8))
    }

    @inline(__always)
    private static func equalIgnoringASCIICase(
        _ left: some RandomAccessCollection<UInt8>, _ right: some RandomAccessCollection<UInt8>
    ) -> Bool {
        for (a, b) in zip(left, right) where a != b {
            let lower = a | 0x20
            guard lower == b | 0x20, lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") else { return false }
        }
        return true
    }

    /// The string with ASCII `A-Z` lower-cased and every other byte unchanged. Unicode lower-casing would
    /// fold look-alikes into ASCII (KELVIN SIGN becomes `k`), turning a foreign host or header name into one
    /// of ours.
    package func asciiLowercased() -> String {
        guard utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return self }
        return String(decoding: utf8.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
