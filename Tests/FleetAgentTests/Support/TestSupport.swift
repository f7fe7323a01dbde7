import Foundation
import Logging
import Testing

/// A fresh, unique directory path (not yet created) under the temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let root: String

    init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("fleetagent-\(UUID().uuidString)").path
    }

    /// A path inside the directory.
    func path(_ name: String) -> String { root + "/" + name }

    /// Deletes everything below the root.
    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// Runs `body` with a temporary directory that is removed afterwards.
func withTemporaryDirectory<T>(_ body: (TemporaryDirectory) async throws -> T) async rethrows -> T {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    return try await body(directory)
}

/// A condition that did not hold before its deadline.
struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Polls `condition` every 20 ms until it holds; throws `TimedOut` after `timeout` seconds.
func waitUntil(
    _ what: String, timeout: TimeInterval = 30, _ condition: () async throws -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try await condition() { return }
        guard Date() < deadline else { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// The permission bits of `path`, e.g. `0o600`.
func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// File descriptors of this process that point below `directory` (Linux `/proc/self/fd`).
func openFiles(under directory: String) -> [String] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    return entries.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)") }
        .filter { $0.hasPrefix(directory) }
}

/// A logger that drops everything, so test output stays readable.
let quietLogger = Logger(label: "fleet-agent-tests") { _ in SwiftLogNoOpLogHandler() }
