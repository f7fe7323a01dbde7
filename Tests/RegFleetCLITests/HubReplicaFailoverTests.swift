import FleetAgent
import FleetClient
import FleetModel
import FleetStore
import Foundation
import KubeSimulator
import Logging
import RegistryModel
import Testing

/// Real agents given every replica's URL, against three `regfleet hub` processes on one PostgreSQL:
/// a replica killed with SIGKILL loses neither its agents nor the rollout it was running.
@Suite(.serialized) struct HubReplicaFailoverTests {
    /// The agents all start on replica 0; it is killed while they hold long polls on it, a change is
    /// made on replica 1 meanwhile, and every agent reaches another replica and applies it. Every
    /// report acknowledged before the kill is in the database.
    @Test func agentsFailOverWhenTheirReplicaDies() async throws {
        try await withSwarm(count: 4, prefix: "lp", order: [0, 1, 2]) { fleet, swarm in
            let before = await swarm.statuses()
            #expect(before.allSatisfy { $0.hub == fleet.url(0) }, "every agent starts on replica 0")
            let acknowledged = zip(swarm.agents.map(\.name), before.map(\.lastAckedSequence))

            fleet.hubs[0].signal(SIGKILL)
            _ = try await fleet.hubs[0].wait()
            let killedAt = ContinuousClock.now
            let admin = try fleet.adminClient(1)
            defer { Task { await admin.connection.shutdown() } }
            for member in swarm.agents {
                _ = try await admin.putPolicy(member.name, PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 3))))
            }
            try await waitUntil(timeout: .seconds(60)) {
                for member in swarm.agents where try await member.cluster.get(Config.self, name: RegistryNames.singleton).spec.replicas != 3 {
                    return false
                }
                return true
            }
            print("agents failed over and applied a change made meanwhile: \(ContinuousClock.now - killedAt)")
            #expect(await swarm.statuses().allSatisfy { $0.hub != fleet.url(0) }, "every agent left the dead replica")

            let store = try await FleetStore.open(.postgres(fleet.server.settings(database: "fleet")))
            for (name, sequence) in acknowledged {
                let sequence = try #require(sequence, "\(name) had a report acknowledged before the kill")
                let stored = try await store.reportHistory(cluster: name, limit: 1000).map(\.sequence)
                #expect(stored.contains(sequence), "\(name): acknowledged report \(sequence) is stored")
            }
            try await store.close()
        }
    }

    /// The replica holding the rollout engine's lease is killed after the canary; another replica
    /// takes the lease, completes the rollout, and writes each cluster's policy exactly once.
    @Test func rolloutCompletesAfterItsReplicaDies() async throws {
        try await withSwarm(count: 5, prefix: "ro", order: [2, 1, 0]) { fleet, swarm in
            let store = try await FleetStore.open(.postgres(fleet.server.settings(database: "fleet")))
            let (holder, leader) = try await fleet.engineLeader(store)
            let survivor = (0..<3).first { $0 != leader }!
            let admin = try fleet.adminClient(survivor)
            defer { Task { await admin.connection.shutdown() } }
            let rollout = try await admin.createRollout(
                RolloutPlan(
                    name: "ha-crash", selector: RolloutPlan.allClusters, change: FleetPolicy(registry: RegistryPolicy(replicas: 2)),
                    strategy: RolloutStrategy(canary: CanarySpec(count: 1), maxConcurrency: .count(2), soakSeconds: 2, progressDeadlineSeconds: 120)))
            try await waitUntil(timeout: .seconds(60)) {
                try await admin.rollout(rollout.id).clusters(inWave: 0).allSatisfy { $0.state == .succeeded }
            }
            fleet.hubs[leader].signal(SIGKILL)
            _ = try await fleet.hubs[leader].wait()
            let killedAt = ContinuousClock.now

            var finished = rollout
            try await waitUntil(timeout: .seconds(120)) {
                finished = try await admin.rollout(rollout.id)
                return !finished.phase.isActive
            }
            print("rollout finished \(ContinuousClock.now - killedAt) after its replica was killed")
            #expect(finished.phase == .succeeded, "\(finished.message ?? "")")
            let now = try await store.leaseHolder("rollout-engine")
            #expect(now != nil && now != holder, "the lease moved from \(holder) to \(now ?? "nobody")")
            let writes = try await store.audit(limit: 1000, actor: "rollout/\(rollout.id)").filter { $0.action == "policy.update" }
            for member in swarm.agents {
                #expect(writes.filter { $0.target == member.name }.count == 1, "\(member.name): one policy write")
                #expect(try await member.cluster.get(Config.self, name: RegistryNames.singleton).spec.replicas == 2)
            }
            try await store.close()
        }
    }

    /// Starts three replicas and `count` agents given them in `order`, waits until all are Healthy,
    /// runs `body`, and stops everything whatever happened.
    private func withSwarm(count: Int, prefix: String, order: [Int], _ body: (ReplicaFleet, ReplicaAgents) async throws -> Void) async throws {
        let fleet = try await ReplicaFleet.start()
        let swarm: ReplicaAgents
        do {
            swarm = try await ReplicaAgents.start(fleet, count: count, prefix: prefix, order: order)
        } catch {
            await fleet.stop()
            throw error
        }
        do {
            try await swarm.waitHealthy()
            try await body(fleet, swarm)
        } catch {
            await swarm.stop()
            await fleet.stop()
            throw error
        }
        await swarm.stop()
        await fleet.stop()
    }
}

/// In-process agents on simulated clusters, each given the replicas' URLs in `order`.
struct ReplicaAgents {
    struct Member {
        let name: String
        let agent: FleetAgent
        let task: Task<Void, Never>
        let cluster: SimulatedCluster
    }

    let agents: [Member]
    let admin: HubAdminClient

    static func start(_ fleet: ReplicaFleet, count: Int, prefix: String, order: [Int]) async throws -> ReplicaAgents {
        let admin = try fleet.adminClient(order[0])
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var members: [Member] = []
        for index in 1...count {
            let name = "\(prefix)-\(index)"
            let token = try await admin.createToken(TokenRequest(cluster: name))
            let cluster = SimulatedCluster(name: name, options: SimulationOptions(podReadyDelay: .milliseconds(300)))
            await cluster.startControllers()
            var configuration = AgentConfiguration(
                hubURL: order.map(fleet.url).joined(separator: ","), cluster: name, caFile: fleet.directory.appendingPathComponent("pki/ca.crt").path,
                stateDirectory: fleet.directory.appendingPathComponent("agents/\(name)").path, bootstrapToken: token.token)
            configuration.reportInterval = 1
            configuration.retryMaxDelay = 1
            configuration.longPollTimeout = 20
            let agent = FleetAgent(configuration: configuration, kubernetes: cluster, logger: logger)
            members.append(Member(name: name, agent: agent, task: Task { try? await agent.run() }, cluster: cluster))
        }
        return ReplicaAgents(agents: members, admin: admin)
    }

    /// Every member's status, in order.
    func statuses() async -> [AgentStatus] {
        var all: [AgentStatus] = []
        for member in agents { all.append(await member.agent.status) }
        return all
    }

    /// Waits until the hub lists every member Healthy.
    func waitHealthy() async throws {
        try await waitUntil(timeout: .seconds(120)) {
            let clusters = try await admin.clusters()
            return clusters.count == agents.count && clusters.allSatisfy { $0.health.state == .healthy }
        }
    }

    func stop() async {
        for member in agents { member.agent.stop() }
        for member in agents {
            await member.task.value
            await member.cluster.stopControllers()
        }
        await admin.connection.shutdown()
    }
}
