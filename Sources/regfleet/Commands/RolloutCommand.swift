import ArgumentParser
import FleetAPI
import FleetClient
import FleetModel
import Foundation
import RegistryModel

/// `regfleet rollout create|status|describe|ls|pause|resume|abort|rollback`.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout", abstract: "Staged, health-gated policy changes across the fleet.",
        subcommands: [Create.self, Status.self, Describe.self, List.self, Control.Pause.self, Control.Resume.self, Control.Abort.self, Control.Rollback.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start a rollout from a plan file (YAML or JSON).")

        @Option(name: .shortAndLong, help: "Rollout plan file.")
        var file: String

        @Flag(name: .long, help: "Show each cluster's diff and the waves; change nothing.")
        var dryRun = false

        @Flag(name: .long, help: "Confirm that switching clusters to Removed deletes operator-managed storage and its image data.")
        var acknowledgeDataLoss = false

        @Option(name: [.short, .long], help: "Output: table, json or yaml.")
        var output: OutputFormat = .table

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            var plan = try DocumentFile.load(RolloutPlan.self, path: file)
            if acknowledgeDataLoss { plan.acknowledgeDataLoss = true }
            if dryRun || plan.dryRun == true {
                let preview = try await HubAdminClient.with(connection) { try await $0.previewRollout(plan) }
                if !output.isTable { return print(try DocumentFile.render(preview, as: output)) }
                print(RolloutText.preview(preview))
                return
            }
            let rollout = try await HubAdminClient.with(connection) { try await $0.createRollout(plan) }
            if !output.isTable { return print(try DocumentFile.render(rollout, as: output)) }
            print("rollout \(rollout.id) created: \(rollout.clusters.count) cluster(s) in \(rollout.waves.count) wave(s)")
            print("follow it with: regfleet rollout status \(rollout.id) --watch")
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A rollout's progress per wave; --watch follows it until it ends.",
            discussion: "With --watch the exit status is 0 only when the rollout Succeeded, so a pipeline can gate on it (as kubectl rollout status does).")

        @Argument(help: "Rollout id or name.", completion: HubCompletion.rollouts)
        var id: String

        @Flag(name: [.short, .long], help: "Redraw until the rollout is no longer active; exit non-zero unless it Succeeded.")
        var watch = false

        @Option(name: .long, help: "Time between redraws with --watch, a Go duration.")
        var interval: DurationArgument = "2s"

        @Option(name: [.short, .long], help: "Output: table, json or yaml.")
        var output: OutputFormat = .table

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            try await HubAdminClient.with(connection) { client in
                while true {
                    let rollout = try await client.rollout(id)
                    if !output.isTable {
                        print(try DocumentFile.render(rollout, as: output))
                    } else {
                        if watch { TextTable.clearScreen() }
                        print(RolloutText.status(rollout))
                    }
                    guard watch else { return }
                    if !rollout.phase.isActive {
                        guard rollout.phase == .succeeded else {
                            StandardError.write("rollout \(rollout.id) ended \(rollout.phase.rawValue)\(rollout.message.map { ": \($0)" } ?? "")\n")
                            throw ExitCode.failure
                        }
                        return
                    }
                    try await Task.sleep(for: .milliseconds(Int64(interval.seconds * 1000)))
                }
            }
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One rollout for people: the plan, the strategy, every wave with each cluster's state and why, and its audit events.")

        @Argument(help: "Rollout id or name.", completion: HubCompletion.rollouts)
        var id: String

        @OptionGroup var connection: HubConnectionOptions

        func run() async throws {
            let (rollout, events) = try await HubAdminClient.with(connection) { client in
                let rollout = try await client.rollout(id)
                let events = try await client.audit(limit: 500).filter { $0.target == rollout.id || $0.actor == "rollout/\(rollout.id)" }
                return (rollout, events)
            }
            print(RolloutText.describe(rollout, events: events))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "Rollouts, newest first.", aliases: ["list"])

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
            static let action = RolloutAction.pause
            @Argument(help: "Rollout id or name.", completion: HubCompletion.rollouts) var id: String
            @OptionGroup var connection: HubConnectionOptions
        }
        struct Resume: ControlCommand {
            static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused rollout.")
            static let action = RolloutAction.resume
            @Argument(help: "Rollout id or name.", completion: HubCompletion.rollouts) var id: String
            @OptionGroup var connection: HubConnectionOptions
        }
        struct Abort: ControlCommand {
            static let configuration = CommandConfiguration(commandName: "abort", abstract: "Abort: stop here; changes already made stay.")
            static let action = RolloutAction.abort
            @Argument(help: "Rollout id or name.", completion: HubCompletion.rollouts) var id: String
            @OptionGroup var connection: HubConnectionOptions
        }
        struct Rollback: ControlCommand {
            static let configuration = CommandConfiguration(
                commandName: "rollback", abstract: "Roll back: restore the previous policy on every cluster the rollout touched.")
            static let action = RolloutAction.rollback
            @Argument(help: "Rollout id or name.", completion: HubCompletion.rollouts) var id: String
            @OptionGroup var connection: HubConnectionOptions
        }
    }
}

