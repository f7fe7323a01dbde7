import FleetModel
import FleetPKI
import Foundation
import Logging
import RegistryModel
import X509

extension FleetAgent {
    /// Enrolls when there is no certificate, then runs the long poll, report delivery and renewal until cancelled.
    /// Throws only when the hub refuses enrollment or answers it with something unusable.
    func hubSession(enrollmentToken: String?) async throws(AgentError) {
        if credential == nil, let enrollmentToken {
            guard let enrolled = try await enroll(token: enrollmentToken) else { return }
            adopt(enrolled)
        }
        guard let credential else { return }
        client = try HubClient(endpoints: hubEndpoints, caCertificatePEM: caCertificatePEM, credential: credential, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.longPollLoop() }
            group.addTask { await self.deliveryLoop() }
            group.addTask { await self.renewalLoop() }
            await group.waitForAll()
        }
    }

    /// Sends a CSR for the key in `agent.key` (made now when missing) with the bootstrap token until the hub
    /// answers; persists the certificate and the CA. Nil when cancelled first.
    private func enroll(token: String) async throws(AgentError) -> FleetCredential? {
        let key = try state.enrollmentKey()
        let csr: SigningRequest
        do {
            csr = try SigningRequest(identity: .cluster(configuration.cluster), key: key)
        } catch {
            throw AgentError(code: .invalidConfiguration, message: "cannot build a CSR: \(error.message)", field: "cluster")
        }
        let anonymous = try HubClient(endpoints: hubEndpoints, caCertificatePEM: caCertificatePEM, credential: nil, logger: logger)
        let outcome = await enroll(with: anonymous, request: EnrollRequest(cluster: configuration.cluster, token: token, csr: csr.pem), key: key)
        await anonymous.shutdown()
        return try outcome.get()
    }

    /// Retries enrollment while the hub is unavailable; nil when cancelled first.
    private func enroll(with client: HubClient, request: EnrollRequest, key: FleetPrivateKey) async -> Result<FleetCredential?, AgentError> {
        while !Task.isCancelled {
            do throws(AgentError) {
                let response = try await client.enroll(request)
                let enrolled = try verify(response, key: key)
                try state.storeEnrollment(certificatePEM: response.certificate, caCertificatePEM: response.caCertificate)
                failures.clear("enrollment")
                logger.info("enrolled", metadata: ["serial": "\(enrolled.certificate.serialHex)", "notAfter": "\(enrolled.certificate.notAfter)"])
                return .success(enrolled)
            } catch where error.code == .hubUnavailable {
                if Task.isCancelled { break }
                await hubCallFailed("enrollment", error)
            } catch {
                _ = failures.record("enrollment", error.description)
                logger.error("enrollment failed", metadata: ["error": "\(error)"])
                return .failure(error)
            }
        }
        return .success(nil)
    }

    /// Checks an issued certificate: it pairs with `key`, names this cluster and is signed by the CA it came with.
    func verify(_ response: CertificateResponse, key: FleetPrivateKey) throws(AgentError) -> FleetCredential {
        let issued: FleetCredential
        do {
            issued = try FleetCredential(certificatePEM: response.certificate, privateKeyPEM: key.pem)
        } catch {
            throw AgentError(code: .invalidResponse, message: "the hub issued an unusable certificate: \(error.message)")
        }
        guard issued.identity == .cluster(configuration.cluster), response.cluster == configuration.cluster else {
            throw AgentError(
                code: .invalidResponse, message: "the hub issued a certificate for \(issued.identity) to cluster/\(configuration.cluster)")
        }
        guard let ca = try? Certificate(pemEncoded: response.caCertificate), issued.certificate.isSignedBy(ca: ca) else {
            throw AgentError(code: .invalidResponse, message: "the issued certificate is not signed by the CA the hub sent with it")
        }
        return issued
    }

    /// Holds the desired-state long poll open; a newer policy is cached and applied, a 304 polls again at once.
    /// Holding nothing, it asks for anything (`after=-1`): a cluster the hub never gave a policy gets generation 0,
    /// the operator's defaults, as its first desired state.
    func longPollLoop() async {
        while !Task.isCancelled {
            guard let client else { return }
            let generation = clientGeneration
            do throws(AgentError) {
                if let document = try await client.desired(after: desired?.generation ?? -1, timeout: configuration.longPollTimeout) {
                    try receive(document)
                }
                failures.clear("long poll")
            } catch {
                if Task.isCancelled { return }
                if generation != clientGeneration { continue }
                await hubCallFailed("long poll", error)
            }
        }
    }

    /// Makes `client` speak for `credential`, closing the old client (its requests in flight fail and retry).
    func replaceClient(with credential: FleetCredential) async throws(AgentError) {
        let fresh = try HubClient(endpoints: hubEndpoints, caCertificatePEM: caCertificatePEM, credential: credential, logger: logger)
        let old = client
        client = fresh
        clientGeneration += 1
        adopt(credential)
        await old?.shutdown()
    }
}
