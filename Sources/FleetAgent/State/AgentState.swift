import FleetModel
import FleetPKI
import Foundation
import RegistryModel

/// The agent's files in its state directory: `agent.key` (0600), `agent.crt`, `ca.crt`, `desired.json` (the
/// last policy received) and `agent.sqlite` (the report queue, next sequence and forwarded prune runs).
///
/// Every file is mode 0600 in a 0700 directory and is replaced atomically. A renewal writes `agent.key.new` and
/// `agent.crt.new` before renaming them into place, and `loadCredential()` finishes an interrupted renewal, so a
/// crash at any point leaves a key and certificate that belong together.
public struct AgentState: Sendable {
    /// The state directory.
    public let directory: String

    /// Refers to `directory`; nothing is read or created until a method is called.
    public init(directory: String) {
        self.directory = directory
    }

    /// The agent's private key; it never leaves this file (only its CSR does).
    public var keyPath: String { file("agent.key") }
    /// The agent's client certificate.
    public var certificatePath: String { file("agent.crt") }
    /// The fleet CA as the hub returned it on enrollment.
    public var caCertificatePath: String { file("ca.crt") }
    /// The cached policy document, reapplied on start and while the hub is unreachable.
    public var desiredPath: String { file("desired.json") }
    /// The SQLite database of the report queue.
    public var queuePath: String { file("agent.sqlite") }
    /// The renewed key while a renewal is being written.
    var pendingKeyPath: String { file("agent.key.new") }
    /// The renewed certificate while a renewal is being written.
    var pendingCertificatePath: String { file("agent.crt.new") }

    /// Creates the directory (mode 0700) when it is missing.
    public func prepare() throws(AgentError) {
        try StateFile.makeDirectory(directory)
    }

    /// The stored certificate and key, or nil before enrollment. Completes a renewal a crash interrupted; throws
    /// `state` when the files exist but do not parse or do not belong together.
    public func loadCredential() throws(AgentError) -> FleetCredential? {
        try finishInterruptedRenewal()
        guard let certificatePEM = try StateFile.readText(certificatePath) else { return nil }
        guard let keyPEM = try StateFile.readText(keyPath) else {
            throw AgentError(code: .state, message: "\(certificatePath) exists but its key \(keyPath) is missing; remove both to enroll again")
        }
        do {
            return try FleetCredential(certificatePEM: certificatePEM, privateKeyPEM: keyPEM)
        } catch {
            throw AgentError(code: .state, message: "\(certificatePath), \(keyPath): \(error.message)")
        }
    }

    /// The key to enroll with: the one in `agent.key` when an earlier enrollment stopped before it got its
    /// certificate, else a new one, written 0600 before its CSR is sent anywhere.
    public func enrollmentKey() throws(AgentError) -> FleetPrivateKey {
        if let pem = try StateFile.readText(keyPath) {
            do {
                return try FleetPrivateKey(pem: pem)
            } catch {
                throw AgentError(code: .state, message: "\(keyPath): \(error.message)")
            }
        }
        let key = FleetPrivateKey()
        try StateFile.write(Data(key.pem.utf8), to: keyPath)
        return key
    }

    /// Stores the certificate the hub issued on enrollment for the key in `agent.key`, and the fleet CA.
    public func storeEnrollment(certificatePEM: String, caCertificatePEM: String) throws(AgentError) {
        try StateFile.write(Data(caCertificatePEM.utf8), to: caCertificatePath)
        try StateFile.write(Data(certificatePEM.utf8), to: certificatePath)
    }

    /// Replaces key and certificate after a renewal: both are written as `.new` files first, then renamed key
    /// first, so `loadCredential()` can always finish the switch.
    public func storeRenewal(_ credential: FleetCredential) throws(AgentError) {
        try StateFile.write(Data(credential.privateKeyPEM.utf8), to: pendingKeyPath)
        try StateFile.write(Data(credential.certificatePEM.utf8), to: pendingCertificatePath)
        try StateFile.move(pendingKeyPath, to: keyPath)
        try StateFile.move(pendingCertificatePath, to: certificatePath)
    }

    /// The cached policy, or nil when none was ever received; throws `state` for a file that does not decode.
    public func loadDesired() throws(AgentError) -> PolicyDocument? {
        guard let data = try StateFile.read(desiredPath) else { return nil }
        do {
            return try JSONCoding.decode(PolicyDocument.self, from: data)
        } catch {
            throw AgentError(code: .state, message: "\(desiredPath) is not a policy document: \(error)")
        }
    }

    /// Caches `document` as the policy to keep reconciling.
    public func storeDesired(_ document: PolicyDocument) throws(AgentError) {
        let data: Data
        do {
            data = try JSONCoding.encode(document, pretty: true)
        } catch {
            throw AgentError(code: .state, message: "cannot encode the policy of generation \(document.generation): \(error)")
        }
        try StateFile.write(data, to: desiredPath)
    }

    /// Rolls an interrupted `storeRenewal` forward when its new certificate matches the new key, and discards
    /// leftovers that cannot be used.
    private func finishInterruptedRenewal() throws(AgentError) {
        guard StateFile.exists(pendingCertificatePath) else {
            StateFile.remove(pendingKeyPath)
            return
        }
        let keyFile = StateFile.exists(pendingKeyPath) ? pendingKeyPath : keyPath
        let certificate = try StateFile.readText(pendingCertificatePath) ?? ""
        let key = try StateFile.readText(keyFile) ?? ""
        guard (try? FleetCredential(certificatePEM: certificate, privateKeyPEM: key)) != nil else {
            StateFile.remove(pendingCertificatePath)
            StateFile.remove(pendingKeyPath)
            return
        }
        if keyFile == pendingKeyPath { try StateFile.move(pendingKeyPath, to: keyPath) }
        try StateFile.move(pendingCertificatePath, to: certificatePath)
    }

    private func file(_ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }
}
