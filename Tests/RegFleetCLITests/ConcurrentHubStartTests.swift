import FleetStore
import Foundation
import Logging
import Testing

/// Several hubs started at the same moment on one new SQLite file.
@Suite(.serialized) struct ConcurrentHubStartTests {
    /// Three `regfleet hub` processes started together on one new database, several times over (the race is
    /// one of timing): none fails; the ones that lose the race for SQLite's write lock wait for the schema and
    /// come up too, and the schema is created exactly once.
    @Test func threeHubsOnOneNewDatabase() async throws {
        let directory = try temporaryDirectory("concurrent-hubs")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await RegFleetProcess.run(["pki", "init", "--dir", "pki", "--hub-san", "127.0.0.1"], in: directory).status == 0)
        for round in 0..<5 {
            try await startThree(database: "hub-\(round).sqlite", in: directory)
        }
    }

    /// Starts three hubs at once on the new file `database`, then stops them and checks the schema.
    private func startThree(database: String, in directory: URL) async throws {
        let arguments = ["hub", "--listen", "127.0.0.1:0", "--database", database, "--pki-dir", "pki", "--log-level", "error"]
        let hubs = try (0..<3).map { _ in try RegFleetProcess(arguments, in: directory) }

        let deadline = ContinuousClock.now + .seconds(60)
        while hubs.contains(where: { $0.process.isRunning && !$0.standardOutput.contains("hub listening on") }) {
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        var listening = 0
        for hub in hubs {
            if hub.process.isRunning, hub.standardOutput.contains("hub listening on") {
                listening += 1
                hub.signal(SIGTERM)
            }
            let status = try await hub.wait()
            // SIGTERM ends a listening hub with 0; a hub that gave up must say why in one line, not trap.
            #expect(hub.process.exitStatus?.signaled == false, "hub crashed: \(hub.standardError.suffix(2000))")
            #expect(status == 0 || !hub.standardError.isEmpty, "exit \(status) without a message")
            #expect(!hub.standardError.contains("Fatal error"), "\(hub.standardError.suffix(2000))")
            #expect(!hub.standardError.contains("already exists"), "\(hub.standardError.suffix(2000))")
        }
        #expect(listening == 3, "every hub should wait for the schema and come up")

        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = try FleetStore(path: directory.appendingPathComponent(database).path, logger: logger)
        #expect(try await store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6"])
        try await store.close()
    }
}
