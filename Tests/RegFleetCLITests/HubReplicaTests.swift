import FleetClient
import FleetModel
import FleetPKI
import FleetStore
import Foundation
import RegistryModel
import Testing

/// Three `regfleet hub` processes on one real PostgreSQL server: any replica serves any request,
/// changes reach every replica, the rollout engine runs on exactly one and fails over, and a
/// database outage is a 503 that heals.
@Suite(.serialized) struct HubReplicaTests {
    @Test func replicasShareOneFleet() async throws {
        let fleet = try await ReplicaFleet.start()
        do {
            try await exercise(fleet)
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }

    private func exercise(_ fleet: ReplicaFleet) async throws {
        let adminA = try fleet.adminClient(0)
        defer { Task { await adminA.connection.shutdown() } }

        // A long poll held on replica 1 is woken by a policy change made on replica 0.
        let (agentOnB, _) = try await fleet.enroll("ha-1", through: 0, connectTo: 1)
        let poll = Task { try await agentOnB.call(.GET, "/v1/agent/desired?after=0&timeout=15", as: PolicyDocument.self) }
        try await Task.sleep(for: .milliseconds(300))  // let the poll reach the hub; the wake is what is measured
        let changedAt = ContinuousClock.now
        _ = try await adminA.putPolicy("ha-1", PolicyUpdateRequest(policy: FleetPolicy(registry: RegistryPolicy(replicas: 2))))
        let woken = try await poll.value
        let wake = ContinuousClock.now - changedAt
        #expect(woken.generation == 1)
        #expect(wake < .seconds(2), "a change on replica 0 woke the poll on replica 1 after \(wake)")
        print("cross-replica long-poll wake: \(wake)")

        // A retried report that lands on another replica is stored once.
        let (agentOnC, _) = try await fleet.enroll("ha-2", through: 2, connectTo: 2)
        let report = AgentReport(
            sequence: 7, observedGeneration: 0, agentVersion: "ha-test", collectedAt: Date(),
            registry: RegistryObservation(managementState: .managed, conditions: []))
        let first = try await agentOnC.call(.POST, "/v1/agent/reports", body: report, as: ReportAck.self)
        #expect(first.duplicate == false)

        // A cluster deleted on replica 0 (its certificates revoked) is refused on replica 1 at once.
        let (victimOnB, _) = try await fleet.enroll("ha-4", through: 0, connectTo: 1)
        _ = try await victimOnB.call(.POST, "/v1/agent/reports", body: report, as: ReportAck.self)
        let revokedAt = ContinuousClock.now
        #expect(try await adminA.deleteCluster("ha-4").count == 1)
        try await waitUntil(timeout: .seconds(5)) {
            do {
                _ = try await victimOnB.call(.POST, "/v1/agent/reports", body: AgentReport(
                    sequence: 8, observedGeneration: 0, agentVersion: "ha-test", collectedAt: Date(),
                    registry: RegistryObservation(managementState: .managed, conditions: [])), as: ReportAck.self)
                return false
            } catch let error as HubClientError {
                return error.status == 401 || error.status == 403
            }
        }
        print("cross-replica revocation: \(ContinuousClock.now - revokedAt)")
        await victimOnB.shutdown()

        // The rollout engine runs on exactly one replica; killing it hands the lease to another.
        let store = try await FleetStore.open(.postgres(fleet.server.settings(database: "fleet")))
        let (holder, leader) = try await fleet.engineLeader(store)
        fleet.hubs[leader].signal(SIGKILL)
        _ = try await fleet.hubs[leader].wait()
        let killedAt = ContinuousClock.now
        try await waitUntil(timeout: .seconds(15)) {
            let now = try await store.leaseHolder("rollout-engine")
            return now != nil && now != holder
        }
        let failover = ContinuousClock.now - killedAt
        #expect(failover < .seconds(8), "lease 3s: a standby took over after \(failover)")
        print("rollout engine failover: \(failover)")

        // The database down: a replica answers 503 (not 500, no crash) and readiness fails; back up, all heals.
        let survivor = (0..<3).first { $0 != leader }!
        let probe = try fleet.adminClient(survivor)
        let (agentOnSurvivor, _) = try await fleet.enroll("ha-5", through: survivor, connectTo: survivor)

        // Health is the database's, whichever replica answers.
        let other = (0..<3).first { $0 != leader && $0 != survivor }!
        let otherAdmin = try fleet.adminClient(other)
        let healthHere = try await probe.health()
        let healthThere = try await otherAdmin.health()
        #expect(healthHere.total == healthThere.total && healthHere.counts == healthThere.counts, "\(healthHere.counts) vs \(healthThere.counts)")
        #expect(Set(try await probe.clusters().map(\.name)) == Set(try await otherAdmin.clusters().map(\.name)))
        #expect(try await probe.connection.send(.GET, "/readyz").status == 200)

        try await fleet.server.stop()
        let outage = await status { _ = try await probe.clusters() }
        #expect(outage == 503, "with PostgreSQL stopped the hub answered \(outage.map(String.init) ?? "nothing")")
        let ingest = await status { _ = try await agentOnSurvivor.call(.POST, "/v1/agent/reports", body: report, as: ReportAck.self) }
        #expect(ingest == 503, "a report with PostgreSQL stopped: \(ingest.map(String.init) ?? "nothing")")
        #expect(try await probe.connection.send(.GET, "/readyz").status == 503, "readiness fails while the database is down")
        try await fleet.server.restart()
        try await waitUntil(timeout: .seconds(30)) {
            (try? await probe.clusters()) != nil
        }
        #expect(try await probe.connection.send(.GET, "/readyz").status == 200, "readiness is back with the database")
        let policy = try await probe.policy("ha-1")
        #expect(policy.generation == 1, "the policy acknowledged before the outage is still there")
        #expect(try await store.reportHistory(cluster: "ha-2").map(\.sequence) == [7], "the acknowledged report is stored once")
        await probe.connection.shutdown()
        await otherAdmin.connection.shutdown()
        await agentOnB.shutdown()
        await agentOnC.shutdown()
        await agentOnSurvivor.shutdown()
        try await store.close()
    }

    /// The HTTP status `body` failed with; nil when it succeeded or failed without one.
    private func status(_ body: () async throws -> Void) async -> Int? {
        do {
            try await body()
            return nil
        } catch let error as HubClientError {
            return error.status
        } catch {
            return nil
        }
    }
}

/// One fleet shared by the steps below (starting three hubs and a server is the slow part).
struct ReplicaFleet {
    let directory: URL
    let server: LocalPostgresServer
    let database: String
    var hubs: [RegFleetProcess]
    var ports: [Int]
    let caPEM: String
    let admin: PKIDirectory

