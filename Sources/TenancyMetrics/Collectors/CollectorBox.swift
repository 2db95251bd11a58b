/// A registered collector, boxed so a scrape can remember what it produced by identity.
final class CollectorBox: Sendable {
    let collector: any MetricsCollector

    init(_ collector: any MetricsCollector) {
        self.collector = collector
    }
}
