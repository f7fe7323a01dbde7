import Foundation

/// A `regfleet` subcommand run as a child process of the benchmark, its output in files, stopped with SIGTERM
/// (the commands trap it and shut down cleanly) and killed only if it does not exit in time.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; the benchmark's one task starts, samples and stops it.
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    /// Starts `executable arguments`, with stdout and stderr to `logPrefix.out` / `logPrefix.err`.
    init(executable: String, arguments: [String], logPrefix: String) throws {
        stdoutPath = logPrefix + ".out"
        stderrPath = logPrefix + ".err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// The first stdout line containing `marker`, waiting up to `timeout`; throws when the process exits first.
    func waitForLine(containing marker: String, timeout: Duration) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains(marker) }) { return String(line) }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let errors = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        throw FleetBenchmarkError("\(process.executableURL?.lastPathComponent ?? "child") \(process.arguments?.prefix(2).joined(separator: " ") ?? "") did not print \"\(marker)\": \(errors.suffix(2000))")
    }

    /// SIGTERM, then SIGKILL when it has not exited within `grace`.
    func stop(grace: Duration = .seconds(20)) async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { kill(pid, SIGKILL) }
    }
}

/// A benchmark step that could not be done, with what went wrong.
public struct FleetBenchmarkError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