    /// The base URL of `replica`.
    func url(_ replica: Int) -> String { "https://127.0.0.1:\(ports[replica])" }

    func connection(_ replica: Int, certificate: String? = nil, key: String? = nil) throws -> HubConnection {
        try HubConnection(baseURL: url(replica), caCertificatePEM: caPEM, clientCertificatePEM: certificate, clientKeyPEM: key, timeout: .seconds(20))
    }

    func adminClient(_ replica: Int) throws -> HubAdminClient {
        let credential = try admin.loadAdminCredential(name: "admin")
        return HubAdminClient(connection: try connection(replica, certificate: credential.certificatePEM, key: credential.privateKeyPEM))
    }

    static func start() async throws -> ReplicaFleet {
        let directory = try temporaryDirectory("replicas")
        #expect(try await RegFleetProcess.run(["pki", "init", "--dir", "pki", "--hub-san", "127.0.0.1"], in: directory).status == 0)
        let server = try await LocalPostgresServer.start()
        try await server.createDatabase("fleet")
        try server.password.write(to: directory.appendingPathComponent("db-password"), atomically: true, encoding: .utf8)
        var fleet = ReplicaFleet(
            directory: directory, server: server, database: server.url(database: "fleet"), hubs: [], ports: [],
            caPEM: try PKIDirectory(path: directory.appendingPathComponent("pki").path).loadCACertificatePEM(),
            admin: PKIDirectory(path: directory.appendingPathComponent("pki").path))
        // Started together: the migration lock lets exactly one of them create the schema.
        let database = fleet.database
        try await withThrowingTaskGroup(of: (Int, RegFleetProcess, Int).self) { group in
            for replica in 0..<3 {
                group.addTask {
                    let (hub, port) = try await RegFleetProcess.startHub(
                        in: directory, database: database,
                        extra: ["--database-password-file", "db-password", "--rollout-lease", "3s", "--replica-id", "replica-\(replica)"])
                    return (replica, hub, port)
                }
            }
            var started: [(Int, RegFleetProcess, Int)] = []
            for try await result in group { started.append(result) }
            started.sort { $0.0 < $1.0 }
            fleet.hubs = started.map(\.1)
            fleet.ports = started.map(\.2)
        }
        return fleet
    }

    func stop() async {
        for hub in hubs { hub.signal(SIGKILL) }
        for hub in hubs { _ = try? await hub.wait() }
        await server.remove()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The replica holding the rollout engine's lease (its id and index), once one does.
    func engineLeader(_ store: FleetStore) async throws -> (holder: String, replica: Int) {
        var holder: String?
        try await waitUntil(timeout: .seconds(10)) {
            holder = try await store.leaseHolder("rollout-engine")
            return holder != nil
        }
        let id = try #require(holder)
        return (id, try #require(Int(id.split(separator: "-").last ?? ""), "replica ids are replica-N: \(id)"))
    }

    /// Enrolls `cluster` through `replica` and returns its agent connection to `other`.
    func enroll(_ cluster: String, through replica: Int, connectTo other: Int) async throws -> (HubConnection, String) {
        let admin = try adminClient(replica)
        let token = try await admin.createToken(TokenRequest(cluster: cluster))
        await admin.connection.shutdown()
        let anonymous = try connection(replica)
        let key = FleetPrivateKey()
        let csr = try SigningRequest(identity: .cluster(cluster), key: key)
        let issued = try await anonymous.call(.POST, "/v1/enroll", body: EnrollRequest(cluster: cluster, token: token.token, csr: csr.pem), as: CertificateResponse.self)
        await anonymous.shutdown()
        return (try connection(other, certificate: issued.certificate, key: key.pem), issued.certificate)
    }
}
