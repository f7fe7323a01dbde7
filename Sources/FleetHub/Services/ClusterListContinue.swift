import Foundation

/// The opaque `continue` token of a paged `GET /v1/clusters`: where the last page ended and a fingerprint of the
/// selector it was for, as base64url JSON (short whatever the selector's length).
///
/// Like a Kubernetes continue token it is only meant to be handed back: clients must not build or read one. It
/// names the last cluster shown rather than an offset, so a cluster added or deleted between pages neither
/// repeats nor skips the others (the pages are keyed by name, which never changes). The selector is carried so a
/// token cannot silently continue a different query.
struct ClusterListContinue: Codable, Hashable, Sendable {
    /// Format version, for tokens issued by a later hub.
    var v: Int = 1
    /// The name of the last cluster of the previous page.
    var after: String
    /// FNV-1a of the list's `selector` query parameter as given ("" for none), in hex.
    var selector: String

    init(after: String, selector: String) {
        self.after = after
        self.selector = Self.fingerprint(selector)
    }

    /// A stable 64-bit FNV-1a hash: only equality matters, across hub restarts and replicas.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// The token text.
    func encoded() -> String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads `text` as issued for `selector`; 400 naming `continue` when it is not a token of this hub's or was
    /// issued for another selector.
    static func decode(_ text: String, selector: String) throws(HubError) -> ClusterListContinue {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 1024, let data = Data(base64Encoded: base64),
            let token = try? JSONDecoder().decode(ClusterListContinue.self, from: data), token.v == 1, !token.after.isEmpty
        else {
            throw HubError(.badRequest, "the continue token is not one this hub issued; start the list again without it", field: "continue")
        }
        guard token.selector == fingerprint(selector) else {
            throw HubError(.badRequest, "the continue token was issued for another selector; list with the same selector", field: "continue")
        }
        return token
    }
}
