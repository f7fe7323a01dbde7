import KubeClient
import RegistryModel

/// What one watch asked for: a namespace (nil for all), a label selector and a single name.
struct WatchFilter: Sendable {
    /// Only this namespace; nil for all.
    var namespace: String?
    /// Only objects whose labels match.
    var labelSelector: LabelSelector?
    /// Only the object with this name.
    var name: String?

    /// True when the object is in scope of this watch.
    func matches(_ object: KubeObject) -> Bool {
        if let namespace, (object.metadata.namespace ?? "") != namespace { return false }
        if let name, object.metadata.name != name { return false }
        if let labelSelector, !labelSelector.matches(object.labels) { return false }
        return true
    }

    /// The event this watch receives for a stored change, if any. A modification that moves an
    /// object into the selector arrives as ADDED and one that moves it out as DELETED, as from a
    /// real API server.
    func delivery(of event: StoredEvent) -> WatchEvent? {
        let matchesNow = matches(event.object)
        switch event.type {
        case .modified:
            let matchedBefore = event.previous.map(matches) ?? matchesNow
            switch (matchedBefore, matchesNow) {
            case (true, true): return WatchEvent(type: .modified, object: event.object)
            case (false, true): return WatchEvent(type: .added, object: event.object)
            case (true, false): return WatchEvent(type: .deleted, object: event.object)
            case (false, false): return nil
            }
        default:
            return matchesNow ? WatchEvent(type: event.type, object: event.object) : nil
        }
    }
}
