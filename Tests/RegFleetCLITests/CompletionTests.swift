import FleetClient
import FleetModel
import Foundation
import RegistryModel
import Testing

/// Shell completion as bash's generated script asks for it (`regfleet ---completion … -- positional@0 …`):
/// names come from the hub, filtered by what is typed; without a hub there are none and no error.
struct CompletionTests {
    @Test func namesCompleteFromTheHub() async throws {
        let hub = try await CLIHub("completion")
        for name in ["edge-1", "edge-2", "core-1"] { await (try await hub.enroll(name)).shutdown() }
        _ = try await hub.admin.applyFleetPolicy("pruning", FleetPolicySpec(selector: "*", template: FleetPolicy(pruner: PrunerPolicy(schedule: "0 3 * * *"))))
        func complete(_ command: [String], typed: String, flags: [String]) async throws -> [String] {
            let words = ["regfleet"] + command + flags + [typed]
            let result = try await RegFleetProcess.run(
                ["---completion"] + command + ["--", "positional@0", String(words.count - 1), String(typed.count)] + words, in: hub.directory,
                environment: ["REGFLEET_HUB": "", "REGFLEET_PKI_DIR": ""])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.split(separator: "\n").map(String.init)
        }
        #expect(try await complete(["cluster", "describe"], typed: "ed", flags: hub.connectionFlags) == ["edge-1", "edge-2"])
        #expect(try await complete(["policy", "get"], typed: "", flags: hub.connectionFlags) == ["core-1", "edge-1", "edge-2"])
        #expect(try await complete(["fleet-policy", "describe"], typed: "p", flags: hub.connectionFlags) == ["pruning"])
        #expect(try await complete(["cluster", "describe"], typed: "ed", flags: ["--hub", "https://127.0.0.1:1", "--pki-dir", "pki"]).isEmpty)
        let script = try await RegFleetProcess.run(["--generate-completion-script", "bash"], in: hub.directory)
        #expect(script.status == 0 && script.stdout.contains("---completion cluster describe"))
        try await hub.stop()
    }
}
