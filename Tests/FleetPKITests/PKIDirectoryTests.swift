import FleetPKI
import Foundation
import Testing

struct PKIDirectoryTests {
    static let hubSANs = ["localhost", "127.0.0.1", "::1", "hub.example.com"]

    /// Init writes the CA, hub and admin files, keys 0600 and certificates 0644, and the loaders read them back.
    @Test func initializeWritesAllFiles() async throws {
        try await withTemporaryDirectory { path in
            let pki = PKIDirectory(path: path)
            let result = try pki.initialize(hubSANs: Self.hubSANs, adminName: "alice", now: Fixtures.now)
            #expect(result.admin.certificatePath == path + "/admin-alice.crt")
            #expect(result.hub.issued.identity == .hub)
            #expect(result.hubNames.ipAddresses == ["127.0.0.1", "::1"])
            for key in [pki.caPrivateKeyPath, pki.hubPrivateKeyPath, pki.adminPrivateKeyPath(name: "alice")] {
                #expect(try permissions(of: key) == 0o600, "\(key)")
            }
            for certificate in [pki.caCertificatePath, pki.hubCertificatePath, pki.adminCertificatePath(name: "alice")] {
                #expect(try permissions(of: certificate) == 0o644, "\(certificate)")
            }
            #expect(try permissions(of: path) == 0o700)
            let ca = try pki.loadCertificateAuthority()
            #expect(try pki.loadCACertificatePEM() == ca.certificatePEM)
            let hub = try pki.loadHubCredential()
            #expect(hub.identity == .hub)
            #expect(hub.certificate.isSignedBy(ca: ca.certificate))
            let admin = try pki.loadAdminCredential(name: "alice")
            #expect(admin.identity == .admin("alice"))
            #expect(admin.certificate.serialHex == result.admin.issued.serialHex)
            #expect(await Fixtures.verify(admin.certificate.certificate, root: ca.certificate))
        }
    }

    /// Every certificate init and issueAdmin make is valid at the instant they were made, even a fraction of a second past a whole second.
    @Test func certificatesAreValidWhenMade() async throws {
        try await withTemporaryDirectory { path in
            let pki = PKIDirectory(path: path)
            let now = Date(timeIntervalSince1970: 1_790_000_000.7)
            let result = try pki.initialize(hubSANs: Self.hubSANs, adminName: "alice", now: now)
            let second = try pki.issueAdmin(name: "bob", now: now)
            let ca = try pki.loadCertificateAuthority()
            for (name, notBefore) in [
                ("ca", ca.certificate.notValidBefore), ("hub", result.hub.issued.notBefore), ("admin", result.admin.issued.notBefore),
                ("second admin", second.issued.notBefore),
            ] {
                #expect(notBefore <= now, "\(name) starts at \(notBefore), after \(now)")
            }
            #expect(result.admin.issued.notAfter > now.addingTimeInterval(CertificateAuthority.defaultLeafLifetime - 1))
        }
    }

