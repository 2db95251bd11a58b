#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `tenancy-bench`: the swift-tenancy benchmark suite. See `docs/performance.md`.
@main
struct TenancyBench {
    static func main() async {
        let options: Options
        switch Options.parse(Array(CommandLine.arguments.dropFirst())) {
        case .success(let parsed):
            options = parsed
        case .failure(let error):
            if let message = error.message {
                printError("tenancy-bench: \(message)\n\(Options.usage)")
                exit(2)
            }
            print(Options.usage)
            return
        }
        if options.list {
            for group in BenchmarkRegistry.groups {
                let selected = group.benchmarks.filter { options.selects($0.name) }
                guard !selected.isEmpty else { continue }
                print("\(group.name):")
                for benchmark in selected {
                    print("  \(benchmark.name)  - \(benchmark.summary)")
                }
            }
            return
        }
        await Runner.run(options)
    }
}