/// A rollout control subcommand: one action on one rollout.
protocol ControlCommand: AsyncParsableCommand {
    static var action: RolloutAction { get }
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
        let selector = rollout.plan.selector == RolloutPlan.allClusters || rollout.plan.selector.isEmpty ? "(all clusters)" : rollout.plan.selector
        lines.append("  change: \(changeSummary(rollout.plan.change))  selector: \(selector)")
        lines.append("")
        for (index, wave) in rollout.waves.enumerated() {
            let clusters = rollout.clusters(inWave: index)
            let counts = WaveCounts(clusters)
            lines.append(String(format: "  %-8@ %@ %@", wave as NSString, bar(counts), counts.summary(rolloutActive: rollout.phase.isActive)))
            for cluster in clusters where [.applying, .soaking, .failed, .aborted].contains(cluster.state) {
                lines.append("      \(cluster.name): \(cluster.state.rawValue) — \(cluster.message ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `rollout describe`: the plan and strategy, then every cluster by wave with its state and why.
    static func describe(_ rollout: Rollout, events: [AuditEntry]) -> String {
        let strategy = rollout.plan.strategy
        var lines = [
            "Name:       \(rollout.name ?? "<none>") (\(rollout.id))",
            "Phase:      \(rollout.phase.rawValue)" + (rollout.message.map { " — \($0)" } ?? ""),
            "Created:    \(RFC3339.format(rollout.createdAt)) by \(rollout.createdBy); updated \(RFC3339.format(rollout.updatedAt))",
            "Selector:   " + (rollout.plan.selector == RolloutPlan.allClusters ? "* (every cluster)" : rollout.plan.selector),
            "Change:     \(changeSummary(rollout.plan.change))",
            "Source:     " + (rollout.source.map { "fleet-policy/\($0.fleetPolicy ?? "-") generation \($0.generation.map(String.init) ?? "-")" } ?? "admin"),
            "Strategy:   canary \(strategy.canary.map { $0.count.map { "\($0) cluster(s)" } ?? $0.selector ?? "-" } ?? "none"), "
                + "waves of \(strategy.maxConcurrency), soak \(strategy.soakSeconds)s, deadline \(strategy.progressDeadlineSeconds)s, "
                + "maxFailures \(strategy.maxFailures), auto-rollback \(strategy.autoRollback ? "on" : "off")",
        ]
        for (index, wave) in rollout.waves.enumerated() {
            let clusters = rollout.clusters(inWave: index)
            lines.append("\n\(wave): " + WaveCounts(clusters).summary(rolloutActive: rollout.phase.isActive))
            lines += TextTable.render(
                header: ["CLUSTER", "STATE", "GENERATION", "MESSAGE"],
                rows: clusters.map { [$0.name, $0.state.rawValue, $0.targetGeneration.map(String.init) ?? "-", $0.message ?? ""] }
            ).split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        }
        lines.append("\nEvents:")
        let controls = events.filter { $0.action == "rollout.control" || $0.action == "rollout.create" }
        let writes = events.filter { $0.action == "policy.update" }
        for event in controls.prefix(10) { lines.append("  \(RFC3339.format(event.at))  \(event.action)  by \(event.actor)") }
        lines.append("  \(writes.count) policy write(s) by rollout/\(rollout.id)")
        return lines.joined(separator: "\n")
    }

    /// How a wave's clusters ended or stand, each outcome apart.
    struct WaveCounts {
        var total = 0, succeeded = 0, failed = 0, rolledBack = 0, aborted = 0, inProgress = 0, pending = 0

        init(_ clusters: [RolloutCluster]) {
            total = clusters.count
            for cluster in clusters {
                switch cluster.state {
                case .succeeded: succeeded += 1
                case .failed: failed += 1
                case .rolledBack: rolledBack += 1
                case .aborted: aborted += 1
                case .applying, .soaking: inProgress += 1
                case .pending: pending += 1
                }
            }
        }

        /// "1/3 succeeded, 1 failed, 1 in progress"; pending clusters of an ended rollout never started.
        func summary(rolloutActive: Bool) -> String {
            var parts = ["\(succeeded)/\(total) succeeded"]
            if failed > 0 { parts.append("\(failed) failed") }
            if rolledBack > 0 { parts.append("\(rolledBack) rolled back") }
            if aborted > 0 { parts.append("\(aborted) aborted") }
            if inProgress > 0 { parts.append("\(inProgress) in progress") }
            if pending > 0, !rolloutActive { parts.append("\(pending) not started") }
            return parts.joined(separator: ", ")
        }
    }

    /// `[██✗↺!▒···]`: succeeded, failed, rolled back, aborted, in progress, not yet started.
    static func bar(_ counts: WaveCounts, width: Int = 24) -> String {
        guard counts.total > 0 else { return "[" + String(repeating: " ", count: width) + "]" }
        var cells = ""
        for (count, glyph) in [(counts.succeeded, "█"), (counts.failed, "✗"), (counts.rolledBack, "↺"), (counts.aborted, "!"), (counts.inProgress, "▒")] {
            let wanted = Int((Double(count) / Double(counts.total) * Double(width)).rounded())
            cells += String(repeating: glyph, count: min(count > 0 ? max(wanted, 1) : 0, width - cells.count))
        }
        return "[" + cells + String(repeating: "·", count: width - cells.count) + "]"
    }

    static func changeSummary(_ change: FleetPolicy) -> String {
        FleetPolicy().diff(to: change).map { "\($0.path)=\($0.to.map { describe($0) } ?? "null")" }.joined(separator: " ")
    }

    static func describe(_ value: JSONValue) -> String { value.displayText }

    static func preview(_ preview: RolloutPreview) -> String {
        var lines = ["dry run — nothing changed"]
        for wave in preview.waves {
            lines.append("\n\(wave.name): \(wave.clusters.count) cluster(s), each must be healthy on the change within \(GoDuration(nanoseconds: Int64(wave.progressDeadlineSeconds) * 1_000_000_000))")
            for cluster in wave.clusters {
                let changes = cluster.changes.map { "\($0.path): \($0.from.map(describe) ?? "-") → \($0.to.map(describe) ?? "-")" }.joined(separator: ", ")
                lines.append("  \(cluster.cluster) (generation \(cluster.generation)): \(changes.isEmpty ? "no change" : changes)")
            }
        }
        if !preview.warnings.isEmpty {
            lines.append("\nwarnings:")
            for warning in preview.warnings {
                lines.append("  \(warning.cluster) (\(warning.wave)) is \(warning.state.rawValue): \(warning.message)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
