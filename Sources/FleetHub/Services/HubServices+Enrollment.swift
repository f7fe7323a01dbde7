import FleetModel
import FleetPKI
import FleetStore
import Foundation
import RegistryModel

extension HubServices {
    /// Enrolls a cluster: checks the CSR, issues a certificate for the cluster the token was made
    /// for (never for a name the CSR asks for), and consumes the token in the same transaction
    /// that records the cluster, so a refused enrollment does not burn the token.
    ///
    /// Retry-safe: an agent whose answer was lost (the hub was slow, the connection was cut) asks again
    /// with the same token and the same key; the token is used by then, but since it enrolled this very
    /// key (the CSR's signature proves the key) and has not expired, the agent gets a certificate again
    /// instead of a refusal it could never recover from.
    public func enroll(_ request: EnrollRequest) async throws -> CertificateResponse {
        try Self.requireClusterName(request.cluster, field: "cluster")
        // The credential first: an unknown token is 401 before any CSR parsing (and a refused
        // CSR does not burn a good token: consuming it happens with the enrollment below).
        do throws(StoreError) {
            try await store.checkToken(request.token, cluster: request.cluster)
        } catch where error.code == .tokenUsed {
            let csr = try Self.signingRequest(request.csr)
            let retried = try await storeCall { () async throws(StoreError) in
                try await store.isEnrollmentRetry(token: request.token, cluster: request.cluster, keyFingerprint: csr.keyFingerprint)
            }
            guard retried else { throw HubError(error) }
            let issued = try issue(for: request.cluster, csr: csr)
            try await record(issued, cluster: request.cluster)
            logger.info("enrollment retried with the same key: certificate issued again", metadata: ["cluster": "\(request.cluster)", "serial": "\(issued.serialHex)"])
            return response(issued, cluster: request.cluster)
        } catch {
            throw HubError(error)
        }
        let csr = try Self.signingRequest(request.csr)
        let issued = try issue(for: request.cluster, csr: csr)
        _ = try await storeCall { () async throws(StoreError) in
            try await store.enroll(token: request.token, cluster: request.cluster, keyFingerprint: csr.keyFingerprint)
        }
        markDeleted(request.cluster, false)
        try await record(issued, cluster: request.cluster)
        logger.info("cluster enrolled", metadata: ["cluster": "\(request.cluster)", "serial": "\(issued.serialHex)"])
        return response(issued, cluster: request.cluster)
    }

    /// A CSR whose signature holds; 422 naming `csr` otherwise.
    static func signingRequest(_ pem: String) throws -> SigningRequest {
        do {
            return try SigningRequest(pem: pem)
        } catch {
            throw HubError(.invalid, "csr: \(error.message)", field: "csr")
        }
    }

    /// Renews an agent's certificate from a new CSR; the identity stays the caller's. The
    /// certificate it replaces is revoked when the new one is first used (`RenewalLedger`).
    public func renew(cluster: String, replacing oldSerial: String, request: RenewRequest) async throws -> CertificateResponse {
        let csr = try Self.signingRequest(request.csr)
        let issued = try issue(for: cluster, csr: csr)
        try await record(issued, cluster: cluster)
        renewals.recordRenewal(new: issued.serialHex, replacing: oldSerial)
        logger.info("certificate renewed", metadata: ["cluster": "\(cluster)", "serial": "\(issued.serialHex)"])
        return response(issued, cluster: cluster)
    }

    /// Creates a single-use bootstrap token for a cluster.
    public func createToken(_ request: TokenRequest, actor: String) async throws -> TokenResponse {
        try Self.requireClusterName(request.cluster, field: "cluster")
        // Compared as integers: converting a huge `ttlSeconds` to a Double and back traps.
        let maximum = Int(configuration.maxTokenTTL)
        let seconds = request.ttlSeconds ?? Int(configuration.defaultTokenTTL)
        guard (1...maximum).contains(seconds) else {
            throw HubError(.invalid, "ttlSeconds must be between 1 and \(maximum), got \(seconds)", field: "ttlSeconds")
        }
        let ttl = TimeInterval(seconds)
        let labels = request.labels ?? [:]
        let labelErrors = DNSNames.validateLabels(labels, path: "labels")
        if !labelErrors.isEmpty { throw HubError(validation: ValidationErrors(labelErrors)) }
        return try await storeCall { () async throws(StoreError) in
            try await store.createToken(cluster: request.cluster, labels: labels, ttl: ttl, createdBy: actor)
        }
    }

