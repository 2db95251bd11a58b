import Foundation

#if canImport(Glibc)
import Glibc
#endif

// tenancy-demo: the multi-tenant SaaS example (see README). Exit status 0 after SIGINT/SIGTERM and a
// drain, 2 for a bad flag or a startup failure (a port in use, a database that cannot be opened).

// SIGINT and SIGTERM start a drain instead of killing the process.
TerminationSignal.install()

func fail(_ message: String) -> Never {
    Console.error("tenancy-demo: \(message)")
    exit(2)
}

let options: DemoOptions
do {
    options = try DemoOptions.parse(
        arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
} catch {
    fail("\(error.description)\n\(DemoOptions.usage)")
}
if options.help {
    Console.line(DemoOptions.usage)
    exit(0)
}

do {
    try await DemoApplication(options: options).run()
} catch let error as DemoApplication.StartupError {
    fail(error.description)
} catch {
    fail("\(error)")
}
