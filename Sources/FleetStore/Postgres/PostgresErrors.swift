import PostgresNIO

/// Turns PostgresNIO's errors into the store's: an unreachable or lost server, a server shutting
/// down, a timeout or a serialization conflict are `unavailable` (retry later, answered 503);
/// anything else is `database`. Messages carry the server's own sentence, never the SQL.
enum PostgresErrors {
    static func storeError(_ operation: String, _ error: any Error, cluster: String?) -> StoreError {
        if error is DeadlineExceeded || error is CancellationError {
            return StoreError.unavailable(operation, error, cluster: cluster)
        }
        guard let error = error as? PSQLError else { return StoreError.database(operation, error, cluster: cluster) }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "server error"
            // 08: connection exception; 57P0x: shutting down / cannot connect now; 40001/40P01:
            // serialization failure or deadlock, which a retry resolves; 53: out of resources.
            if state.hasPrefix("08") || state.hasPrefix("57P") || state == "40001" || state == "40P01" || state.hasPrefix("53") {
                return StoreError.unavailable(operation, DatabaseMessage("\(message) (SQLSTATE \(state))"), cluster: cluster)
            }
            return StoreError.database(operation, DatabaseMessage("\(message) (SQLSTATE \(state))"), cluster: cluster)
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed, .sslUnsupported,
            .failedToAddSSLHandler, .queryCancelled:
            return StoreError.unavailable(operation, DatabaseMessage("\(error.code)"), cluster: cluster)
        default:
            return StoreError.database(operation, DatabaseMessage("\(error.code)"), cluster: cluster)
        }
    }
}

/// The server's own sentence for a failure, as the underlying error of a `StoreError`.
struct DatabaseMessage: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
