import FleetAgent
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

struct HubClientTests {
    /// An enrolled credential for `cluster` from the real hub.
    static func enrolled(_ hub: RealHub, cluster: String = "edge-1") async throws -> FleetCredential {
        let key = FleetPrivateKey()
        let csr = try SigningRequest(identity: .cluster(cluster), key: key)
        let anonymous = try HubClient(baseURL: hub.url, caCertificatePEM: try hub.caPEM, credential: nil, logger: quietLogger)
        let response = try await anonymous.enroll(EnrollRequest(cluster: cluster, token: try await hub.createToken(cluster: cluster), csr: csr.pem))
        await anonymous.shutdown()
        return try FleetCredential(certificatePEM: response.certificate, privateKeyPEM: key.pem)
    }

    /// Enrollment over TLS without a client certificate returns a certificate for the CSR's key; a retry with the
    /// same key gets it again, the used token with another key, an unknown token and another cluster's token are
    /// refused as `enrollmentRefused`.
    @Test func enrollmentAndTokenRefusals() async throws {
        let hub = try await RealHub()
        let client = try HubClient(baseURL: hub.url, caCertificatePEM: try hub.caPEM, credential: nil, logger: quietLogger)
        let key = FleetPrivateKey()
        let csr = try SigningRequest(identity: .cluster("edge-1"), key: key)
        let token = try await hub.createToken(cluster: "edge-1")
        // Created before edge-1 enrolls: the hub issues no tokens for an enrolled cluster.
        let edgeOneToken = try await hub.createToken(cluster: "edge-1")
        let response = try await client.enroll(EnrollRequest(cluster: "edge-1", token: token, csr: csr.pem))
        let credential = try FleetCredential(certificatePEM: response.certificate, privateKeyPEM: key.pem)
        #expect(credential.identity == .cluster("edge-1"))
        #expect(try response.caCertificate == hub.caPEM)
        let retried = try await client.enroll(EnrollRequest(cluster: "edge-1", token: token, csr: csr.pem))
        #expect(try FleetCredential(certificatePEM: retried.certificate, privateKeyPEM: key.pem).identity == .cluster("edge-1"))
        let otherKey = try SigningRequest(identity: .cluster("edge-1"), key: FleetPrivateKey())
        for request in [
            EnrollRequest(cluster: "edge-1", token: token, csr: otherKey.pem),
            EnrollRequest(cluster: "edge-1", token: "tok-unknown", csr: csr.pem),
            EnrollRequest(cluster: "edge-2", token: edgeOneToken, csr: csr.pem),
        ] {
            do throws(AgentError) {
                _ = try await client.enroll(request)
                Issue.record("enrollment with \(request.token) for \(request.cluster) succeeded")
            } catch {
                #expect(error.code == .enrollmentRefused, "\(error)")
                #expect(["unauthenticated", "forbidden", "conflict"].contains { error.message.contains($0) }, "\(error.message)")
            }
        }
        await client.shutdown()
        await hub.tearDown()
    }

