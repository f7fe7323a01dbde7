import Foundation
import Testing

@Suite struct CommandLineErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "policy set without changes", arguments: ["policy", "set", "edge", "--pki-dir", "pki"], message: "nothing to set"),
        Case(name: "policy set with file and flags", arguments: ["policy", "set", "edge", "-f", "p.yaml", "--replicas", "2"], message: "either -f FILE or field flags"),
        Case(name: "hub with a bad address", arguments: ["hub", "--listen", "nowhere"], message: "--listen must be HOST:PORT"),
        Case(name: "hub with a bad lease", arguments: ["hub", "--listen", "127.0.0.1:0", "--lease", "soon"], message: "--lease"),
        Case(name: "token without credentials", arguments: ["token", "create", "--cluster", "edge"], message: "--pki-dir"),
        Case(name: "token with a bad ttl", arguments: ["token", "create", "--cluster", "edge", "--ttl", "1 hour"], message: "--ttl"),
        Case(name: "pki init twice", arguments: ["pki", "init", "--dir", "pki", "--hub-san", "localhost"], message: "already exists"),
        Case(name: "operator without a cluster", arguments: ["operator"], message: "--simulated"),
        Case(name: "agent with a plain-http replica", arguments: ["agent", "--hub", "https://a:8443,http://b:8443", "--cluster", "edge", "--ca-file", "ca.crt", "--state-dir", "s", "--simulated"], message: "is not an https:// URL"),
        Case(name: "admin command with an http hub URL", arguments: ["cluster", "ls", "--hub", "http://127.0.0.1:8443", "--pki-dir", "pki"], message: "--hub must be an https:// URL"),
        Case(name: "admin command with no hub running", arguments: ["cluster", "ls", "--hub", "https://127.0.0.1:1", "--pki-dir", "pki"], message: "connection refused; is the hub running at https://127.0.0.1:1?"),
        Case(name: "prune-results with a bad since", arguments: ["prune-results", "--since", "soon", "--pki-dir", "pki"], message: "--since must be a duration such as 1h or an RFC 3339 time"),
        Case(name: "agent with seconds for a duration", arguments: ["agent", "--cluster", "edge", "--state-dir", "s", "--simulated", "--report-interval", "15"], message: "--report-interval"),
        Case(name: "admin command with an unknown context", arguments: ["cluster", "ls", "--context", "prod"], message: "no context \"prod\""),
        Case(name: "admin command with no hub at all", arguments: ["fleet-policy", "ls"], message: "no hub to talk to"),
        Case(name: "freeze with both --for and --until", arguments: ["freeze", "set", "f", "-l", "*", "--for", "1h", "--until", "2030-01-01T00:00:00Z"], message: "either --for or --until"),
        Case(name: "bench replicas on SQLite", arguments: ["bench", "hub", "--replicas", "3"], message: "needs a shared database"),
        Case(name: "bench fleet replicas out of range", arguments: ["bench", "fleet", "--database", "postgres", "--replicas", "40"], message: "--replicas must be between 1 and 16"),
    ]

    /// Bad arguments give one readable error line and a non-zero exit, before doing anything.
    @Test(arguments: cases) func badArgumentsFailClearly(_ testCase: Case) async throws {
        let directory = try temporaryDirectory("cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try await RegFleetProcess.run(["pki", "init", "--dir", "pki", "--hub-san", "localhost"], in: directory)
        let result = try await RegFleetProcess.run(testCase.arguments, in: directory, environment: ["REGFLEET_PKI_DIR": ""])
        #expect(result.status != 0)
        let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errorLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(testCase.message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("regfleet-hub.sqlite").path))
    }
}
