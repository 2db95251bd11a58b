/// The demo's settings: each flag of DESIGN.md, also read from its `TENANCY_*` environment variable.
///
/// A flag on the command line wins over the environment, which wins over the default. Both `--port 8080`
/// and `--port=8080` are accepted. Every mistake names the flag (or variable) it concerns, so that
/// `main` can print it and exit with status 2.
struct DemoOptions: Equatable {
    /// The address the API listens on.
    var host = "127.0.0.1"
    /// The API port; 0 picks a free one.
    var port = 8080
    /// The address the `/metrics` listener listens on.
    var metricsHost = "127.0.0.1"
    /// The `/metrics` port; 0 picks a free one.
    var metricsPort = 9464
    /// The SQLite file holding tenants and resources.
    var database = "./tenancy-demo.sqlite"
    /// The admin API's bearer token; `nil` means generate one and print it once.
    var adminToken: String?
    /// `--help` was asked for.
    var help = false

    /// A flag or variable the demo cannot use.
    struct Failure: Error, Equatable, CustomStringConvertible {
        /// What is wrong, naming the flag.
        var description: String
    }

    /// One flag: its name, its environment variable and how it stores its value.
    private struct Flag: Sendable {
        let name: String
        let apply: @Sendable (inout DemoOptions, String) throws(Failure) -> Void

        var variable: String {
            "TENANCY_" + String(name.dropFirst(2).uppercased().map { $0 == "-" ? "_" : $0 })
        }
    }

    private static let flags: [Flag] = [
        Flag(name: "--host") { options, value throws(Failure) in options.host = try address(value, "--host") },
        Flag(name: "--port") { options, value throws(Failure) in options.port = try port(value, "--port") },
        Flag(name: "--metrics-host") { options, value throws(Failure) in
            options.metricsHost = try address(value, "--metrics-host")
        },
        Flag(name: "--metrics-port") { options, value throws(Failure) in
            options.metricsPort = try port(value, "--metrics-port")
        },
        Flag(name: "--database") { options, value throws(Failure) in
            guard !value.isEmpty else { throw Failure(description: "--database: the path is empty") }
            options.database = value
        },
        Flag(name: "--admin-token") { options, value throws(Failure) in
            // A short token would be guessable; an odd byte would break the Authorization header.
            guard value.utf8.count >= 16, value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw Failure(description: "--admin-token: use at least 16 visible ASCII characters")
            }
            options.adminToken = value
        },
    ]

    /// The usage text printed for `--help`.
    static var usage: String {
        """
        usage: tenancy-demo [--host ADDRESS] [--port N] [--metrics-host ADDRESS] [--metrics-port N]
                            [--database PATH] [--admin-token TOKEN]

          --host          API address (TENANCY_HOST, default 127.0.0.1)
          --port          API port, 0 = any free port (TENANCY_PORT, default 8080)
          --metrics-host  /metrics address (TENANCY_METRICS_HOST, default 127.0.0.1)
          --metrics-port  /metrics port, 0 = any free port (TENANCY_METRICS_PORT, default 9464)
          --database      SQLite file (TENANCY_DATABASE, default ./tenancy-demo.sqlite)
          --admin-token   admin bearer token (TENANCY_ADMIN_TOKEN, generated and printed when unset)
        """
    }

    /// Reads the environment, then the arguments (without the program name).
    /// - Throws: ``Failure`` naming the flag or variable that is unknown, lacks a value or holds a bad one.
    static func parse(arguments: [String], environment: [String: String]) throws(Failure) -> DemoOptions {
        var options = DemoOptions()
        for flag in flags {
            guard let value = environment[flag.variable] else { continue }
            do throws(Failure) {
                try flag.apply(&options, value)
            } catch {
                throw Failure(description: "\(flag.variable) (\(error.description))")
            }
        }
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--help" || argument == "-h" {
                options.help = true
                continue
            }
            let (name, inline) = split(argument)
            guard let flag = flags.first(where: { $0.name == name }) else {
                throw Failure(description: "\(name): unknown flag (see --help)")
            }
            guard let value = inline ?? remaining.popFirst() else {
                throw Failure(description: "\(name): a value is required")
            }
            try flag.apply(&options, value)
        }
        return options
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func port(_ value: String, _ flag: String) throws(Failure) -> Int {
        guard let port = Int(value), (0...65_535).contains(port) else {
            throw Failure(description: "\(flag): '\(value)' is not a port (0-65535)")
        }
        return port
    }

    private static func address(_ value: String, _ flag: String) throws(Failure) -> String {
        guard !value.isEmpty else { throw Failure(description: "\(flag): the address is empty") }
        return value
    }
}
