import Foundation

/// The rule both backends apply to revoking a token by its id: it must name exactly one token, and one that
/// has not enrolled anything (a used token can do nothing more; its cluster is deleted instead).
enum BootstrapTokenRevocation {
    static func check(_ matches: [BootstrapTokenRecord], id: String) throws(StoreError) -> BootstrapTokenRecord {
        guard matches.count == 1, let record = matches.first else {
            if matches.isEmpty { throw StoreError(code: .notFound, message: "no bootstrap token has the id \"\(id)\"", field: "id") }
            throw StoreError(code: .conflict, message: "the id \"\(id)\" names \(matches.count) tokens; nothing was revoked", field: "id")
        }
        if record.usedAt != nil {
            throw StoreError(
                code: .conflict, message: "token \(id) already enrolled cluster \"\(record.cluster)\"; delete the cluster to cut it off", cluster: record.cluster,
                field: "id")
        }
        return record
    }
}
