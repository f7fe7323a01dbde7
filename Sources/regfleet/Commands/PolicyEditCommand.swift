import ArgumentParser
import FleetClient
import Foundation
import RegistryModel

extension PolicyCommand {
    /// `regfleet policy edit NAME`: the policy in an editor, written back when it changed (as `kubectl edit`).
    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Edit a cluster's policy in $EDITOR and write it back when it changed.",
            discussion: """
                Opens what `policy get -o yaml` prints in $REGFLEET_EDITOR, else $VISUAL, else $EDITOR, else vi. Saved \
                unchanged (or emptied), nothing is written. The write replaces the policy, guarded by the generation \
                that was opened: a change made meanwhile by someone else is refused, not overwritten. A file that \
                does not parse is kept and its path printed, so no edit is lost.
                """)

        @Argument(help: "Cluster name.", completion: HubCompletion.clusters)
        var name: String

        @OptionGroup var write: PolicyWriteOptions

        func run() async throws {
            try await HubAdminClient.with(write.connection) { client in
                let current = try await PolicyFile.current(name, client: client)
                let original = try DocumentFile.render(current, as: .yaml)
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("regfleet-policy-\(name)-\(UUID().uuidString.prefix(8)).yaml")
                try Data(original.utf8).write(to: file)
                try Self.runEditor(on: file.path)
                let edited = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
                if edited == original || edited.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try? FileManager.default.removeItem(at: file)
                    return print("edit cancelled: no changes made")
                }
                let parsed: PolicyFile
                do {
                    parsed = try PolicyFile.load(file.path, cluster: name)
                } catch {
                    throw ValidationFailure("\(error) (your edit is kept in \(file.path); fix it and run regfleet policy set \(name) -f \(file.path))")
                }
                var request = parsed.request
                request.generation = request.generation ?? current.generation
                try await write.send(request, to: name, current: current, client: client)
                try? FileManager.default.removeItem(at: file)
            }
        }

        /// Runs the user's editor on `path` and waits for it; a non-zero exit is an error.
        static func runEditor(on path: String) throws {
            let environment = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
            let editor = environment["REGFLEET_EDITOR"] ?? environment["VISUAL"] ?? environment["EDITOR"] ?? "vi"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            // Through the shell, so an editor given with arguments ("code --wait") works; the path is quoted.
            process.arguments = ["-c", "\(editor) '\(path.replacingOccurrences(of: "'", with: "'\\''"))'"]
            process.standardInput = FileHandle.standardInput
            process.standardOutput = FileHandle.standardOutput
            process.standardError = FileHandle.standardError
            do {
                try process.run()
            } catch {
                throw ValidationFailure("cannot start the editor \"\(editor)\": \(error.localizedDescription); set $EDITOR")
            }
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw ValidationFailure("the editor \"\(editor)\" exited with status \(process.terminationStatus); nothing written")
            }
        }
    }
}
