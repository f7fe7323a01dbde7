import Foundation

/// The fleet PKI as files in one directory — `ca.crt`, `ca.key`, `hub.crt`, `hub.key`, `admin-NAME.crt`,
/// `admin-NAME.key` — shared by `regfleet pki`, the hub (CA and server credential) and the admin CLI.
///
/// Keys are created 0600 and certificates 0644; nothing is ever overwritten without `force`.
public struct PKIDirectory: Sendable {
    /// The directory holding the files.
    public let path: String

    /// Refers to `path`; nothing is read or created until a method is called.
    public init(path: String) {
        self.path = path
    }

    /// The CA certificate, the trust root of hub and agents.
    public var caCertificatePath: String { file("ca.crt") }
    /// The CA private key, which only the hub reads.
    public var caPrivateKeyPath: String { file("ca.key") }
    /// The hub's TLS server certificate.
    public var hubCertificatePath: String { file("hub.crt") }
    /// The hub's TLS server key.
    public var hubPrivateKeyPath: String { file("hub.key") }
    /// An admin's client certificate.
    public func adminCertificatePath(name: String) -> String { file("admin-\(name).crt") }
    /// An admin's client key.
    public func adminPrivateKeyPath(name: String) -> String { file("admin-\(name).key") }

    /// How far certificates made here are back-dated, as the hub back-dates agent certificates:
    /// X.509 times have whole seconds (a fractional start rounds up, into the future) and peers'
    /// clocks differ, so a certificate must be valid the moment it is written.
    public static let clockSkewAllowance: TimeInterval = 300

    /// The notBefore of a certificate made at `now`.
    static func validFrom(_ now: Date) -> Date { now.addingTimeInterval(-clockSkewAllowance) }

    /// Creates the CA, the hub server certificate for `hubSANs` (IP literals become IP SANs, the rest must be
    /// DNS names) and a first admin client certificate. Without `force`, throws `alreadyExists` naming the
    /// first file present and changes nothing; with `force`, replaces the files (other admins' files stay and
    /// no longer verify against the new CA).
    @discardableResult
    public func initialize(hubSANs: [String], adminName: String = "admin", force: Bool = false, now: Date) throws(PKIError)
        -> PKIInitialization
    {
        let adminIdentity = try FleetIdentity(role: .admin, name: adminName)
        let names = try ServerNames(parsing: hubSANs)
        let start = Self.validFrom(now)
        let allowance = Self.clockSkewAllowance
        let ca = try CertificateAuthority.create(now: start, lifetime: CertificateAuthority.defaultLifetime + allowance)
        let hubKey = FleetPrivateKey()
        let hub = try ca.issueServerCertificate(
            names: names, publicKey: hubKey.publicKey, now: start, lifetime: CertificateAuthority.defaultLeafLifetime + allowance)
        let adminKey = FleetPrivateKey()
        let admin = try ca.issueClientCertificate(
            for: adminIdentity, publicKey: adminKey.publicKey, now: start, lifetime: CertificateAuthority.defaultLeafLifetime + allowance)
        try writeAll(
            [
                PendingFile(path: caPrivateKeyPath, contents: ca.privateKeyPEM, mode: SecureFile.privateMode),
                PendingFile(path: caCertificatePath, contents: ca.certificatePEM, mode: SecureFile.publicMode),
                PendingFile(path: hubPrivateKeyPath, contents: hubKey.pem, mode: SecureFile.privateMode),
                PendingFile(path: hubCertificatePath, contents: hub.pem, mode: SecureFile.publicMode),
                PendingFile(path: adminPrivateKeyPath(name: adminName), contents: adminKey.pem, mode: SecureFile.privateMode),
                PendingFile(path: adminCertificatePath(name: adminName), contents: admin.pem, mode: SecureFile.publicMode),
            ], force: force)
        return PKIInitialization(
            caCertificatePath: caCertificatePath, caPrivateKeyPath: caPrivateKeyPath, caNotAfter: ca.notAfter, hubNames: names,
            hub: WrittenCredential(certificatePath: hubCertificatePath, privateKeyPath: hubPrivateKeyPath, issued: hub),
            admin: WrittenCredential(
                certificatePath: adminCertificatePath(name: adminName), privateKeyPath: adminPrivateKeyPath(name: adminName),
                issued: admin))
    }

