/// Comparisons whose time does not depend on secret data: tokens, passwords, API keys.
package enum ConstantTime {
    /// Compares every byte of `expected` whatever `given` holds, so the time taken reveals neither where
    /// they first differ nor `given`'s length.
    /// - Parameters:
    ///   - given: What the client sent.
    ///   - expected: The secret.
    /// - Returns: Whether they are equal.
    package static func equals(_ given: some Collection<UInt8>, _ expected: some Collection<UInt8>) -> Bool {
        var difference: UInt8 = given.count == expected.count ? 0 : 1
        var givenIndex = given.startIndex
        for byte in expected {
            if givenIndex < given.endIndex {
                difference |= byte ^ given[givenIndex]
                givenIndex = given.index(after: givenIndex)
            } else {
                difference |= byte ^ ~byte
            }
        }
        return difference == 0
    }
}
