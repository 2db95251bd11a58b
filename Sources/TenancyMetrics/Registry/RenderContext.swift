/// State shared by the families of one scrape: what each collector produced, so a collector that owns
/// several families is called once per scrape.
struct RenderContext {
    private var collected: [ObjectIdentifier: [String: [CollectedSample]]] = [:]

    /// The samples `box`'s collector produced for `name`, collecting on first use in this scrape.
    mutating func samples(of box: CollectorBox, named name: String) -> [CollectedSample] {
        let key = ObjectIdentifier(box)
        if let byName = collected[key] { return byName[name] ?? [] }
        let byName = Dictionary(grouping: box.collector.collect(), by: \.name)
        collected[key] = byName
        return byName[name] ?? []
    }
}
