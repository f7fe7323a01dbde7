import Foundation
import Logging

/// Records log entries so a test can assert on levels and messages.
final class LogCapture: @unchecked Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: String
    }

    private let lock = NSLock()
    private var recorded: [Entry] = []

    var entries: [Entry] { lock.withLock { recorded } }

    func record(_ entry: Entry) { lock.withLock { recorded.append(entry) } }

    /// A logger at trace level writing into this capture.
    func logger(label: String = "test.capture") -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.record(Entry(level: event.level, message: "\(event.message)", metadata: all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")))
        }
    }
}
