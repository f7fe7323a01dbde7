import Foundation
import Testing

/// `regfleet config` contexts with real processes against a real hub: a context says which hub and
/// credential; flags and environment override it; without any, the CLI says there is no hub instead of
/// guessing one; connection flags work before the subcommand too.
@Suite(.serialized) struct ConfigCommandTests {
    @Test func contextsChooseTheHubAndFlagsOverrideThem() async throws {
        let hub = try await CLIHub("config-cli")
        let directory = hub.directory
        func regfleet(_ arguments: [String], environment: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await RegFleetProcess.run(arguments, in: directory, environment: environment.merging(["REGFLEET_HUB": "", "REGFLEET_PKI_DIR": ""]) { $1 })
        }
        let none = try await regfleet(["cluster", "ls"])
        #expect(none.status != 0)
        #expect(none.stderr.contains("no hub to talk to: give --hub URL"), "\(none.stderr)")
        #expect(none.stderr.split(separator: "\n").count == 1, "one line, no usage: \(none.stderr)")

        let set = try await regfleet(["config", "set-context", "lab", "--hub", hub.baseURL, "--pki-dir", "pki"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("context \"lab\" set (current)"))
        #expect(try await regfleet(["config", "set-context", "other", "--hub", "https://127.0.0.1:1", "--pki-dir", "pki"]).status == 0)
        let contexts = try await regfleet(["config", "get-contexts"])
        let rows = contexts.stdout.split(separator: "\n")
        #expect(rows.contains { $0.hasPrefix("*") && $0.contains("lab") && $0.contains(hub.baseURL) }, "\(contexts.stdout)")
        #expect(rows.contains { !$0.hasPrefix("*") && $0.contains("other") })
        #expect(try await regfleet(["config", "current-context"]).stdout == "lab\n")

        let viaContext = try await regfleet(["cluster", "ls"])
        #expect(viaContext.status == 0, "the current context reaches the hub: \(viaContext.stderr)")
        #expect(viaContext.stdout.hasPrefix("NAME"))

        let refused = try await regfleet(["--context", "other", "cluster", "ls"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("is the hub running at https://127.0.0.1:1?"), "a global flag before the subcommand: \(refused.stderr)")
        let flagWins = try await regfleet(["--context", "other", "--hub", hub.baseURL, "cluster", "ls"])
        #expect(flagWins.status == 0, "--hub beats the context: \(flagWins.stderr)")
        let environmentWins = try await regfleet(["cluster", "ls"], environment: ["REGFLEET_CONTEXT": "other"])
        #expect(environmentWins.stderr.contains("127.0.0.1:1"), "$REGFLEET_CONTEXT beats the current context: \(environmentWins.stderr)")

        let unknown = try await regfleet(["config", "use-context", "nope"])
        #expect(unknown.status != 0 && unknown.stderr.contains("no context \"nope\""), "\(unknown.stderr)")
        #expect(try await regfleet(["config", "use-context", "other"]).status == 0)
        #expect(try await regfleet(["config", "current-context"]).stdout == "other\n")
        #expect(try await regfleet(["config", "delete-context", "other"]).status == 0)
        #expect(try await regfleet(["config", "current-context"]).status != 0, "deleting the current context unsets it")
        let notHTTPS = try await regfleet(["config", "set-context", "plain", "--hub", "http://127.0.0.1:8443"])
        #expect(notHTTPS.status != 0 && notHTTPS.stderr.contains("https://"))
        #expect(!(try await regfleet(["config", "view"])).stdout.contains("plain"), "a refused context is not stored")
        try await hub.stop()
    }

    /// A host name the hub's certificate does not hold: the error lists the names it does hold. A second hub
    /// on a taken port: the error says the address is in use and which process holds it.
    @Test func nameMismatchAndPortInUseSayWhatIsThere() async throws {
        let directory = try temporaryDirectory("names-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try await RegFleetProcess.run(["pki", "init", "--dir", "pki", "--hub-san", "hub.test"], in: directory).status == 0)
        let (hub, port) = try await RegFleetProcess.startHub(in: directory)
        let mismatch = try await RegFleetProcess.run(
            ["cluster", "ls", "--hub", "https://127.0.0.1:\(port)", "--pki-dir", "pki"], in: directory, environment: ["REGFLEET_HUB": ""])
        #expect(mismatch.status != 0)
        #expect(mismatch.stderr.contains("does not name 127.0.0.1"), "\(mismatch.stderr)")
        #expect(mismatch.stderr.contains("(it names hub.test;"), "the names the certificate holds: \(mismatch.stderr)")
        #expect(mismatch.stderr.split(separator: "\n").count == 1)
        let second = try RegFleetProcess(["hub", "--listen", "127.0.0.1:\(port)", "--database", "other.sqlite", "--pki-dir", "pki"], in: directory)
        let status = try await second.wait()
        #expect(status != 0)
        #expect(second.standardError.contains("could not listen on 127.0.0.1:\(port)"), "\(second.standardError)")
        // Who holds it comes from /proc, which does not always say (another user's process, a container's view):
        // then the hint names the tool that does.
        let said = second.standardError.lowercased()
        #expect(
            said.contains("address already in use, held by regfleet (pid \(hub.process.pid))") || said.contains("address already in use (another process listens there; ss -ltnp shows which)"),
            "\(second.standardError)")
        hub.signal(SIGTERM)
        #expect(try await hub.wait() == 0)
    }
}
