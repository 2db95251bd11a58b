import Testing

@testable import TenancyPOSIX

/// The thin system-call wrappers that are not about sockets.
@Suite struct SystemTests {
    /// 1000 bytes are over the 256 that one `getrandom` is guaranteed to return whole, so a short read
    /// would be continued.
    @Test(arguments: [16, 256, 1000])
    func fillRandomWritesEveryByte(count: Int) {
        var first = [UInt8](repeating: 0, count: count)
        var second = [UInt8](repeating: 0, count: count)
        first.withUnsafeMutableBytes { System.fillRandom($0) }
        second.withUnsafeMutableBytes { System.fillRandom($0) }
        // Two fills agreeing on a 16-byte window has a probability of 2^-128: a window left unwritten (still
        // zero in both) would show, at either end of the buffer.
        #expect(first.prefix(16) != second.prefix(16))
        #expect(first.suffix(16) != second.suffix(16))
    }
}
