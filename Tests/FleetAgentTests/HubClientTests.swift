import FleetAgent
import FleetPKI
import Foundation
import RegistryModel
import Testing

struct HubClientTests {
    /// A running test hub and an enrolled credential for `cluster`.
    static func enrolled(_ hub: TestHub, cluster: String = "edge-1") async throws -> FleetCredential {
        let key = FleetPrivateKey()
        let csr = try SigningRequest(identity: .cluster(cluster), key: key)
        let anonymous = try HubClient(baseURL: hub.url, caCertificatePEM: hub.ca.certificatePEM, credential: nil, logger: quietLogger)
        let response = try await anonymous.enroll(EnrollRequest(cluster: cluster, token: hub.createToken(cluster: cluster), csr: csr.pem))
        await anonymous.shutdown()
        return try FleetCredential(certificatePEM: response.certificate, privateKeyPEM: key.pem)
    }

    /// Enrollment over TLS without a client certificate returns a certificate for the CSR's key; the token is
    /// single-use, and an unknown token is refused, both as `enrollmentRefused`.
    @Test func enrollmentAndTokenRefusals() async throws {
        let hub = try TestHub()
        try await hub.start()
        let client = try HubClient(baseURL: hub.url, caCertificatePEM: hub.ca.certificatePEM, credential: nil, logger: quietLogger)
        let key = FleetPrivateKey()
        let csr = try SigningRequest(identity: .cluster("edge-1"), key: key)
        let token = hub.createToken(cluster: "edge-1")
        let response = try await client.enroll(EnrollRequest(cluster: "edge-1", token: token, csr: csr.pem))
        let credential = try FleetCredential(certificatePEM: response.certificate, privateKeyPEM: key.pem)
        #expect(credential.identity == .cluster("edge-1"))
        #expect(response.caCertificate == hub.ca.certificatePEM)
        for request in [
            EnrollRequest(cluster: "edge-1", token: token, csr: csr.pem),
            EnrollRequest(cluster: "edge-1", token: "tok-unknown", csr: csr.pem),
            EnrollRequest(cluster: "edge-2", token: hub.createToken(cluster: "edge-1"), csr: csr.pem),
        ] {
            do throws(AgentError) {
                _ = try await client.enroll(request)
                Issue.record("enrollment with \(request.token) for \(request.cluster) succeeded")
            } catch {
                #expect(error.code == .enrollmentRefused, "\(error)")
                #expect(error.message.contains("forbidden") || error.message.contains("conflict"), "\(error.message)")
            }
        }
        await client.shutdown()
        await hub.stop()
    }

    /// The long poll answers nil (304) after its timeout, at once for a newer generation, and wakes when the
    /// policy changes while it is held.
    @Test func desiredLongPoll() async throws {
        let hub = try TestHub()
        try await hub.start()
        let client = try HubClient(baseURL: hub.url, caCertificatePEM: hub.ca.certificatePEM, credential: try await Self.enrolled(hub), logger: quietLogger)
        #expect(try await client.desired(after: 0, timeout: 1) == nil)
        hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 2)))
        #expect(try await client.desired(after: 0, timeout: 30)?.generation == 1)

        let held = Task { try await client.desired(after: 1, timeout: 30) }
        try await waitUntil("the long poll to be held") { hub.notifier.waiting == 1 }
        hub.setPolicy(cluster: "edge-1", FleetPolicy(registry: RegistryPolicy(replicas: 3)))
        let document = try await held.value
        #expect(document?.generation == 2)
        #expect(document?.registry?.replicas == 3)
        await client.shutdown()
        await hub.stop()
    }

    /// A report is stored once per sequence: the retry is acknowledged as a duplicate.
    @Test func reportsAreIdempotent() async throws {
        let hub = try TestHub()
        try await hub.start()
        let client = try HubClient(baseURL: hub.url, caCertificatePEM: hub.ca.certificatePEM, credential: try await Self.enrolled(hub), logger: quietLogger)
        var report = ReportQueueTests.report()
        report.sequence = 7
        #expect(try await client.report(report) == ReportAck(sequence: 7, duplicate: false))
        #expect(try await client.report(report) == ReportAck(sequence: 7, duplicate: true))
        #expect(hub.storedReports(cluster: "edge-1").keys.sorted() == [7])
        await client.shutdown()
        await hub.stop()
    }

    /// Renewal returns a certificate for the new key with a new serial.
    @Test func renewalIssuesForTheNewKey() async throws {
        let hub = try TestHub()
        try await hub.start()
        let old = try await Self.enrolled(hub)
        let client = try HubClient(baseURL: hub.url, caCertificatePEM: hub.ca.certificatePEM, credential: old, logger: quietLogger)
        let key = FleetPrivateKey()
        let response = try await client.renew(RenewRequest(csr: try SigningRequest(identity: .cluster("edge-1"), key: key).pem))
        let renewed = try FleetCredential(certificatePEM: response.certificate, privateKeyPEM: key.pem)
        #expect(renewed.certificate.serialHex != old.certificate.serialHex)
        #expect(hub.requests("/v1/agent/renew").first?.serial == old.certificate.serialHex)
        await client.shutdown()
        await hub.stop()
    }

    /// Agent calls without a certificate (401) or for a deleted cluster (403) are `notAuthorized`, with the status.
    @Test func refusedCallsAreNotAuthorized() async throws {
        let hub = try TestHub()
        try await hub.start()
        let credential = try await Self.enrolled(hub)
        let anonymous = try HubClient(baseURL: hub.url, caCertificatePEM: hub.ca.certificatePEM, credential: nil, logger: quietLogger)
        let agent = try HubClient(baseURL: hub.url, caCertificatePEM: hub.ca.certificatePEM, credential: credential, logger: quietLogger)
        hub.refuse(cluster: "edge-1")
        for (client, status) in [(anonymous, 401), (agent, 403)] {
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
        await hub.stop()
    }

    /// A hub whose certificate is not signed by the configured CA, and a stopped hub, are `hubUnavailable`.
    @Test func untrustedOrStoppedHubIsUnavailable() async throws {
        let hub = try TestHub()
        try await hub.start()
        let foreign = try TestCredentials()
        let untrusting = try HubClient(baseURL: hub.url, caCertificatePEM: foreign.ca.certificatePEM, credential: nil, logger: quietLogger)
        await #expect(throws: AgentError(code: .hubUnavailable, message: "")) {
            _ = try await untrusting.enroll(EnrollRequest(cluster: "edge-1", token: hub.createToken(cluster: "edge-1"), csr: "x"))
        }
        await untrusting.shutdown()
        await hub.stop()
        let client = try HubClient(baseURL: hub.url, caCertificatePEM: hub.ca.certificatePEM, credential: nil, logger: quietLogger)
        await #expect(throws: AgentError(code: .hubUnavailable, message: "")) {
            _ = try await client.desired(after: 0, timeout: 1)
        }
        await client.shutdown()
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