    /// A second init without force fails naming an existing file and changes nothing; with force it replaces all.
    @Test func initializeTwice() async throws {
        try await withTemporaryDirectory { path in
            let pki = PKIDirectory(path: path)
            try pki.initialize(hubSANs: ["localhost"], now: Fixtures.now)
            let files = [
                pki.caCertificatePath, pki.caPrivateKeyPath, pki.hubCertificatePath, pki.hubPrivateKeyPath,
                pki.adminCertificatePath(name: "admin"), pki.adminPrivateKeyPath(name: "admin"),
            ]
            let before = try files.map(contents(of:))

            let error = #expect(throws: PKIError.self) { try pki.initialize(hubSANs: ["localhost"], now: Fixtures.now) }
            #expect(error?.code == .alreadyExists)
            #expect(error?.path == pki.caPrivateKeyPath)
            #expect(error?.message.contains(pki.caPrivateKeyPath) == true)
            #expect(try files.map(contents(of:)) == before)

            try pki.initialize(hubSANs: ["localhost"], force: true, now: Fixtures.now)
            let after = try files.map(contents(of:))
            for index in files.indices { #expect(after[index] != before[index], "\(files[index])") }
            #expect(try permissions(of: pki.caPrivateKeyPath) == 0o600)
            #expect(try pki.loadHubCredential().certificate.isSignedBy(ca: pki.loadCertificateAuthority().certificate))
        }
    }

    /// When only one of the files exists, init refuses naming that file and creates none of the others.
    @Test func initializeWithOneFilePresent() async throws {
        try await withTemporaryDirectory { path in
            let pki = PKIDirectory(path: path)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try Data("old".utf8).write(to: URL(fileURLWithPath: pki.hubCertificatePath))
            let error = #expect(throws: PKIError.self) { try pki.initialize(hubSANs: ["localhost"], now: Fixtures.now) }
            #expect(error?.path == pki.hubCertificatePath)
            #expect(try FileManager.default.contentsOfDirectory(atPath: path) == ["hub.crt"])
        }
    }

    /// Bad input (admin name, hub name) is refused before anything is written.
    @Test func initializeRefusesBadInput() async {
        await withTemporaryDirectory { path in
            let pki = PKIDirectory(path: path)
            #expect(throws: PKIError(code: .invalidIdentity, message: "")) {
                try pki.initialize(hubSANs: ["localhost"], adminName: "Alice", now: Fixtures.now)
            }
            #expect(throws: PKIError(code: .invalidName, message: "")) {
                try pki.initialize(hubSANs: ["localhost", "bad_name"], now: Fixtures.now)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    /// issue-admin adds a verified admin credential, refuses to overwrite it without force and replaces it with force.
    @Test func issueAdmin() async throws {
        try await withTemporaryDirectory { path in
            let pki = PKIDirectory(path: path)
            try pki.initialize(hubSANs: ["localhost"], now: Fixtures.now)
            let written = try pki.issueAdmin(name: "bob", now: Fixtures.now)
            #expect(written.issued.identity == .admin("bob"))
            #expect(try permissions(of: pki.adminPrivateKeyPath(name: "bob")) == 0o600)
            #expect(try permissions(of: pki.adminCertificatePath(name: "bob")) == 0o644)
            let ca = try pki.loadCertificateAuthority()
            #expect(try pki.loadAdminCredential(name: "bob").certificate.isSignedBy(ca: ca.certificate))

            let before = try contents(of: pki.adminPrivateKeyPath(name: "bob"))
            #expect(throws: PKIError(code: .alreadyExists, message: "")) { try pki.issueAdmin(name: "bob", now: Fixtures.now) }
            #expect(try contents(of: pki.adminPrivateKeyPath(name: "bob")) == before)
            let replaced = try pki.issueAdmin(name: "bob", force: true, now: Fixtures.now)
            #expect(replaced.issued.serialHex != written.issued.serialHex)
            #expect(try contents(of: pki.adminPrivateKeyPath(name: "bob")) != before)
        }
    }

    /// issue-admin without an initialized PKI fails with notFound naming the CA file; a bad name is refused.
    @Test func issueAdminRefusals() async throws {
        try await withTemporaryDirectory { path in
            let pki = PKIDirectory(path: path)
            let error = #expect(throws: PKIError.self) { try pki.issueAdmin(name: "bob", now: Fixtures.now) }
            #expect(error?.code == .notFound)
            #expect(error?.path == pki.caCertificatePath)
            try pki.initialize(hubSANs: ["localhost"], now: Fixtures.now)
            #expect(throws: PKIError(code: .invalidIdentity, message: "")) { try pki.issueAdmin(name: "../evil", now: Fixtures.now) }
        }
    }

    /// A corrupted key file is reported with the files' names.
    @Test func corruptedKeyNamesFiles() async throws {
        try await withTemporaryDirectory { path in
            let pki = PKIDirectory(path: path)
            try pki.initialize(hubSANs: ["localhost"], now: Fixtures.now)
            try Data("garbage".utf8).write(to: URL(fileURLWithPath: pki.hubPrivateKeyPath))
            let error = #expect(throws: PKIError.self) { try pki.loadHubCredential() }
            #expect(error?.code == .invalidPEM)
            #expect(error?.message.contains(pki.hubPrivateKeyPath) == true)
        }
    }
}
