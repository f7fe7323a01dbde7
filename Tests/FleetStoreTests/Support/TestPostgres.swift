import FleetStore
import Foundation
import Synchronization

/// One PostgreSQL server for the whole test process, started on first use (each test then
/// creates its own database) and stopped when the process exits. Without fsync: the store tests
/// check logic, and the rest of the suite shares the disk.
enum TestPostgres {
    private static let server = Task { () async throws -> LocalPostgresServer in
        let server = try await LocalPostgresServer.start(durable: false)
        startedServer.withLock { $0 = server }
        atexit { startedServer.withLock { $0 }?.removeNow() }
        return server
    }

    /// The shared server.
    static func shared() async throws -> LocalPostgresServer {
        try await server.value
    }
}

private let startedServer = Mutex<LocalPostgresServer?>(nil)