    /// Bootstrap tokens, newest first, for one cluster or all, with whether each is unused, used or expired.
    public func tokens(cluster: String?) async throws -> [TokenSummary] {
        if let cluster { try Self.requireClusterName(cluster, field: "cluster") }
        let now = clock.now()
        return try await storeCall { () async throws(StoreError) in try await store.tokens(cluster: cluster) }.map { record in
            TokenSummary(
                id: record.id, cluster: record.cluster, labels: record.labels, createdBy: record.createdBy, createdAt: record.createdAt,
                expiresAt: record.expiresAt, usedAt: record.usedAt,
                state: record.usedAt != nil ? "Used" : record.expiresAt <= now ? "Expired" : "Unused")
        }
    }

    /// Revokes an unused token by its id (404 unknown, 409 used).
    public func revokeToken(id: String, actor: String) async throws {
        guard id.count == 12, id.allSatisfy(\.isHexDigit), id == id.lowercased() else {
            throw HubError(.invalid, "a token id is 12 lowercase hex digits (as regfleet token ls shows it), got \"\(id)\"", field: "id")
        }
        _ = try await storeCall { () async throws(StoreError) in try await store.revokeToken(id: id, actor: actor) }
    }

    /// Revokes what a renewed certificate superseded, the first time it authenticates.
    func confirmRenewal(cluster: String, serial: String) async {
        for old in renewals.firstUse(of: serial) {
            do {
                _ = try await store.revokeCertificate(serial: old, actor: "system", reason: "superseded by the renewed certificate \(serial)")
                logger.info("previous certificate revoked after renewal", metadata: ["cluster": "\(cluster)", "serial": "\(old)", "renewedAs": "\(serial)"])
            } catch {
                logger.error("could not revoke a superseded certificate", metadata: ["cluster": "\(cluster)", "serial": "\(old)", "error": "\(error)"])
            }
        }
    }

    /// Certificates start a few minutes in the past: an agent whose clock runs slightly behind the
    /// hub's (or a TLS stack that rounds) must not see a certificate that is "not yet valid".
    static let clockSkewAllowance: TimeInterval = 300

    private func issue(for cluster: String, csr: SigningRequest) throws -> FleetPKI.IssuedCertificate {
        do {
            return try authority.issueClientCertificate(
                for: .cluster(cluster), csr: csr, now: clock.now().addingTimeInterval(-Self.clockSkewAllowance),
                lifetime: configuration.agentCertificateLifetime + Self.clockSkewAllowance)
        } catch {
            throw HubError(.invalid, "cannot issue a certificate: \(error.message)", field: "csr")
        }
    }

    private func record(_ issued: FleetPKI.IssuedCertificate, cluster: String) async throws {
        try await storeCall { () async throws(StoreError) in
            try await store.recordCertificate(serial: issued.serialHex, role: .agent, subject: cluster, notAfter: issued.notAfter)
        }
    }

    private func response(_ issued: FleetPKI.IssuedCertificate, cluster: String) -> CertificateResponse {
        CertificateResponse(
            cluster: cluster, certificate: issued.pem, caCertificate: authority.certificatePEM, serial: issued.serialHex, notAfter: issued.notAfter)
    }

    /// 422 unless `name` is a DNS-1123 label.
    static func requireClusterName(_ name: String, field: String) throws {
        guard DNSNames.isLabel(name) else { throw HubError(.invalid, DNSNames.labelMessage(name), field: field) }
    }
}

extension HubServices {
    /// Revokes a certificate by serial (audited), so the hub refuses it from the next request on, on every
    /// replica. An admin may not revoke the certificate it is calling with: that would leave it locked out
    /// mid-change; another admin does it.
    public func revokeCertificate(_ request: CertificateRevocationRequest, caller: Caller) async throws -> CertificateRevocation {
        let errors = request.validationErrors()
        if !errors.isEmpty { throw HubError(validation: ValidationErrors(errors)) }
        if case .admin(_, let serial) = caller, serial == request.serial {
            throw HubError(.conflict, "that is the certificate this request is made with; revoke it as another admin", field: "serial")
        }
        let newlyRevoked = try await storeCall { () async throws(StoreError) in
            try await store.revokeCertificate(serial: request.serial, actor: caller.actor, reason: request.reason ?? "revoked by an administrator")
        }
        return CertificateRevocation(serial: request.serial, newlyRevoked: newlyRevoked)
    }
}
