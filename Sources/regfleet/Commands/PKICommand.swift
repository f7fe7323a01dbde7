import ArgumentParser
import FleetPKI
import Foundation

/// `regfleet pki`: creates and extends the fleet's certificate authority files.
struct PKICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Create the fleet CA, the hub certificate and admin certificates.",
        subcommands: [Init.self, IssueAdmin.self]
    )

    /// `regfleet pki init`: a new CA, hub server certificate and first admin certificate.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the CA, the hub's server certificate and a first admin client certificate."
        )

        @Option(name: .long, help: "Directory for ca.crt, ca.key, hub.crt, hub.key and admin-NAME.crt/.key.")
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

        @Option(name: .long, help: "Directory that `regfleet pki init` wrote.")
        var dir: String

        @Flag(name: .long, help: "Replace this admin's existing certificate and key.")
        var force = false

        func run() throws {
            PKIOutput.printCredential(try PKIDirectory(path: dir).issueAdmin(name: name, force: force, now: Date()))
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
