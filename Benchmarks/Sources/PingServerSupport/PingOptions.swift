#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command line of both ping servers: `[--host H] [--port P]`, port 0 (the default) for an
/// ephemeral port. The servers print `listening http://HOST:PORT` once they accept connections, which
/// is what `scripts/load.sh` waits for.
public struct PingOptions: Sendable {
    /// The address to bind; `127.0.0.1` by default.
    public var host = "127.0.0.1"
    /// The port; 0 picks a free one.
    public var port = 0

    /// Parses `arguments` (without the program name), or prints the usage and exits 2.
    /// - Parameters:
    ///   - arguments: The arguments.
    ///   - program: The program's name, for the usage line.
    /// - Returns: The options.
    public static func parse(_ arguments: [String], program: String) -> PingOptions {
        var options = PingOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            switch (flag, rest.popFirst()) {
            case ("--host", let value?):
                options.host = value
            case ("--port", let value?):
                guard let port = Int(value), (0...65_535).contains(port) else { usage(program) }
                options.port = port
            default:
                usage(program)
            }
        }
        return options
    }

    /// The line the load script waits for.
    /// - Parameter address: `host:port` as bound.
    public static func announce(_ address: String) {
        write(line: "listening http://\(address)\n", to: STDOUT_FILENO)
    }

    private static func usage(_ program: String) -> Never {
        write(line: "usage: \(program) [--host 127.0.0.1] [--port 0]\n", to: STDERR_FILENO)
        exit(2)
    }

    /// One unbuffered `write`: stdout may be a pipe the load script reads while the server runs, and
    /// Swift 6 forbids touching C's global `FILE *` streams.
    private static func write(line: String, to descriptor: Int32) {
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
