import ArgumentParser
import FleetClient
import FleetModel
import Foundation
import RegistryModel

/// `regfleet freeze set|ls|delete`: stop rollouts from changing part of the fleet for a while.
struct FreezeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freeze", abstract: "Change freezes: no rollout starts changing the clusters they select.",
        subcommands: [Set.self, List.self, Delete.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set (or replace) a freeze.",
            discussion: "Rollout waves wait on frozen clusters and say so; an admin's direct `policy set` still works. Without --for or --until it holds until deleted.")

        @Argument(help: "Freeze name (a DNS-1123 label).")
        var name: String

        @Option(name: [.customShort("l"), .long], help: "Label selector of the clusters to freeze, or * for the whole fleet.")
        var selector: String

        @Option(name: .long, help: "Why, for people.")
        var reason: String?

        @Option(name: .long, help: "Lift it after this Go duration (e.g. 48h).")
        var `for`: String?

        @Option(name: .long, help: "Lift it at this RFC 3339 time.")
        var until: String?

        @Option(name: [.short, .long], help: "Output: table, json or yaml.")
        var output: OutputFormat = .table

        @OptionGroup var connection: HubConnectionOptions

        func validate() throws {
            if `for` != nil && until != nil { throw ValidationError("use either --for or --until, not both") }
        }

        func run() async throws {
            var end: Date?
            if let duration = `for` { end = Date().addingTimeInterval(try HubCommand.seconds(duration, flag: "--for")) }
            if let until {
                guard let parsed = RFC3339.parse(until) else { throw ValidationFailure("--until: expected an RFC 3339 time such as 2026-12-24T00:00:00Z, got \"\(until)\"") }
                end = parsed
            }
            let freeze = try await HubAdminClient.with(connection) {
                try await $0.putFreeze(name, FreezeRequest(selector: selector, reason: reason, until: end))
            }
            if !output.isTable { return print(try DocumentFile.render(freeze, as: output)) }
            print("freeze \(freeze.name) set on \(freeze.selector)" + (freeze.until.map { " until \(RFC3339.format($0))" } ?? " until deleted"))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "Freezes and whether they hold now.", aliases: ["list"])

        @Option(name: [.short, .long], help: "Output: table, json or yaml.")
        var output: OutputFormat = .table

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let freezes = try await HubAdminClient.with(connection) { try await $0.freezes() }
            if !output.isTable { return print(try DocumentFile.render(FreezeList(freezes: freezes), as: output)) }
            let now = Date()
            print(
                TextTable.render(
                    header: ["NAME", "SELECTOR", "ACTIVE", "UNTIL", "BY", "REASON"],
                    rows: freezes.map {
                        [$0.name, $0.selector, $0.isActive(at: now) ? "yes" : "no", $0.until.map(RFC3339.format) ?? "deleted", $0.createdBy, $0.reason ?? ""]
                    }))
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a freeze.")

        @Argument(help: "Freeze name.", completion: HubCompletion.freezes)
        var name: String

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            _ = try await HubAdminClient.with(connection) { try await $0.deleteFreeze(name) }
            print("freeze \(name) lifted")
        }
    }
}
