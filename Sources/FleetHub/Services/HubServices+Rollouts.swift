import FleetModel
import FleetStore
import Foundation
import RegistryModel

extension HubServices {
    /// One rollout by id or by name (the newest of that name: a plan re-run under the same name is the
    /// one people mean); 404 when neither matches.
    public func rollout(_ reference: String) async throws -> Rollout {
        do {
            return try await store.rollout(reference)
        } catch where error.code == .notFound {
            let named = try await storeCall { () async throws(StoreError) in try await store.rollout(named: reference) }
            guard let named else { throw HubError(.notFound, "no rollout has the id or name \"\(reference)\"") }
            return named
        } catch {
            throw HubError(error)
        }
    }
}
