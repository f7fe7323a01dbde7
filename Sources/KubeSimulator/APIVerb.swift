/// A kind of client request, for counting requests and choosing which ones fail on purpose.
public enum APIVerb: String, Sendable, Hashable, CaseIterable {
    case get, list, watch, create, update, updateStatus, patch, delete

    /// The verbs that write: a reconcile with nothing to do makes none of these.
    public static let mutating: Set<APIVerb> = [.create, .update, .updateStatus, .patch, .delete]
}
