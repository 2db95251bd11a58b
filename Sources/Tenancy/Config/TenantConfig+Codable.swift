/// The snake_case JSON of the admin API (see DESIGN.md). Missing optional fields take their defaults, so a
/// client can create a tenant with `{"id": "acme"}`.
extension TenantConfig: Codable {
    enum CodingKeys: String, CodingKey {
        case id, status, quota, policy, metadata, version
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Decodes a config; `id` is required, everything else defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(TenantID.self, forKey: .id),
            status: try container.decodeIfPresent(TenantStatus.self, forKey: .status) ?? .active,
            quota: try container.decodeIfPresent(QuotaConfig.self, forKey: .quota) ?? .unlimited,
            policy: try container.decodeIfPresent(PolicyConfig.self, forKey: .policy) ?? .allowAll,
            metadata: try container.decodeIfPresent([String: String].self, forKey: .metadata) ?? [:])
        version = try container.decodeIfPresent(Int64.self, forKey: .version) ?? 0
        createdAt = try container.decodeIfPresent(Timestamp.self, forKey: .createdAt) ?? createdAt
        updatedAt = try container.decodeIfPresent(Timestamp.self, forKey: .updatedAt) ?? updatedAt
    }

    /// Encodes every field.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(status, forKey: .status)
        try container.encode(quota, forKey: .quota)
        try container.encode(policy, forKey: .policy)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(version, forKey: .version)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
