import Synchronization

/// Which certificate each renewal replaced, until the agent proves it holds the new one.
///
/// Revoking the old certificate at renewal would strand an agent whose renewal answer was lost
/// (it still holds only the old one). Never revoking it would leave two valid certificates per
/// renewal until expiry. So the old certificate — and any other certificate renewed from it that
/// was never used — is revoked the first time the new one authenticates a request. The ledger
/// lives in memory: after a hub restart, a pending old certificate stays valid until it expires.
final class RenewalLedger: Sendable {
    /// New serial → the serial it replaces.
    private let replaced = Mutex<[String: String]>([:])

    func recordRenewal(new: String, replacing old: String) {
        replaced.withLock { $0[new] = old }
    }

    /// Called for every agent request: when `serial` is a renewed certificate used for the first
    /// time, returns the serials that are now superseded (the old one and its other unused
    /// renewals) and forgets them; otherwise empty.
    func firstUse(of serial: String) -> [String] {
        replaced.withLock { replaced in
            guard let old = replaced.removeValue(forKey: serial) else { return [] }
            let siblings = replaced.filter { $0.value == old }.map(\.key)
            for sibling in siblings { replaced.removeValue(forKey: sibling) }
            return [old] + siblings.sorted()
        }
    }
}
