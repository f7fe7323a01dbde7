import GRDB
import Synchronization

/// The revoked certificate serials, held in memory so that the check the hub makes on every
/// request is a set lookup, not a query.
///
/// The set is loaded when the store opens. A revocation made through this process is added right
/// after its transaction commits, so it is in the set from the moment `revoke…` returns; one
/// made by another replica arrives as a `StoreEvent` from the database's notification channel
/// within milliseconds of its commit, and the whole set is read again whenever that channel
/// reconnects (notifications may have been missed).
final class RevokedSerials: Sendable {
    private let serials: Mutex<Set<String>>

    /// Starts from the serials loaded at open.
    init(_ serials: Set<String>) {
        self.serials = Mutex(serials)
    }

    /// Every revoked serial in the file.
    static func load(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT serial FROM revoked_serials"))
    }

    /// True when `serial` is revoked.
    func contains(_ serial: String) -> Bool {
        serials.withLock { $0.contains(serial) }
    }

    /// Adds serials whose revocation just committed.
    func insert<S: Sequence<String>>(contentsOf newSerials: S) {
        serials.withLock { $0.formUnion(newSerials) }
    }

    /// How many serials are revoked.
    var count: Int { serials.withLock { $0.count } }
}
