import FleetClient
import Foundation
import RegistryModel
import Testing

/// `regfleet fleet-policy`, `freeze` and `policy get --effective` as real processes against a real hub.
@Suite(.serialized) struct FleetPolicyCommandTests {
    static var examples: URL { FleetExamplesTests.root.appendingPathComponent("fleet-policies") }

    /// The example fleet policies apply; a cluster that enrolls afterwards shows each field's source; ls,
    /// describe and get follow kubectl habits; `get -o yaml` applies again unchanged.
    @Test func fleetPoliciesApplyListDescribeAndShowProvenance() async throws {
        let hub = try await CLIHub("fleet-policy-cli")
        for file in ["base-pruning", "prod-registries"] {
            let applied = try await hub.run(["fleet-policy", "apply", "-f", Self.examples.appendingPathComponent("\(file).yaml").path])
            #expect(applied.status == 0, "\(applied.stderr)")
            #expect(applied.stdout.contains("fleet policy \(file) applied (generation 1)"), "\(applied.stdout)")
        }
        let agent = try await hub.enroll("eu-prod-1", labels: ["env": "prod", "region": "eu"])
        await agent.shutdown()
        let effective = try await hub.run(["policy", "get", "--effective", "eu-prod-1"])
        #expect(effective.status == 0, "\(effective.stderr)")
        #expect(effective.stdout.contains("fleet policies: prod-registries, base-pruning"), "\(effective.stdout)")
        let rows = effective.stdout.split(separator: "\n")
        #expect(rows.contains { $0.contains("registry.replicas") && $0.contains("3") && $0.contains("fleet-policy/prod-registries") })
        #expect(rows.contains { $0.contains("pruner.schedule") && $0.contains("0 4 * * *") && $0.contains("(override region=eu)") })
        #expect(effective.stdout.contains("Windows: 0 2 * * 6 for 4h (Europe/Berlin)"))

        let list = try await hub.run(["fleet-policy", "ls"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("NAME") == true)
        #expect(lines.contains { $0.hasPrefix("prod-registries") && $0.contains("env=prod") && $0.contains("10") })
        let describe = try await hub.run(["fleet-policy", "describe", "prod-registries"])
        #expect(describe.stdout.contains("Clusters:   1 matched, 0 still to change"), "\(describe.stdout)")
        #expect(describe.stdout.contains("Strategy:   canary 1 cluster(s), waves of 10%"))

        let yaml = try await hub.run(["fleet-policy", "get", "prod-registries", "-o", "yaml"])
        #expect(yaml.status == 0)
        let again = try await hub.run(["fleet-policy", "apply", "-f", "-"], input: yaml.stdout)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("(generation 1)"), "the same spec keeps its generation: \(again.stdout)")

        let preview = try await hub.run(
            ["fleet-policy", "apply", "--dry-run", "-f", "-"],
            input: "name: more-replicas\nselector: env=prod\npriority: 50\ntemplate:\n  registry:\n    replicas: 5\n")
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("registry.replicas: 3 -> 5"), "\(preview.stdout)")
        #expect(!(try await hub.run(["fleet-policy", "ls"])).stdout.contains("more-replicas"), "a dry run stores nothing")

        let misspelled = try await hub.run(["fleet-policy", "apply", "-f", "-"], input: "name: x\nselector: '*'\ntempalte: {}\n")
        #expect(misspelled.status != 0)
        #expect(misspelled.stderr.contains("tempalte: unknown field"), "\(misspelled.stderr)")
        #expect(misspelled.stderr.split(separator: "\n").count == 1, "one line: \(misspelled.stderr)")
        let missing = try await hub.run(["fleet-policy", "describe", "nope"])
        #expect(missing.status != 0 && missing.stderr.contains("fleet policy \"nope\" does not exist"), "\(missing.stderr)")

        #expect(try await hub.run(["fleet-policy", "delete", "prod-registries"]).status == 0)
        #expect(try await hub.admin.fleetPolicies().map(\.name) == ["base-pruning"])
        try await hub.stop()
    }

    /// `freeze set`, `ls` and `delete`; an invalid selector is refused in one line.
    @Test func freezesAreSetListedAndLifted() async throws {
        let hub = try await CLIHub("freeze-cli")
        let set = try await hub.run(["freeze", "set", "release", "-l", "env=prod", "--reason", "release weekend", "--for", "48h"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("freeze release set on env=prod until "))
        let list = try await hub.run(["freeze", "ls"])
        #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix("release") && $0.contains("yes") && $0.contains("release weekend") }, "\(list.stdout)")
        let bad = try await hub.run(["freeze", "set", "bad", "-l", "env in ("])
        #expect(bad.status != 0)
        #expect(bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")
        #expect(try await hub.run(["freeze", "delete", "release"]).stdout.contains("freeze release lifted"))
        #expect(try await hub.admin.freezes().isEmpty)
        try await hub.stop()
    }
}
