import ArgumentParser
import FleetClient
import FleetModel
import FleetPKI
import Foundation
import RegistryModel

/// `regfleet pki`: creates and extends the fleet's certificate authority files.
struct PKICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Create the fleet CA, the hub certificate and admin certificates.",
        subcommands: [Init.self, IssueAdmin.self, RevokeAdmin.self]
    )

    /// `regfleet pki init`: a new CA, hub server certificate and first admin certificate.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the CA, the hub's server certificate and a first admin client certificate."
        )

        @Option(name: [.customLong("pki-dir"), .customLong("dir")], help: "Directory for ca.crt, ca.key, hub.crt, hub.key and admin-NAME.crt/.key (the --pki-dir of every other command).")
        var dir: String

        @Option(
            name: .customLong("hub-san"),
            help: "Names the hub is reached by, comma-separated or repeated: DNS names and IP addresses (localhost,127.0.0.1,::1).")
        var hubSANs: [String]

        @Option(name: .long, help: "Name of the first admin (a DNS-1123 label).")
        var admin: String = "admin"

        @Flag(name: .long, help: "Replace existing PKI files (every certificate signed by the old CA stops working).")
        var force = false

        func run() throws {
            let names = hubSANs.flatMap { $0.split(separator: ",").map(String.init) }
            let result = try PKIDirectory(path: dir).initialize(hubSANs: names, adminName: admin, force: force, now: Date())
            print("wrote \(result.caCertificatePath) (CA certificate, expires \(PKIOutput.date(result.caNotAfter)))")
            print("wrote \(result.caPrivateKeyPath) (CA key, mode 0600; keep it with the hub only)")
            PKIOutput.printCredential(result.hub)
            print("  hub names: \((result.hubNames.dnsNames + result.hubNames.ipAddresses).joined(separator: ", "))")
            PKIOutput.printCredential(result.admin)
        }
    }

    /// `regfleet pki issue-admin NAME`: one more admin client certificate from the existing CA.
    struct IssueAdmin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue-admin",
            abstract: "Issue a client certificate for another admin with the existing CA."
        )

        @Argument(help: "Name of the admin (a DNS-1123 label).")
        var name: String

        @Option(name: [.customLong("pki-dir"), .customLong("dir")], help: "Directory that `regfleet pki init` wrote.")
        var dir: String

        @Flag(name: .long, help: "Replace this admin's existing certificate and key.")
        var force = false

        func run() throws {
            PKIOutput.printCredential(try PKIDirectory(path: dir).issueAdmin(name: name, force: force, now: Date()))
        }
    }
}

extension PKICommand {
    /// `regfleet pki revoke-admin NAME`: the hub refuses that admin's certificate from now on.
    struct RevokeAdmin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-admin",
            abstract: "Revoke an admin's certificate at the hub (it is refused from the next request on, on every replica).",
            discussion: "Reads the serial from PKI-DIR/admin-NAME.crt and tells the hub, as the admin of the connection flags (another admin: no one revokes the certificate they call with). Audited. Issue a new one with pki issue-admin NAME --force.")

        @Argument(help: "Name of the admin whose certificate to revoke.")
        var name: String

        @Option(name: .long, help: "Why, for the audit log.")
        var reason: String?

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            guard let directory = connection.pkiDir ?? ProcessInfo.processInfo.environment["REGFLEET_PKI_DIR"] else {
                throw ValidationFailure("say where admin-\(name).crt is: --pki-dir DIR")
            }
            let pki = PKIDirectory(path: directory)
            let certificate = try PeerCertificate(pem: try HubConnectionOptions.read(pki.adminCertificatePath(name: name), what: "certificate of admin \(name)"))
            guard certificate.identity == FleetIdentity.admin(name) else {
                throw ValidationFailure("\(pki.adminCertificatePath(name: name)) is the certificate of \(certificate.identity), not of admin \(name)")
            }
            let result = try await HubAdminClient.with(connection) {
                try await $0.revokeCertificate(CertificateRevocationRequest(serial: certificate.serialHex, reason: reason))
            }
            print("admin \(name)'s certificate (serial \(result.serial)) \(result.newlyRevoked ? "revoked" : "was already revoked")")
        }
    }
}

/// How `regfleet pki` reports what it wrote.
private enum PKIOutput {
    static func printCredential(_ written: WrittenCredential) {
        let issued = written.issued
        print("wrote \(written.certificatePath) (\(issued.identity.uri), serial \(issued.serialHex), expires \(date(issued.notAfter)))")
        print("wrote \(written.privateKeyPath) (key of \(issued.identity), mode 0600)")
    }

    static func date(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
