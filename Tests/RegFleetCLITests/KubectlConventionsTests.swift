import FleetClient
import Foundation
import RegistryModel
import Testing

/// The kubectl habits the admin CLI follows, with real processes: `-o wide|name`, `--limit`, one name per
/// concept (`--pki-dir` for the PKI everywhere, `--registry-log-level` for the registry's), unknown names
/// are errors.
struct KubectlConventionsTests {
    @Test func outputsLimitsNamesAndUnknownActors() async throws {
        let hub = try await CLIHub("kubectl-habits")
        for name in ["a-1", "b-1", "c-1"] { await (try await hub.enroll(name, labels: ["env": "prod"])).shutdown() }
        let wide = try await hub.run(["cluster", "ls", "-o", "wide"])
        #expect(wide.status == 0 && wide.stdout.split(separator: "\n").first?.contains("AGENT") == true, "\(wide.stdout)")
        let limited = try await hub.run(["cluster", "ls", "--limit", "2", "-o", "name"])
        #expect(limited.stdout == "a-1\nb-1\n", "\(limited.stdout)")
        #expect(try await hub.run(["cluster", "ls", "--limit", "0"]).status != 0)

        let staged = try await hub.run(["policy", "set", "a-1", "--registry-log-level", "Debug"])
        #expect(staged.status == 0, "\(staged.stderr)")
        #expect(try await hub.admin.policy("a-1").registry?.logLevel == "Debug")

        let issued = try await RegFleetProcess.run(["pki", "issue-admin", "carol", "--pki-dir", "pki"], in: hub.directory)
        #expect(issued.status == 0 && issued.stdout.contains("admin-carol.crt"), "\(issued.stderr)")

        let badActor = try await hub.run(["audit", "--actor", "alice"])
        #expect(badActor.status != 0 && badActor.stderr.contains("use admin/NAME"), "\(badActor.stderr)")
        let unknownCluster = try await hub.run(["audit", "--actor", "cluster/nope"])
        #expect(unknownCluster.status != 0 && unknownCluster.stderr.contains("nope"), "\(unknownCluster.stderr)")
        let known = try await hub.run(["audit", "--actor", "admin/admin"])
        #expect(known.status == 0, "\(known.stderr)")
        try await hub.stop()
    }
}
