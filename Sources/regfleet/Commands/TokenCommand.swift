import ArgumentParser
import FleetClient
import FleetModel
import Foundation
import RegistryModel

/// `regfleet token create`: a bootstrap token for one cluster's agent.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Bootstrap tokens for enrolling agents.", subcommands: [Create.self, List.self, Revoke.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "Tokens, newest first, with their state (never their secrets).", aliases: ["list"])

        @Option(name: .long, help: "Only this cluster's tokens.")
        var cluster: String?

        @Option(name: [.short, .long], help: "Output: table, json or yaml.")
        var output: OutputFormat = .table

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let tokens = try await HubAdminClient.with(connection) { try await $0.tokens(cluster: cluster) }
            if !output.isTable { return print(try DocumentFile.render(TokenList(tokens: tokens), as: output)) }
            print(
                TextTable.render(
                    header: ["ID", "CLUSTER", "STATE", "EXPIRES", "CREATED BY", "LABELS"],
                    rows: tokens.map { token in
                        [
                            token.id, token.cluster, token.state, RFC3339.format(token.expiresAt), token.createdBy,
                            token.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","),
                        ]
                    }))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an unused token by its id (from token ls): it can no longer enroll.")

        @Argument(help: "Token id (12 hex digits).")
        var id: String

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            try await HubAdminClient.with(connection) { try await $0.revokeToken(id: id) }
            print("token \(id) revoked")
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a single-use, expiring token for a cluster.")

        @Option(name: .long, help: "Cluster name (a DNS-1123 label).")
        var cluster: String

        @Option(name: .long, help: "Lifetime as a Go duration (default 1h).")
        var ttl: String = "1h"

        @Option(name: .long, help: "Labels the cluster gets when it enrolls: k=v,k2=v2.")
        var labels: String?

        @Option(name: [.short, .long], help: "Output: table, name (the token alone, nothing on stderr), json or yaml.")
        var output: OutputFormat = .table

        @Flag(name: [.short, .long], help: "Print only the token (the same as -o name).")
        var quiet = false

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let seconds = try HubCommand.seconds(ttl, flag: "--ttl")
            let labelMap = try LabelArguments.parse(labels.map { $0.split(separator: ",").map(String.init) } ?? [])
            let token = try await HubAdminClient.with(connection) {
                try await $0.createToken(TokenRequest(cluster: cluster, ttlSeconds: Int(seconds), labels: labelMap.isEmpty ? nil : labelMap))
            }
            if quiet || output == .name {
                print(token.token)
            } else if output.isTable {
                // stdout holds the token alone, so `--from-literal=token="$(regfleet token create …)"` stores
                // exactly the token; what it is for goes to stderr, as kubeadm does.
                StandardError.write("token for cluster \(token.cluster): single use, expires \(RFC3339.format(token.expiresAt))\n")
                print(token.token)
            } else {
                print(try DocumentFile.render(token, as: output))
            }
        }
    }
}

/// `k=v` arguments.
enum LabelArguments {
    static func parse(_ items: [String]) throws -> [String: String] {
        var labels: [String: String] = [:]
        for item in items where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("labels must be KEY=VALUE, got \"\(item)\"") }
            labels[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return labels
    }
}
