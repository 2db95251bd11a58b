extension UInt8 {
    /// Whether the byte is an ASCII letter or digit.
    var isASCIIAlphanumeric: Bool {
        (self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9")) || (self | 0x20 >= UInt8(ascii: "a") && self | 0x20 <= UInt8(ascii: "z"))
    }

    /// Whether the byte is an ASCII letter or digit, or one of `extra` (ASCII).
    func isASCIIAlphanumeric(or extra: StaticString) -> Bool {
        isASCIIAlphanumeric || UnsafeBufferPointer(start: extra.utf8Start, count: extra.utf8CodeUnitCount).contains(self)
    }
}
