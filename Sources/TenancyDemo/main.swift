import Foundation

#if canImport(Glibc)
import Glibc
#endif

// tenancy-demo: the multi-tenant SaaS example (see README). Exit status 0 after SIGINT/SIGTERM and a
// drain, 2 for a bad flag or a startup failure (a port in use, a database that cannot be opened).

// Line-buffered, so the address lines and every log line reach a pipe or file at once.
setvbuf(stdout, nil, _IOLBF, 0)

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tenancy-demo: \(message)\n".utf8))
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
    print(DemoOptions.usage)
    exit(0)
}

do {
    try await DemoApplication(options: options).run()
} catch let error as DemoApplication.StartupError {
    fail(error.description)
} catch {
    fail("\(error)")
}
