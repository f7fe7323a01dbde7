import ArgumentParser
import FleetStore
import Foundation

/// `regfleet hub backup`: a consistent copy of a SQLite hub database, safe while the hub runs.
struct HubBackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the hub's SQLite database to a new file with SQLite's online backup (safe while the hub runs).",
        discussion: """
            To restore: stop the hub, move the backup into place as its --database file (remove any -wal and -shm files beside the \
            old one), start the hub. Agents resume from their own state; reports sent after the backup are sent again from their \
            queues only if they were not yet acknowledged, so restore the newest backup. PostgreSQL deployments use pg_dump or \
            point-in-time recovery instead (docs/high-availability.md).
            """
    )

    @Argument(help: "The hub's SQLite database file (default regfleet-hub.sqlite; env REGFLEET_DATABASE).")
    var database: String?

    @Option(name: .long, help: "The backup file to create; it must not exist.")
    var to: String

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let location = try DatabaseOption.location(flag: database, passwordFile: nil, default: "regfleet-hub.sqlite")
        guard case .sqlite(let path) = location else {
            throw ValidationError("backup copies a SQLite file; back up PostgreSQL with pg_dump (see docs/high-availability.md)")
        }
        guard FileManager.default.fileExists(atPath: path) else { throw ValidationError("\(path) does not exist; name the hub's database file") }
        guard !FileManager.default.fileExists(atPath: to) else { throw ValidationError("--to: \(to) exists; choose a new file") }
        let store = try FleetStore(path: path, logger: logging.makeLogger("backup"))
        do {
            try await store.backup(to: to)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: to)[.size] as? Int) ?? 0
        print("backed up \(path) to \(to) (\(size) bytes)")
    }
}
