import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// Pins the API-server-unreachable fault.
@Suite struct SimulatedClusterReachabilityTests {
    /// While unreachable every request fails as a transport error without a status and open watches break with it;
    /// once restored, requests work and a watch resumes from the last version it saw.
    @Test func unreachableAPIFailsRequestsAndBreaksWatches() async throws {
        let cluster = SimulatedCluster(name: "cut", clock: ManualWallClock(), options: SimulationOptions(seed: 3))
        let version = await cluster.resourceVersion
        let stream = try await cluster.watch(.namespaces, namespace: nil, options: WatchOptions(resourceVersion: version))
        await cluster.makeAPIUnreachable(reason: "connection refused")
        #expect(await !cluster.isAPIReachable)

        var broke: KubeError?
        do {
            for try await _ in stream {}
        } catch let error as KubeError {
            broke = error
        }
        #expect(broke?.code == .transport)
        do {
            _ = try await cluster.get(.namespaces, namespace: nil, name: "default")
            Issue.record("a request succeeded while the API server was unreachable")
        } catch let error as KubeError {
            #expect(error.code == .transport)
            #expect(error.status == 0)
            #expect(error.message == "cannot reach the API server: connection refused")
        }
        await #expect(throws: KubeError.self) { _ = try await cluster.watch(.namespaces, namespace: nil, options: WatchOptions()) }

        await cluster.restoreAPIReachability()
        _ = try await cluster.create(Namespace(metadata: ObjectMeta(name: "after")))
        let resumed = try await cluster.watch(.namespaces, namespace: nil, options: WatchOptions(resourceVersion: version))
        var names: [String] = []
        for try await event in resumed {
            names.append(event.object.metadata.name)
            if event.object.metadata.name == "after" { break }
        }
        #expect(names.last == "after")
    }
}
