import Foundation
import GRDB
import RegistryModel

extension SQLiteBackend {
    func rolloutCandidates() async throws(StoreError) -> [RolloutCandidate] {
        try await read("read rollout candidates") { db in
            try Row.fetchAll(db, sql: RolloutCandidate.selectSQL).map(RolloutCandidate.record)
        }
    }

    func clusters(named names: [String]) async throws(StoreError) -> [ClusterRecord] {
        let list = try Self.jsonArray(names)
        return try await read("read \(names.count) clusters") { db in
            try Row.fetchAll(
                db, sql: ClusterRecord.selectSQL + " WHERE c.deleted_at IS NULL AND c.name IN (SELECT value FROM json_each(?)) ORDER BY c.name",
                arguments: [list]
            ).map(ClusterRecord.record)
        }
    }
}
