import KubeClient

/// The API-server-unreachable fault: the network between clients and the control plane is gone.
extension SimulatedCluster {
    /// Makes every client request fail as a refused or broken connection does (`KubeError` code `transport`,
    /// status 0, "cannot reach the API server: `reason`"), and breaks every open watch with that error. The
    /// simulated controllers keep running, as the control plane does when only the client's network is cut.
    public func makeAPIUnreachable(reason: String = "connection refused") {
        faults.unreachable = reason
        server.store.watches.finishAll(throwing: FaultInjection.unreachableError(reason))
    }

    /// Lets clients reach the API server again; watches must be opened anew (they resume from the last
    /// resourceVersion they saw, or re-list after 410).
    public func restoreAPIReachability() {
        faults.unreachable = nil
    }

    /// False while `makeAPIUnreachable` is in force.
    public var isAPIReachable: Bool { faults.unreachable == nil }
}
