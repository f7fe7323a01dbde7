import Foundation
import Synchronization
import Testing

/// The `regfleet` executable run as a real child process, with its output captured.
final class RegFleetProcess: Sendable {
    /// The child (spawned without Foundation's `Process`: see `SpawnedChild`).
    let process: SpawnedChild
    let arguments: [String]
    private let output = OutputBuffer()
    private let errors = OutputBuffer()

    /// The built binary next to the test bundle (or $REGFLEET_BINARY).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["REGFLEET_BINARY"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("regfleet")
    }

    /// Starts `regfleet ARGS` in `directory`; `input`, when given, is its whole standard input.
    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:], input: String? = nil) throws {
        self.arguments = arguments
        // A config file of the test's own: never the user's contexts.
        let isolated = ["REGFLEET_CONFIG": directory.appendingPathComponent("regfleet-config.yaml").path]
        process = try SpawnedChild(
            executable: Self.binary.path, arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(isolated) { $1 }.merging(environment) { $1 }, directory: directory.path,
            withInput: input != nil)
        process.standardOutput.readabilityHandler = { [output] handle in
            output.append(handle.availableData)
        }
        process.standardError.readabilityHandler = { [errors] handle in
            errors.append(handle.availableData)
        }
        if let stdin = process.standardInput, let input {
            stdin.write(Data(input.utf8))
            try stdin.close()
        }
    }

    var standardOutput: String { output.text }
    var standardError: String { errors.text }

    /// Waits for the exit (with a deadline) and returns the status.
    @discardableResult
    func wait(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.signal(SIGTERM)
                Issue.record("regfleet \(arguments) did not exit within \(timeout)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.standardOutput.readabilityHandler = nil
        process.standardError.readabilityHandler = nil
        let restOut = process.standardOutput.readDataToEndOfFile()
        let restErr = process.standardError.readDataToEndOfFile()
        output.append(restOut)
        errors.append(restErr)
        return process.exitStatus?.code ?? -1
    }

    /// Sends a signal (SIGKILL for a crash, SIGTERM for a graceful stop); nothing once the process has exited.
    func signal(_ number: Int32) {
        process.signal(number)
    }

    /// Waits until standard output contains `text`.
    func waitForOutput(_ text: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !standardOutput.contains(text) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                Issue.record("no \"\(text)\" in output; stdout: \(standardOutput) stderr: \(standardError.suffix(2000))")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Runs a command to completion; returns status, stdout, stderr.
    static func run(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], input: String? = nil
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let process = try RegFleetProcess(arguments, in: directory, environment: environment, input: input)
        let status = try await process.wait()
        return (status, process.standardOutput, process.standardError)
    }
}

extension RegFleetProcess {
    /// `regfleet hub` on loopback in `directory` (PKI in `pki/`, SQLite `hub.sqlite`), once it
    /// says it listens; returns it with the bound port.
    static func startHub(in directory: URL, port: Int = 0, database: String = "hub.sqlite", extra: [String] = []) async throws -> (hub: RegFleetProcess, port: Int) {
        let hub = try RegFleetProcess(
            ["hub", "--listen", "127.0.0.1:\(port)", "--database", database, "--pki-dir", "pki", "--log-level", "error"] + extra, in: directory)
        try await hub.waitForOutput("hub listening on")
        let line = try #require(hub.standardOutput.range(of: "hub listening on https://").map { hub.standardOutput[$0.upperBound...] })
        let bound = try #require(line.split(separator: ":", maxSplits: 1).last.flatMap { Int($0.prefix { $0.isNumber }) })
        return (hub, bound)
    }
}

/// A fresh temporary directory.
func temporaryDirectory(_ prefix: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Bytes a child process wrote, appended from the pipe's handler thread.
final class OutputBuffer: Sendable {
    private let data = Mutex(Data())

    func append(_ chunk: Data) { data.withLock { $0.append(chunk) } }

    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
}
