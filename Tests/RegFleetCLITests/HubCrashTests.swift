import FleetClient
import FleetModel
import FleetPKI
import FleetStore
import Foundation
import Logging
import RegistryModel
import Synchronization
import Testing

@Suite(.serialized) struct HubCrashTests {
    /// A hub killed with SIGKILL while agents report loses nothing it acknowledged: after a restart
    /// every acknowledged report is in the database.
    @Test func acknowledgedReportsSurviveKill9() async throws {
        let directory = try temporaryDirectory("crash")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await RegFleetProcess.run(["pki", "init", "--dir", "pki", "--hub-san", "127.0.0.1"], in: directory).status == 0)
        let (hub, port) = try await RegFleetProcess.startHub(in: directory)
        let baseURL = "https://127.0.0.1:\(port)"
        let pki = PKIDirectory(path: directory.appendingPathComponent("pki").path)
        let caPEM = try pki.loadCACertificatePEM()
        let adminCredential = try pki.loadAdminCredential(name: "admin")
        let admin = HubAdminClient(connection: try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: adminCredential.certificatePEM, clientKeyPEM: adminCredential.privateKeyPEM))
        let anonymous = try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: nil, clientKeyPEM: nil)
        var agents: [(String, HubConnection)] = []
        for index in 0..<10 {
            let cluster = "crash-\(index)"
            let token = try await admin.createToken(TokenRequest(cluster: cluster))
            let key = FleetPrivateKey()
            let csr = try SigningRequest(identity: .cluster(cluster), key: key)
            let certificate = try await anonymous.call(.POST, "/v1/enroll", body: EnrollRequest(cluster: cluster, token: token.token, csr: csr.pem), as: CertificateResponse.self)
            agents.append((cluster, try HubConnection(baseURL: baseURL, caCertificatePEM: caPEM, clientCertificatePEM: certificate.certificate, clientKeyPEM: key.pem)))
        }
        let acknowledged = AcknowledgedSet()
        let lanes = agents
        let senders = Task {
            await withTaskGroup(of: Void.self) { group in
                for (cluster, connection) in lanes {
                    for lane in 0..<4 {
                        group.addTask {
                            var sequence = Int64(lane + 1)
                            while sequence <= 90 {
                                let report = AgentReport(
                                    sequence: sequence, observedGeneration: 0, agentVersion: "crash-test", collectedAt: Date(),
                                    registry: RegistryObservation(managementState: .managed, conditions: []))
                                guard let ack = try? await connection.call(.POST, "/v1/agent/reports", body: report, as: ReportAck.self) else { return }
                                acknowledged.set.withLock { _ = $0.insert("\(cluster)#\(ack.sequence)") }
                                sequence += 4
                            }
                        }
                    }
                }
            }
        }
        try await waitUntil { acknowledged.set.withLock { $0.count } >= 150 }
        hub.signal(SIGKILL)
        _ = try await hub.wait()
        await senders.value
        for (_, connection) in agents { await connection.shutdown() }
        await admin.connection.shutdown()
        await anonymous.shutdown()
        let acked = acknowledged.set.withLock { $0 }

        let (restarted, _) = try await RegFleetProcess.startHub(in: directory)
        restarted.signal(SIGTERM)
        #expect(try await restarted.wait() == 0)

        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = try FleetStore(path: directory.appendingPathComponent("hub.sqlite").path, logger: logger)
        var stored: Set<String> = []
        for index in 0..<10 {
            for report in try await store.reportHistory(cluster: "crash-\(index)", limit: 100) { stored.insert("crash-\(index)#\(report.sequence)") }
        }
        try await store.close()
        #expect(acked.count >= 150)
        #expect(acked.isSubset(of: stored), "lost: \(acked.subtracting(stored).sorted().prefix(10))")
    }
}

/// Sequences the hub acknowledged, shared by the sending tasks.
final class AcknowledgedSet: Sendable {
    let set = Mutex<Set<String>>([])
}

/// Polls `condition` until it holds or the deadline passes.
func waitUntil(timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("condition not met within \(timeout)")
    throw CancellationError()
}
