import FleetClient
import FleetPKI
import Foundation
import RegistryModel
import Testing

/// `regfleet policy get|set|patch` round trips through the real CLI and hub.
struct PolicyCommandTests {
    /// `policy get -o yaml` prints the same text twice, is accepted back by `policy set -f` (also from stdin),
    /// `set -f` replaces while `patch -f` merges, `--dry-run` writes nothing, and a file for another cluster is
    /// refused in one line.
    @Test func policiesRoundTrip() async throws {
        let fixture = try await CLIHub("policy-cli")
        func regfleet(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await fixture.run(arguments, input: input)
        }
        // A staged policy needs no enrolled cluster; it round-trips the same way.
        #expect(try await regfleet(["policy", "set", "edge-1", "--replicas", "2", "--schedule", "15 3 * * *"]).status == 0)
        let first = try await regfleet(["policy", "get", "edge-1", "-o", "yaml"])
        let second = try await regfleet(["policy", "get", "edge-1", "-o", "yaml"])
        #expect(first.status == 0 && first.stdout == second.stdout, "stable key order")
        #expect(first.stdout.contains("replicas: 2") && first.stdout.contains("cluster: edge-1"), "\(first.stdout)")

        let edited = first.stdout.replacingOccurrences(of: "replicas: 2", with: "replicas: 4")
        let path = fixture.directory.appendingPathComponent("policy.yaml")
        try edited.write(to: path, atomically: true, encoding: .utf8)
        let dry = try await regfleet(["policy", "set", "edge-1", "-f", path.path, "--dry-run"])
        #expect(dry.status == 0 && dry.stdout.contains("registry.replicas: 2 → 4"), "\(dry.stdout)\(dry.stderr)")
        #expect(try await regfleet(["policy", "get", "edge-1", "-o", "yaml"]).stdout == first.stdout, "a dry run writes nothing")
        let set = try await regfleet(["policy", "set", "edge-1", "-f", path.path])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("replicas: 4"))

        let replaced = try await regfleet(["policy", "set", "edge-1", "-f", "-"], input: "registry:\n  replicas: 5\n")
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.stdout.contains("replicas: 5") && !replaced.stdout.contains("schedule"), "set -f replaces: \(replaced.stdout)")

        let patched = try await regfleet(["policy", "patch", "edge-1", "-f", "-"], input: "pruner:\n  schedule: '30 4 * * *'\n")
        #expect(patched.status == 0, "\(patched.stderr)")
        #expect(patched.stdout.contains("replicas: 5") && patched.stdout.contains("30 4 * * *"), "patch merges: \(patched.stdout)")

        let foreign = try await regfleet(["policy", "set", "edge-1", "-f", "-"], input: "cluster: edge-2\nregistry:\n  replicas: 1\n")
        #expect(foreign.status != 0)
        #expect(foreign.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }.count == 1, "\(foreign.stderr)")
        #expect(foreign.stderr.contains("holds the policy of cluster \"edge-2\""), "\(foreign.stderr)")
        try await fixture.stop()
    }

    /// `policy edit` opens the policy in $EDITOR (here a script that edits the file as a person would) and
    /// writes back a change; an unchanged file writes nothing; a broken edit is refused with its place and kept.
    @Test func policyEditUsesTheEditor() async throws {
        let fixture = try await CLIHub("policy-edit")
        #expect(try await fixture.run(["policy", "set", "edge-1", "--replicas", "2"]).status == 0)
        let editor = { (script: String) in ["REGFLEET_EDITOR": "sed -i '\(script)'"] }
        func edit(_ environment: [String: String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await RegFleetProcess.run(["policy", "edit", "edge-1"] + fixture.connectionFlags, in: fixture.directory, environment: environment)
        }
        let changed = try await edit(editor("s/replicas: 2/replicas: 5/"))
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(try await fixture.admin.policy("edge-1").registry?.replicas == 5)
        let unchanged = try await edit(editor("s/nothing-matches-this//"))
        #expect(unchanged.status == 0 && unchanged.stdout.contains("edit cancelled: no changes made"), "\(unchanged.stdout)")
        let broken = try await edit(editor("s/replicas: 5/replicas: [5/"))
        #expect(broken.status != 0)
        #expect(broken.stderr.range(of: #"\.yaml:\d+:\d+: not valid YAML"#, options: .regularExpression) != nil, "file:line:column: \(broken.stderr)")
        #expect(broken.stderr.contains("your edit is kept in"), "\(broken.stderr)")
        #expect(broken.stderr.split(separator: "\n").count == 1, "\(broken.stderr)")
        #expect(try await fixture.admin.policy("edge-1").registry?.replicas == 5, "a broken edit writes nothing")
        let invalid = try await fixture.run(["policy", "set", "edge-1", "-f", "-"], input: "registry:\n  replicas: 3\n   readOnly: true\n")
        #expect(invalid.status != 0)
        #expect(invalid.stderr.contains("standard input:3:"), "the place of the error: \(invalid.stderr)")
        try await fixture.stop()
    }
}