    /// The long poll answers nil (304) after its timeout, at once for a newer generation, and wakes when the
    /// policy changes while it is held.
    @Test func desiredLongPoll() async throws {
        let hub = try await RealHub()
        let client = try HubClient(baseURL: hub.url, caCertificatePEM: try hub.caPEM, credential: try await Self.enrolled(hub), logger: quietLogger)
        #expect(try await client.desired(after: 0, timeout: 1) == nil)
        _ = try await hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 2)))
        #expect(try await client.desired(after: 0, timeout: 30)?.generation == 1)

        let held = Task { try await client.desired(after: 1, timeout: 30) }
        try await waitUntil("the long poll to be held") { hub.heldLongPolls == 1 }
        _ = try await hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 3)))
        let document = try await held.value
        #expect(document?.generation == 2)
        #expect(document?.registry?.replicas == 3)
        await client.shutdown()
        await hub.tearDown()
    }

    /// A report is stored once per sequence: the retry is acknowledged as a duplicate.
    @Test func reportsAreIdempotent() async throws {
        let hub = try await RealHub()
        let client = try HubClient(baseURL: hub.url, caCertificatePEM: try hub.caPEM, credential: try await Self.enrolled(hub), logger: quietLogger)
        var report = ReportQueueTests.report()
        report.sequence = 7
        #expect(try await client.report(report) == ReportAck(sequence: 7, duplicate: false))
        #expect(try await client.report(report) == ReportAck(sequence: 7, duplicate: true))
        #expect(try await hub.storedReports(cluster: "edge-1").keys.sorted() == [7])
        await client.shutdown()
        await hub.tearDown()
    }

    /// Renewal returns a certificate for the new key with a new serial.
    @Test func renewalIssuesForTheNewKey() async throws {
        let hub = try await RealHub()
        let old = try await Self.enrolled(hub)
        let client = try HubClient(baseURL: hub.url, caCertificatePEM: try hub.caPEM, credential: old, logger: quietLogger)
        let key = FleetPrivateKey()
        let response = try await client.renew(RenewRequest(csr: try SigningRequest(identity: .cluster("edge-1"), key: key).pem))
        let renewed = try FleetCredential(certificatePEM: response.certificate, privateKeyPEM: key.pem)
        #expect(renewed.certificate.serialHex != old.certificate.serialHex)
        #expect(hub.requests("/v1/agent/renew").first?.serial == old.certificate.serialHex)
        await client.shutdown()
        await hub.tearDown()
    }

    /// Agent calls without a certificate or for a deleted cluster (both 401) are `notAuthorized`, with the status.
    @Test func refusedCallsAreNotAuthorized() async throws {
        let hub = try await RealHub()
        let credential = try await Self.enrolled(hub)
        let anonymous = try HubClient(baseURL: hub.url, caCertificatePEM: try hub.caPEM, credential: nil, logger: quietLogger)
        let agent = try HubClient(baseURL: hub.url, caCertificatePEM: try hub.caPEM, credential: credential, logger: quietLogger)
        try await hub.deleteCluster("edge-1")
        for (client, status) in [(anonymous, 401), (agent, 401)] {
            do throws(AgentError) {
                _ = try await client.desired(after: 0, timeout: 1)
                Issue.record("a refused call succeeded")
            } catch {
                #expect(error.code == .notAuthorized)
                #expect(error.status == status)
            }
        }
        await anonymous.shutdown()
        await agent.shutdown()
        await hub.tearDown()
    }

    /// A hub whose certificate is not signed by the configured CA, and a stopped hub, are `hubUnavailable`.
    @Test func untrustedOrStoppedHubIsUnavailable() async throws {
        let hub = try await RealHub()
        let foreign = try TestCredentials()
        let untrusting = try HubClient(baseURL: hub.url, caCertificatePEM: foreign.ca.certificatePEM, credential: nil, logger: quietLogger)
        await #expect(throws: AgentError(code: .hubUnavailable, message: "")) {
            _ = try await untrusting.enroll(EnrollRequest(cluster: "edge-1", token: try await hub.createToken(cluster: "edge-1"), csr: "x"))
        }
        await untrusting.shutdown()
        await hub.stop()
        let client = try HubClient(baseURL: hub.url, caCertificatePEM: try hub.caPEM, credential: nil, logger: quietLogger)
        await #expect(throws: AgentError(code: .hubUnavailable, message: "")) {
            _ = try await client.desired(after: 0, timeout: 1)
        }
        await client.shutdown()
        await hub.tearDown()
    }

    /// A CA file that holds no certificate is refused naming the flag.
    @Test func unusableCAIsAConfigurationError() {
        do throws(AgentError) {
            _ = try HubClient(baseURL: "https://127.0.0.1:1", caCertificatePEM: "not pem", credential: nil, logger: quietLogger)
            Issue.record("a client was built without trust roots")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.field == "ca-file")
        }
    }
}
