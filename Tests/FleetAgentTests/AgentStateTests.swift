import FleetAgent
import FleetModel
import FleetPKI
import Foundation
import RegistryModel
import Testing

struct AgentStateTests {
    /// The enrollment key is born 0600 in a 0700 directory and is reused until a certificate arrives.
    @Test func enrollmentKeyIsPrivateAndReused() async throws {
        try await withTemporaryDirectory { directory in
            let state = AgentState(directory: directory.path("state"))
            try state.prepare()
            #expect(try permissions(of: state.directory) == 0o700)
            let first = try state.enrollmentKey()
            #expect(try permissions(of: state.keyPath) == 0o600)
            let second = try state.enrollmentKey()
            #expect(first.pem == second.pem)
            #expect(try state.loadCredential() == nil)
        }
    }

    /// An enrollment's certificate and key load back as one credential, with the CA beside them.
    @Test func enrollmentRoundTrips() async throws {
        try await withTemporaryDirectory { directory in
            let credentials = try TestCredentials()
            let state = AgentState(directory: directory.path("state"))
            try state.prepare()
            let key = try state.enrollmentKey()
            let issued = try credentials.issue(cluster: "edge-1", key: key)
            try state.storeEnrollment(certificatePEM: issued.certificatePEM, caCertificatePEM: credentials.ca.certificatePEM)
            let loaded = try #require(try state.loadCredential())
            #expect(loaded.identity == .cluster("edge-1"))
            #expect(loaded.certificate.serialHex == issued.certificate.serialHex)
            #expect(try String(contentsOfFile: state.caCertificatePath, encoding: .utf8) == credentials.ca.certificatePEM)
            for path in [state.keyPath, state.certificatePath, state.caCertificatePath] {
                #expect(try permissions(of: path) == 0o600, "\(path)")
            }
        }
    }

    /// A renewal replaces both files; a renewal interrupted after either rename is finished on the next load.
    @Test(arguments: ["complete", "before the key rename", "between the renames"])
    func renewalSurvivesInterruption(stage: String) async throws {
        try await withTemporaryDirectory { directory in
            let credentials = try TestCredentials()
            let state = AgentState(directory: directory.path("state"))
            try state.prepare()
            let key = try state.enrollmentKey()
            try state.storeEnrollment(certificatePEM: try credentials.issue(cluster: "edge-1", key: key).certificatePEM, caCertificatePEM: credentials.ca.certificatePEM)
            let renewed = try credentials.issue(cluster: "edge-1")
            switch stage {
            case "complete":
                try state.storeRenewal(renewed)
            case "before the key rename":
                try writePrivate(renewed.privateKeyPEM, to: state.keyPath + ".new")
                try writePrivate(renewed.certificatePEM, to: state.certificatePath + ".new")
            default:
                try writePrivate(renewed.privateKeyPEM, to: state.keyPath)
                try writePrivate(renewed.certificatePEM, to: state.certificatePath + ".new")
            }
            let loaded = try #require(try state.loadCredential())
            #expect(loaded.certificate.serialHex == renewed.certificate.serialHex)
            #expect(!FileManager.default.fileExists(atPath: state.certificatePath + ".new"))
            #expect(!FileManager.default.fileExists(atPath: state.keyPath + ".new"))
            #expect(try permissions(of: state.keyPath) == 0o600)
        }
    }

    /// A renewal that stopped before its certificate was written leaves the old pair in force.
    @Test func renewalWithoutCertificateIsDiscarded() async throws {
        try await withTemporaryDirectory { directory in
            let credentials = try TestCredentials()
            let state = AgentState(directory: directory.path("state"))
            try state.prepare()
            let key = try state.enrollmentKey()
            let enrolled = try credentials.issue(cluster: "edge-1", key: key)
            try state.storeEnrollment(certificatePEM: enrolled.certificatePEM, caCertificatePEM: credentials.ca.certificatePEM)
            try writePrivate(FleetPrivateKey().pem, to: state.keyPath + ".new")
            #expect(try state.loadCredential()?.certificate.serialHex == enrolled.certificate.serialHex)
            #expect(!FileManager.default.fileExists(atPath: state.keyPath + ".new"))
        }
    }

    /// A certificate whose key was replaced by a foreign one is refused with a `state` error naming the files.
    @Test func mismatchedKeyIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let credentials = try TestCredentials()
            let state = AgentState(directory: directory.path("state"))
            try state.prepare()
            try state.storeEnrollment(certificatePEM: try credentials.issue(cluster: "edge-1").certificatePEM, caCertificatePEM: credentials.ca.certificatePEM)
            _ = try state.enrollmentKey()
            do throws(AgentError) {
                _ = try state.loadCredential()
                Issue.record("a certificate with a foreign key loaded")
            } catch {
                #expect(error.code == .state)
                #expect(error.message.contains("agent.crt"))
            }
        }
    }

    /// The cached policy survives a reload exactly, and a corrupt cache is a `state` error.
    @Test func desiredPolicyRoundTrips() async throws {
        try await withTemporaryDirectory { directory in
            let state = AgentState(directory: directory.path("state"))
            try state.prepare()
            #expect(try state.loadDesired() == nil)
            let document = PolicyDocument(
                cluster: "edge-1", generation: 7,
                policy: FleetPolicy(registry: RegistryPolicy(managementState: .managed, replicas: 2), pruner: PrunerPolicy(schedule: "0 3 * * *")),
                updatedBy: "admin/alice", updatedAt: Date(timeIntervalSince1970: 1_790_000_000))
            try state.storeDesired(document)
            #expect(try state.loadDesired() == document)
            try "{not json".write(toFile: state.desiredPath, atomically: true, encoding: .utf8)
            #expect(throws: AgentError(code: .state, message: "")) { try state.loadDesired() }
        }
    }
}

/// Writes a file 0600 as the agent does, to stage what an interrupted renewal leaves behind.
func writePrivate(_ text: String, to path: String) throws {
    try? FileManager.default.removeItem(atPath: path)
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
        throw CocoaError(.fileWriteUnknown)
    }
}