    /// Issues another admin client certificate with the existing CA; `alreadyExists` without `force` when
    /// that admin's files exist, `notFound` when the PKI was never initialized.
    @discardableResult
    public func issueAdmin(name: String, force: Bool = false, now: Date) throws(PKIError) -> WrittenCredential {
        let identity = try FleetIdentity(role: .admin, name: name)
        guard SecureFile.exists(caCertificatePath) else {
            throw PKIError(
                code: .notFound, message: "no fleet CA in \(path): \(caCertificatePath) does not exist; initialize the PKI first",
                path: caCertificatePath)
        }
        let ca = try loadCertificateAuthority()
        let key = FleetPrivateKey()
        let issued = try ca.issueClientCertificate(
            for: identity, publicKey: key.publicKey, now: Self.validFrom(now), lifetime: CertificateAuthority.defaultLeafLifetime + Self.clockSkewAllowance)
        let written = WrittenCredential(
            certificatePath: adminCertificatePath(name: name), privateKeyPath: adminPrivateKeyPath(name: name), issued: issued)
        try writeAll(
            [
                PendingFile(path: written.privateKeyPath, contents: key.pem, mode: SecureFile.privateMode),
                PendingFile(path: written.certificatePath, contents: issued.pem, mode: SecureFile.publicMode),
            ], force: force)
        return written
    }

    /// The CA with its key, for the hub to issue agent certificates.
    public func loadCertificateAuthority() throws(PKIError) -> CertificateAuthority {
        let certificatePEM = try SecureFile.read(caCertificatePath)
        let privateKeyPEM = try SecureFile.read(caPrivateKeyPath)
        return try naming([caCertificatePath, caPrivateKeyPath]) { () throws(PKIError) in
            try CertificateAuthority(certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM)
        }
    }

    /// The CA certificate PEM alone: the trust root for TLS peers.
    public func loadCACertificatePEM() throws(PKIError) -> String {
        try SecureFile.read(caCertificatePath)
    }

    /// The hub's server certificate and key.
    public func loadHubCredential() throws(PKIError) -> FleetCredential {
        try loadCredential(certificatePath: hubCertificatePath, privateKeyPath: hubPrivateKeyPath)
    }

    /// An admin's client certificate and key.
    public func loadAdminCredential(name: String) throws(PKIError) -> FleetCredential {
        _ = try FleetIdentity(role: .admin, name: name)
        return try loadCredential(certificatePath: adminCertificatePath(name: name), privateKeyPath: adminPrivateKeyPath(name: name))
    }

    private func loadCredential(certificatePath: String, privateKeyPath: String) throws(PKIError) -> FleetCredential {
        let certificatePEM = try SecureFile.read(certificatePath)
        let privateKeyPEM = try SecureFile.read(privateKeyPath)
        return try naming([certificatePath, privateKeyPath]) { () throws(PKIError) in
            try FleetCredential(certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM)
        }
    }

    /// Prefixes a parse error with the files it came from, so the message says which files to look at.
    private func naming<T>(_ paths: [String], _ body: () throws(PKIError) -> T) throws(PKIError) -> T {
        do throws(PKIError) {
            return try body()
        } catch {
            throw PKIError(code: error.code, message: "\(paths.joined(separator: ", ")): \(error.message)", path: paths[0])
        }
    }

    private func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }

    /// Writes every file or none: without `force`, refuses up front if any exists and removes the files it
    /// created when a later one fails.
    private func writeAll(_ files: [PendingFile], force: Bool) throws(PKIError) {
        if !force, let existing = files.first(where: { SecureFile.exists($0.path) }) {
            throw SecureFile.alreadyExists(existing.path)
        }
        try SecureFile.makeDirectory(path)
        var created: [String] = []
        do throws(PKIError) {
            for file in files {
                try SecureFile.write(file.contents, to: file.path, mode: file.mode, replace: force)
                created.append(file.path)
            }
        } catch {
            if !force { created.forEach(SecureFile.remove) }
            throw error
        }
    }
}

/// One file `PKIDirectory` is about to write.
private struct PendingFile {
    let path: String
    let contents: String
    let mode: mode_t
}

/// A certificate and key that were written, for the CLI to report.
public struct WrittenCredential: Sendable {
    /// Where the certificate went (mode 0644).
    public let certificatePath: String
    /// Where the private key went (mode 0600).
    public let privateKeyPath: String
    /// The certificate's identity, serial and validity.
    public let issued: IssuedCertificate
}

/// What `PKIDirectory.initialize` wrote.
public struct PKIInitialization: Sendable {
    /// The CA certificate file.
    public let caCertificatePath: String
    /// The CA key file.
    public let caPrivateKeyPath: String
    /// When the CA expires.
    public let caNotAfter: Date
    /// The DNS names and IP addresses the hub certificate is valid for.
    public let hubNames: ServerNames
    /// The hub's server certificate and key.
    public let hub: WrittenCredential
    /// The first admin's client certificate and key.
    public let admin: WrittenCredential
}
