/// Read-modify-write that survives concurrent writers.
extension KubernetesAPI {
    /// Reads a typed object, applies `change`, and replaces it; when another writer changed the
    /// object in between (409 Conflict on the stale resourceVersion) it reads the object afresh and
    /// applies `change` again, up to `maxAttempts` times, as client-go's `retry.RetryOnConflict`
    /// does. Makes no write when `change` leaves the object as it was.
    public func modify<T: KubeResource>(
        _ type: T.Type, namespace: String? = nil, name: String, maxAttempts: Int = 5, _ change: (inout T) async throws -> Void
    ) async throws -> T {
        var attempt = 1
        while true {
            let current = try await get(T.resourceType, namespace: namespace, name: name)
            var value = try current.decode(as: T.self)
            try await change(&value)
            var updated = try KubeObject(value)
            updated.metadata.resourceVersion = current.metadata.resourceVersion
            guard updated.tree != current.tree else { return value }
            do {
                return try await update(T.resourceType, updated).decode(as: T.self)
            } catch let error as KubeError where error.code == .conflict && attempt < maxAttempts {
                attempt += 1
            }
        }
    }
}
