import ArgumentParser
import Foundation
import Logging

/// Flags every long-running subcommand shares.
struct LoggingOptions: ParsableArguments {
    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    /// Installs logging and returns a logger for `label`.
    func makeLogger(_ label: String) -> Logger {
        // Long-running commands print progress that a supervisor or a test reads through a pipe:
        // flush every line instead of every 4 KiB.
        StandardOutput.makeLineBuffered()
        FleetLogging.bootstrap(level: logLevel)
        return Logger(label: label)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
