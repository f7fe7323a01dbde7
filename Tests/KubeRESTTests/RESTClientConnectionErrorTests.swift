import Foundation
import KubeClient
import KubeREST
import KubeSimulator
import KubeSimulatorServer
import RegistryModel
import Testing

/// The REST client's transport errors are one line naming the API server and the cause.
struct RESTClientConnectionErrorTests {
    /// An API server that went away: "cannot reach the API server: cannot connect to URL: connection refused".
    @Test func refusedConnectionIsOneLine() async throws {
        let server = try await LiveAPIServer.start(
            cluster: SimulatedCluster(name: "gone", clock: ManualWallClock()),
            configuration: SimulatedAPIServerConfiguration(tokens: [LiveAPIServer.adminToken: .admin()]))
        let configuration = server.kubeConfig()
        await server.stop()
        let components = URLComponents(url: configuration.server, resolvingAgainstBaseURL: false) ?? URLComponents()
        let origin = "\(components.scheme ?? "")://\(components.host ?? ""):\(components.port ?? 0)"
        try await withClient(configuration) { client in
            do {
                _ = try await client.get(.namespaces, namespace: nil, name: "default")
                Issue.record("a request reached a stopped API server")
            } catch let error as KubeError {
                #expect(error.code == .transport)
                #expect(error.message == "cannot reach the API server: cannot connect to \(origin): connection refused")
                #expect(!error.description.contains("errno"), "\(error)")
            }
        }
    }
}
