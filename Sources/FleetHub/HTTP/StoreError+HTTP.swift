import FleetStore

extension HubError {
    /// The API's answer for a store failure. Token refusals are 401 (the credential is bad) except
    /// a token for another cluster, which is 403 (valid, but not for this).
    public init(_ error: StoreError) {
        switch error.code {
        case .notFound: self.init(.notFound, error.message, field: error.field)
        case .conflict, .alreadyExists, .tokenUsed: self.init(.conflict, error.message, field: error.field)
        case .tokenUnknown, .tokenExpired: self.init(.unauthenticated, error.message, field: "token")
        case .tokenWrongCluster: self.init(.forbidden, error.message, field: "cluster")
        case .closed: self.init(.unavailable, "the hub is shutting down")
        case .unavailable: self.init(.unavailable, "the hub's database is unavailable; retry shortly")
        default: self.init(.internalError, "storage failure")
        }
    }
}

/// Runs a store call, turning its error into the API's.
func storeCall<T: Sendable>(_ body: @Sendable () async throws(StoreError) -> T) async throws(HubError) -> T {
    do {
        return try await body()
    } catch {
        throw HubError(error)
    }
}
