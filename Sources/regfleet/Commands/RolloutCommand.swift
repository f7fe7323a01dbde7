import ArgumentParser
import FleetClient
import Foundation
import RegistryModel

/// `regfleet rollout create|status|ls|pause|resume|abort|rollback`.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout", abstract: "Staged, health-gated policy changes across the fleet.",
        subcommands: [Create.self, Status.self, List.self, Control.Pause.self, Control.Resume.self, Control.Abort.self, Control.Rollback.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a rollout from a plan file (YAML or JSON).")

        @Option(name: .shortAndLong, help: "Rollout plan file.")
        var file: String

        @Flag(name: .long, help: "Show each cluster's diff and the waves; change nothing.")
        var dryRun = false

        @Flag(name: .long, help: "Confirm that switching clusters to Removed deletes operator-managed storage and its image data.")
        var acknowledgeDataLoss = false

        @Option(name: .long, help: "Output: table, json or yaml.")
        var output: OutputFormat = .table

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            var plan = try DocumentFile.load(RolloutPlan.self, path: file)
            if acknowledgeDataLoss { plan.acknowledgeDataLoss = true }
            if dryRun || plan.dryRun == true {
                let preview = try await HubAdminClient.with(connection) { try await $0.previewRollout(plan) }
                if output != .table { return print(try DocumentFile.render(preview, as: output)) }
                print(RolloutText.preview(preview))
                return
            }
            let rollout = try await HubAdminClient.with(connection) { try await $0.createRollout(plan) }
            if output != .table { return print(try DocumentFile.render(rollout, as: output)) }
            print("rollout \(rollout.id) created: \(rollout.clusters.count) cluster(s) in \(rollout.waves.count) wave(s)")
            print("follow it with: regfleet rollout status \(rollout.id) --watch")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A rollout's progress per wave; --watch follows it until it ends.")

        @Argument(help: "Rollout id.")
        var id: String

        @Flag(name: .long, help: "Redraw until the rollout is no longer active.")
        var watch = false

        @Option(name: .long, help: "Seconds between redraws with --watch.")
        var interval: Double = 2

        @Option(name: .long, help: "Output: table, json or yaml.")
        var output: OutputFormat = .table

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            try await HubAdminClient.with(connection) { client in
                while true {
                    let rollout = try await client.rollout(id)
                    if output != .table {
                        print(try DocumentFile.render(rollout, as: output))
                    } else {
                        if watch { TextTable.clearScreen() }
                        print(RolloutText.status(rollout))
                    }
                    guard watch, rollout.phase.isActive else { return }
                    try await Task.sleep(for: .milliseconds(Int64(interval * 1000)))
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "Rollouts, newest first.")

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let rollouts = try await HubAdminClient.with(connection) { try await $0.rollouts() }
            print(
                TextTable.render(
                    header: ["ID", "NAME", "PHASE", "CLUSTERS", "SUCCEEDED", "FAILED", "CREATED", "BY"],
                    rows: rollouts.map { rollout in
                        [
                            rollout.id, rollout.name ?? "", rollout.phase.rawValue, String(rollout.clusters.count),
                            String(rollout.clusters.filter { $0.state == .succeeded }.count), String(rollout.failures), RFC3339.format(rollout.createdAt),
                            rollout.createdBy,
                        ]
                    }))
        }
    }

    /// pause, resume, abort, rollback.
    enum Control {
        struct Pause: ControlCommand {
            static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause: no new wave starts (clusters in flight finish).")
            static let action = "pause"
            @Argument(help: "Rollout id.") var id: String
            @OptionGroup var connection: HubConnectionOptions
        }
        struct Resume: ControlCommand {
            static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused rollout.")
            static let action = "resume"
            @Argument(help: "Rollout id.") var id: String
            @OptionGroup var connection: HubConnectionOptions
        }
        struct Abort: ControlCommand {
            static let configuration = CommandConfiguration(commandName: "abort", abstract: "Abort: stop here; changes already made stay.")
            static let action = "abort"
            @Argument(help: "Rollout id.") var id: String
            @OptionGroup var connection: HubConnectionOptions
        }
        struct Rollback: ControlCommand {
            static let configuration = CommandConfiguration(
                commandName: "rollback", abstract: "Roll back: restore the previous policy on every cluster the rollout touched.")
            static let action = "rollback"
            @Argument(help: "Rollout id.") var id: String
            @OptionGroup var connection: HubConnectionOptions
        }
    }
}

