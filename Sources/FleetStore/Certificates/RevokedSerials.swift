import GRDB
import Synchronization

/// The revoked certificate serials, held in memory so that the check the hub makes on every
/// request is a set lookup, not a query.
///
/// Safe because exactly one hub process writes the file: the set is loaded when the store opens,
/// and every revocation goes through this store, which adds the serials right after its
/// transaction commits. A serial is therefore in the set from the moment `revoke…` returns; the
/// only window is inside that call, before it has been acknowledged to anyone.
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
