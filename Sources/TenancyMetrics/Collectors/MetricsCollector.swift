/// Produces samples at scrape time, for values that live elsewhere (the process, a pool, a queue).
///
/// A collector declares its families up front in ``descriptors``; the registry validates and reserves
/// the names at ``MetricsRegistry/register(_:)``. At every scrape, ``collect()`` is called once (outside
/// any registry lock) and its samples are rendered under their families, sorted like any other series.
/// Samples for undeclared names, with the wrong number of label values, with a label value over the
/// registry's length bound, repeating a series already produced, or giving a counter a negative or NaN
/// value are dropped.
public protocol MetricsCollector: Sendable {
    /// The families this collector produces: counters and gauges.
    var descriptors: [MetricDescriptor] { get }

    /// The current samples.
    /// - Returns: Samples of the declared families, in any order.
    func collect() -> [CollectedSample]
}