/// A rollout control subcommand: one action on one rollout.
protocol ControlCommand: AsyncParsableCommand {
    static var action: String { get }
    var id: String { get }
    var connection: HubConnectionOptions { get }
}

extension ControlCommand {
    func run() async throws {
        let rollout = try await HubAdminClient.with(connection) { try await $0.controlRollout(id, action: Self.action) }
        print("rollout \(rollout.id): \(rollout.phase.rawValue)\(rollout.message.map { " — \($0)" } ?? "")")
    }
}

/// Rollouts as text, with a progress bar per wave.
enum RolloutText {
    static func status(_ rollout: Rollout) -> String {
        var lines = ["rollout \(rollout.id)\(rollout.name.map { " (\($0))" } ?? ""): \(rollout.phase.rawValue)"]
        if let message = rollout.message { lines.append("  \(message)") }
        lines.append("  change: \(changeSummary(rollout.plan.change))  selector: \(rollout.plan.selector.isEmpty ? "(all)" : rollout.plan.selector)")
        lines.append("")
        for (index, wave) in rollout.waves.enumerated() {
            let clusters = rollout.clusters(inWave: index)
            let done = clusters.filter { [.succeeded, .rolledBack].contains($0.state) }.count
            let failed = clusters.filter { $0.state == .failed }.count
            let active = clusters.filter { [.applying, .soaking].contains($0.state) }.count
            lines.append(String(format: "  %-8@ %@ %d/%d succeeded%@%@", wave as NSString, bar(done: done, failed: failed, active: active, total: clusters.count),
                done, clusters.count, failed > 0 ? ", \(failed) failed" : "", active > 0 ? ", \(active) in progress" : ""))
            for cluster in clusters where [.applying, .soaking, .failed].contains(cluster.state) {
                lines.append("      \(cluster.name): \(cluster.state.rawValue) — \(cluster.message ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func bar(done: Int, failed: Int, active: Int, total: Int, width: Int = 24) -> String {
        guard total > 0 else { return "[" + String(repeating: " ", count: width) + "]" }
        let scale = { (count: Int) in Int((Double(count) / Double(total) * Double(width)).rounded()) }
        let doneCells = scale(done)
        let failedCells = min(scale(failed), width - doneCells)
        let activeCells = min(scale(active), width - doneCells - failedCells)
        return "[" + String(repeating: "█", count: doneCells) + String(repeating: "✗", count: failedCells) + String(repeating: "▒", count: activeCells)
            + String(repeating: "·", count: width - doneCells - failedCells - activeCells) + "]"
    }

    static func changeSummary(_ change: FleetPolicy) -> String {
        FleetPolicy().diff(to: change).map { "\($0.path)=\($0.to.map { describe($0) } ?? "null")" }.joined(separator: " ")
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return String(flag)
        case .double(let number): return String(number)
        default: return "\(value)"
        }
    }

    static func preview(_ preview: RolloutPreview) -> String {
        var lines = ["dry run — nothing changed"]
        for wave in preview.waves {
            lines.append("\n\(wave.name): \(wave.clusters.count) cluster(s)")
            for cluster in wave.clusters {
                let changes = cluster.changes.map { "\($0.path): \($0.from.map(describe) ?? "-") → \($0.to.map(describe) ?? "-")" }.joined(separator: ", ")
                lines.append("  \(cluster.cluster) (generation \(cluster.generation)): \(changes.isEmpty ? "no change" : changes)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
