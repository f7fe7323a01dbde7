import FleetAgent
import FleetClient
import FleetModel
import FleetPKI
import FleetStore
import Foundation
import KubeSimulator
import Logging
import RegistryModel
import Testing

@Suite(.serialized) struct RolloutCrashTests {
    /// A hub process killed with SIGKILL in the middle of a rollout resumes it after a restart,
    /// completes it with real agents on simulated clusters, and writes no finished cluster twice.
    @Test func rolloutSurvivesKill9() async throws {
        let directory = try temporaryDirectory("rollout-crash")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await RegFleetProcess.run(["pki", "init", "--dir", "pki", "--hub-san", "127.0.0.1"], in: directory).status == 0)
        func startHub(port: Int) async throws -> (RegFleetProcess, Int) { try await RegFleetProcess.startHub(in: directory, port: port) }
        var (hub, port) = try await startHub(port: try LoopbackPort.restartable())
        let baseURL = "https://127.0.0.1:\(port)"
        let pki = PKIDirectory(path: directory.appendingPathComponent("pki").path)
        let adminCredential = try pki.loadAdminCredential(name: "admin")
        let caPEM = try pki.loadCACertificatePEM()
        let caFile = directory.appendingPathComponent("pki/ca.crt").path
        let admin = HubAdminClient(
            connection: try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: adminCredential.certificatePEM, clientKeyPEM: adminCredential.privateKeyPEM))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var agents: [(FleetAgent, Task<Void, Never>, SimulatedCluster)] = []
        for index in 1...6 {
            let name = "crash-\(index)"
            let token = try await admin.createToken(TokenRequest(cluster: name))
            let cluster = SimulatedCluster(name: name, options: SimulationOptions(podReadyDelay: .milliseconds(500)))
            await cluster.startControllers()
            var configuration = AgentConfiguration(
                hubURL: baseURL, cluster: name, caFile: caFile, stateDirectory: directory.appendingPathComponent("agents/\(name)").path,
                bootstrapToken: token.token)
            configuration.reportInterval = 1
            configuration.retryMaxDelay = 1
            configuration.longPollTimeout = 10
            let agent = FleetAgent(configuration: configuration, kubernetes: cluster, logger: logger)
            agents.append((agent, Task { try? await agent.run() }, cluster))
        }
        defer {
            for (agent, task, _) in agents {
                agent.stop()
                task.cancel()
            }
        }
        try await waitUntil(timeout: .seconds(120)) {
            let clusters = try await admin.clusters()
            return clusters.count == 6 && clusters.allSatisfy { $0.health.state == .healthy }
        }
        let rollout = try await admin.createRollout(
            RolloutPlan(
                name: "crash", selector: RolloutPlan.allClusters, change: FleetPolicy(registry: RegistryPolicy(replicas: 2)),
                strategy: RolloutStrategy(canary: CanarySpec(count: 1), maxConcurrency: .count(2), soakSeconds: 2, progressDeadlineSeconds: 120)))
        #expect(rollout.waves == ["canary", "wave-1", "wave-2", "wave-3"])
        try await waitUntil(timeout: .seconds(120)) {
            let current = try await admin.rollout(rollout.id)
            return current.clusters(inWave: 1).allSatisfy { $0.state == .succeeded }
        }
        hub.signal(SIGKILL)
        _ = try await hub.wait()
        await admin.connection.shutdown()

        (hub, port) = try await startHub(port: port)
        let restartedAdmin = HubAdminClient(
            connection: try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: adminCredential.certificatePEM, clientKeyPEM: adminCredential.privateKeyPEM))
        var finished = rollout
        try await waitUntil(timeout: .seconds(180)) {
            finished = try await restartedAdmin.rollout(rollout.id)
            return !finished.phase.isActive
        }
        #expect(finished.phase == .succeeded, "\(finished.message ?? "")")
        let writes = try await restartedAdmin.audit(limit: 1000, actor: "rollout/\(rollout.id)").filter { $0.action == "policy.update" }
        for index in 1...6 {
            #expect(writes.filter { $0.target == "crash-\(index)" }.count == 1, "crash-\(index)")
        }
        for (_, _, cluster) in agents {
            #expect(try await cluster.get(Config.self, name: RegistryNames.singleton).spec.replicas == 2)
        }
        await restartedAdmin.connection.shutdown()
        for (agent, task, cluster) in agents {
            agent.stop()
            await task.value
            await cluster.stopControllers()
        }
        hub.signal(SIGTERM)
        #expect(try await hub.wait() == 0)
    }
}
