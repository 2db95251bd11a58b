/// One family of a registered ``MetricsCollector``, rendered from what the collector returns at scrape time.
final class CollectorFamily: RegisteredFamily {
    let descriptor: FamilyDescriptor
    let box: CollectorBox
    private let maximumValueBytes: Int
    private let nameBytes: [UInt8]
    private let header: [UInt8]

    init(descriptor: FamilyDescriptor, box: CollectorBox, maximumValueBytes: Int) {
        self.descriptor = descriptor
        self.box = box
        self.maximumValueBytes = maximumValueBytes
        nameBytes = Array(descriptor.name.utf8)
        header = ExpositionFormat.header(name: descriptor.name, help: descriptor.help, type: descriptor.type)
    }

    /// Collected samples carry no bounded label: nothing to do.
    func accumulateActivity() {}

    /// Collected samples carry no bounded label: nothing to do.
    func removeSeries(carrying values: Set<ObjectIdentifier>) {}

    func render(into buffer: inout [UInt8], context: inout RenderContext) {
        var seen = Set<LabelValues>()
        let samples = context.samples(of: box, named: descriptor.name).filter { sample in
            sample.labelValues.count == descriptor.labelNames.count
                && sample.labelValues.allSatisfy { $0.utf8.count <= maximumValueBytes }
                && (descriptor.type != .counter || sample.value >= 0)
                && seen.insert(LabelValues(sample.labelValues)).inserted
        }
        guard !samples.isEmpty else { return }
        buffer.append(contentsOf: header)
        for sample in samples.sorted(by: { LabelValues.precedes($0.labelValues, $1.labelValues) }) {
            let pairs = ExpositionFormat.labelPairs(names: descriptor.labelNames, values: sample.labelValues)
            FamilyCore<Counter>.appendSeriesStart(name: nameBytes, pairs: pairs, to: &buffer)
            ExpositionFormat.appendValue(sample.value, to: &buffer)
            buffer.append(UInt8(ascii: "\n"))
        }
    }
}
