import Foundation
import RegistryModel

/// A program run to its end from a test (headless Chromium, the schema checker), waited for on a thread of
/// its own so that the suite's cooperative threads keep serving the hub under test.
enum ChildProcess {
    /// What happens to the program's standard error.
    enum ErrorOutput: Sendable {
        /// Appended to the output (diagnostics worth showing when it fails).
        case merged
        /// Thrown away (a browser's chatter).
        case discarded
    }

    /// The program's exit status and its standard output (with standard error when `merged`).
    static func run(_ program: String, _ arguments: [String], standardError: ErrorOutput) async throws -> (status: Int32, output: Data) {
        try await BlockingCall.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            switch standardError {
            case .merged: process.standardError = output
            case .discarded: process.standardError = FileHandle.nullDevice
            }
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, data)
        }
    }
}
