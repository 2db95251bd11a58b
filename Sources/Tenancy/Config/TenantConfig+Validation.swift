extension TenantConfig {
    /// Bounds on configuration sizes, so a config can never grow without limit.
    public enum Bounds {
        /// Entries per allow-list.
        public static let maximumListEntries = 256
        /// Bytes per model or tool name.
        public static let maximumNameLength = 256
        /// Bytes per path pattern.
        public static let maximumPathPatternLength = 2_048
        /// Metadata entries.
        public static let maximumMetadataEntries = 64
        /// Bytes per metadata key.
        public static let maximumMetadataKeyLength = 128
        /// Bytes per metadata value.
        public static let maximumMetadataValueLength = 1_024
    }

    /// Checks every field and returns the config in canonical form: methods upper-cased, limits sorted by
    /// window.
    /// - Returns: The canonical config.
    /// - Throws: ``TenancyError`` with code ``TenancyError/Code/invalidConfiguration`` and one
    ///   ``TenancyError/FieldError`` per bad field, named by its JSON path.
    public func validated() throws(TenancyError) -> TenantConfig {
        var errors: [TenancyError.FieldError] = []
        func fail(_ field: String, _ message: String) {
            errors.append(.init(field: field, message: message))
        }

        var seenWindows: [QuotaWindow: Int] = [:]
        for (index, limit) in quota.limits.enumerated() {
            let path = "quota.limits[\(index)]"
            for dimension in QuotaDimension.allCases {
                let value = limit.limit(of: dimension)
                if value < 0 {
                    fail("\(path).\(dimension.rawValue)", "must be 0 (unlimited) or positive, got \(value)")
                } else if value > QuotaLimit.maximumValue {
                    fail("\(path).\(dimension.rawValue)", "must be at most \(QuotaLimit.maximumValue)")
                }
            }
            if let first = seenWindows[limit.window] {
                fail("\(path).window", "window '\(limit.window.rawValue)' is already limited by quota.limits[\(first)]")
            } else {
                seenWindows[limit.window] = index
            }
        }

        Self.checkNames(policy.allowedModels, field: "policy.allowed_models", fail)
        Self.checkNames(policy.allowedTools, field: "policy.allowed_tools", fail)
        var methods: [String] = []
        Self.checkList(policy.allowedMethods, field: "policy.allowed_methods", fail) { path, method in
            guard !method.isEmpty, method.utf8.count <= 32, method.utf8.allSatisfy(Self.isTokenByte) else {
                fail(path, "must be an HTTP method token such as GET")
                return
            }
            methods.append(method.uppercased())
        }
        Self.checkList(policy.allowedPaths, field: "policy.allowed_paths", fail) { path, pattern in
            Self.checkPathPattern(pattern, field: path, fail)
        }

        if metadata.count > Bounds.maximumMetadataEntries {
            fail("metadata", "has \(metadata.count) entries; at most \(Bounds.maximumMetadataEntries) are allowed")
        }
        var reportedBadKey = false
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty, key.utf8.count <= Bounds.maximumMetadataKeyLength,
                !key.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F })
            else {
                // Once, and without naming the key: it may hold the very control characters it is refused for.
                if !reportedBadKey {
                    let limit = Bounds.maximumMetadataKeyLength
                    fail("metadata", "keys must be 1-\(limit) bytes without control characters")
                    reportedBadKey = true
                }
                continue
            }
            if value.utf8.count > Bounds.maximumMetadataValueLength {
                fail("metadata.\(key)", "must be at most \(Bounds.maximumMetadataValueLength) bytes")
            }
        }
        if version < 0 {
            fail("version", "must not be negative")
        }

        guard errors.isEmpty else {
            let summary = errors.count == 1 ? "1 field is invalid" : "\(errors.count) fields are invalid"
            throw TenancyError(.invalidConfiguration, "tenant '\(id)': \(summary)", fieldErrors: errors)
        }
        var canonical = self
        canonical.policy.allowedMethods = methods
        canonical.quota.limits.sort { $0.window < $1.window }
        return canonical
    }

    private static func checkList(
        _ list: [String], field: String, _ fail: (String, String) -> Void, _ check: (String, String) -> Void
    ) {
        guard list.count <= Bounds.maximumListEntries else {
            fail(field, "has \(list.count) entries; at most \(Bounds.maximumListEntries) are allowed")
            return
        }
        for (index, entry) in list.enumerated() {
            check("\(field)[\(index)]", entry)
        }
    }

    /// Model and tool names: visible ASCII without commas, because repeated header fields are joined with
    /// commas and a name containing one could never be matched unambiguously.
    private static func checkNames(_ list: [String], field: String, _ fail: (String, String) -> Void) {
        checkList(list, field: field, fail) { path, name in
            guard !name.isEmpty, name.utf8.count <= Bounds.maximumNameLength,
                name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ",") })
            else {
                fail(path, "must be 1-\(Bounds.maximumNameLength) visible ASCII characters without spaces or commas")
                return
            }
        }
    }

    /// Path patterns are checked byte by byte: `Character`-level checks would let `*` or `?` hide under a
    /// combining mark.
    private static func checkPathPattern(_ pattern: String, field: String, _ fail: (String, String) -> Void) {
        let bytes = pattern.utf8
        guard bytes.count <= Bounds.maximumPathPatternLength else {
            fail(field, "must be at most \(Bounds.maximumPathPatternLength) bytes")
            return
        }
        guard bytes.first == UInt8(ascii: "/") else {
            fail(field, "must start with '/'")
            return
        }
        let isPrefix = bytes.last == UInt8(ascii: "*")
        let body = bytes.dropLast(isPrefix ? 1 : 0)
        guard !body.contains(UInt8(ascii: "*")) else {
            fail(field, "'*' is allowed only as the last character (a prefix pattern)")
            return
        }
        guard !body.contains(UInt8(ascii: "?")), !body.contains(UInt8(ascii: "#")) else {
            fail(field, "must not contain a query or fragment")
            return
        }
        // Patterns are matched against normalised paths, so a pattern that normalisation would change
        // could never match anything: say so instead of storing a dead rule.
        let normal = PathNormalizer.normalize(String(decoding: body, as: UTF8.self))
        guard let normal, normal.utf8.elementsEqual(body) else {
            let hint = normal.map { "; write '\($0)\(isPrefix ? "*" : "")'" } ?? ""
            let rules = "no '//', '.' or '..' segments, control characters, or '%' escapes other than %25, %3F and %23"
            fail(field, "is not a normalised path (\(rules))\(hint)")
            return
        }
    }

    /// RFC 9110 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
