import Foundation

/// The opaque `continue` token of a paginated list: the list's resourceVersion and the key of
/// the last item returned, base64-encoded so clients treat it as opaque.
struct ContinueToken: Hashable, Sendable {
    /// The resourceVersion of the first page, reported by every later page.
    var revision: UInt64
    /// The last key returned; the next page starts after it.
    var after: ObjectKey

    /// A token for the page after `after`.
    init(revision: UInt64, after: ObjectKey) {
        self.revision = revision
        self.after = after
    }

    /// Parses a token from a client; nil when it is not one of ours.
    init?(encoded: String) {
        guard let data = Data(base64Encoded: encoded) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "v1", let revision = UInt64(parts[1]) else { return nil }
        self.revision = revision
        after = ObjectKey(namespace: parts[2], name: parts[3])
    }

    /// The token as sent to clients.
    var encoded: String {
        Data("v1\n\(revision)\n\(after.namespace)\n\(after.name)".utf8).base64EncodedString()
    }
}
