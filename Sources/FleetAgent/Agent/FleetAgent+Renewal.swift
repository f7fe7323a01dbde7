import FleetModel
import FleetPKI
import Foundation
import Logging
import RegistryModel

extension FleetAgent {
    /// Renews the certificate once `renewalFraction` of its life has passed (by the injected clock, checked at
    /// least every `renewalCheckInterval`); failures are retried with backoff until it succeeds.
    func renewalLoop() async {
        while !Task.isCancelled {
            guard let credential else { return }
            let due = credential.certificate.renewalTime(fraction: configuration.renewalFraction)
            let remaining = due.timeIntervalSince(configuration.clock.now())
            if remaining > 0 {
                guard await pause(min(remaining, configuration.renewalCheckInterval), on: configuration.clock) else { return }
                continue
            }
            do throws(AgentError) {
                let renewed = try await renew(credential)
                if renewed.certificate.renewalTime(fraction: configuration.renewalFraction) <= configuration.clock.now() {
                    // A certificate due on arrival means the hub's clock or lifetime disagrees with ours: renew
                    // again only after a backoff rather than in a tight loop.
                    throw AgentError(
                        code: .invalidResponse,
                        message: "the renewed certificate \(renewed.certificate.serialHex) is already due for renewal (valid until \(renewed.certificate.notAfter)); is the clock skewed?")
                }
                failures.clear("renewal")
            } catch {
                if Task.isCancelled { return }
                await hubCallFailed("renewal", error)
            }
        }
    }

    /// A new key and CSR, `POST /v1/agent/renew`, then the new pair is stored and the client rebuilt.
    private func renew(_ old: FleetCredential) async throws(AgentError) -> FleetCredential {
        guard let client else { throw AgentError(code: .state, message: "renewal without a hub client") }
        let key = FleetPrivateKey()
        let csr: SigningRequest
        do {
            csr = try SigningRequest(identity: old.identity, key: key)
        } catch {
            throw AgentError(code: .state, message: "cannot build the renewal CSR: \(error.message)")
        }
        let response = try await client.renew(RenewRequest(csr: csr.pem))
        let renewed = try verify(response, key: key)
        try state.storeRenewal(renewed)
        try await replaceClient(with: renewed)
        current.renewals += 1
        logger.info(
            "certificate renewed",
            metadata: [
                "oldSerial": "\(old.certificate.serialHex)", "serial": "\(renewed.certificate.serialHex)", "notAfter": "\(renewed.certificate.notAfter)",
            ])
        return renewed
    }
}
