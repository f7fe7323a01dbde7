import Foundation
import Logging
import PostgresNIO
import RegistryModel
import Synchronization

/// Holds one connection that `LISTEN`s on the store's channel and hands every notification —
/// from any replica, this one included — to the store as `StoreEvent`s.
///
/// When the connection is lost it reconnects with backoff; once listening again it delivers
/// `.resynchronize`, because whatever was committed meanwhile was not announced to this replica.
final class PostgresChangeListener: Sendable {
    private let settings: PostgresSettings
    private let channel: String
    private let logger: Logger
    private let handler: @Sendable (StoreEvent) -> Void
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(settings: PostgresSettings, channel: String, logger: Logger, handler: @escaping @Sendable (StoreEvent) -> Void) {
        self.settings = settings
        self.channel = channel
        self.logger = logger
        self.handler = handler
    }

    func start() {
        let runner = Task { [self] in await run() }
        task.withLock { $0 = runner }
    }

    func stop() async {
        let runner = task.withLock { $0 }
        runner?.cancel()
        await runner?.value
    }

    private func run() async {
        var failures = 0
        var connectionID = 0
        while !Task.isCancelled {
            connectionID += 1
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: connectionConfiguration(), id: connectionID, logger: logger)
                defer { Task { try? await connection.close() } }
                try await withTaskCancellationHandler {
                    try await connection.listen(on: channel) { notifications in
                        failures = 0
                        // Anything committed before LISTEN took effect was not announced to us.
                        handler(.resynchronize)
                        for try await notification in notifications {
                            for event in StoreEventCoding.decode(notification.payload) { handler(event) }
                        }
                    }
                } onCancel: {
                    Task { try? await connection.close() }
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                logger.warning(
                    "lost the database notification channel; reconnecting",
                    metadata: ["database": "\(settings)", "failures": "\(failures)", "error": "\(error)"])
            }
            if Task.isCancelled { return }
            let delay = Backoff.delay(attempt: max(1, failures), base: 0.2, cap: 5)
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        }
    }

    private func connectionConfiguration() -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.username, password: settings.password,
            database: settings.database, tls: .disable)
        if settings.tls != .disable {
            var tls = NIOSSL.TLSConfiguration.makeClientConfiguration()
            if settings.tls == .require { tls.certificateVerification = .none }
            if let context = try? NIOSSLContext(configuration: tls) { configuration.tls = .require(context) }
        }
        configuration.options.connectTimeout = .init(settings.operationTimeout)
        return configuration
    }
}
