import Foundation
import ImagePruning
import Testing

/// The client over real TLS on loopback, trusting only the CA it is given.
@Suite struct RegistryTLSTests {
    /// With the CA file the registry answers; without it the handshake fails as `tlsFailure`,
    /// which stops a run.
    @Test func certificateAuthorityFileIsTheTrustRoot() async throws {
        let certificates = try TestCertificates.make()
        defer { certificates.remove() }
        let registry = try await LocalDockerRegistry.start(
            tls: LocalDockerRegistry.TLSFiles(
                certificateFile: certificates.serverCertificateFile, keyFile: certificates.serverKeyFile, certificateAuthorityFile: certificates.caFile))
        #expect(registry.endpoint.scheme == "https")

        let trusting = try RegistryV2Client(configuration: RegistryClientConfiguration(endpoint: registry.endpoint, certificateAuthorityFile: certificates.caFile))
        await #expect(throws: Never.self) { try await trusting.ping() }
        try await trusting.shutdown()

        let untrusting = try RegistryV2Client(configuration: RegistryClientConfiguration(endpoint: registry.endpoint))
        let error = await #expect(throws: RegistryError.self) { try await untrusting.ping() }
        try await untrusting.shutdown()
        #expect(error?.code == .tlsFailure)
        #expect(error?.isFatal == true)
        await registry.stop()
    }

    /// A CA file that holds no certificate is refused when the client is made, before any request.
    @Test func unreadableCertificateAuthorityIsAConfigurationError() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-ca-\(UUID().uuidString).pem")
        try Data("not a certificate\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let endpoint = try RegistryEndpoint(parsing: "https://127.0.0.1:1")
        let error = #expect(throws: RegistryError.self) {
            _ = try RegistryV2Client(configuration: RegistryClientConfiguration(endpoint: endpoint, certificateAuthorityFile: file.path))
        }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("--certificate-authority") == true)
    }
}
