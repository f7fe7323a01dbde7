import ArgumentParser
import Foundation
import KubeREST
import Logging
import RegistryOperator

/// `regfleet operator uninstall`: removes the operator, the registry and the install from a
/// cluster without hanging (see `OperatorUninstaller` for the order and what is kept).
struct OperatorUninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove the operator, the registry and the CRDs from a cluster.",
        discussion: """
            Stops the operator, deletes the APIService v1.image.alauda.io first, the registry's objects, \
            Config and ImagePruner (releasing the operator's finalizer), the CRDs, the operator's RBAC \
            and the namespace image-registry-system. Managed storage is deleted, as Removed deletes it; \
            Unmanaged storage is kept, and so is the namespace that holds it. Every wait has a deadline \
            (--timeout); a step that does not finish fails naming what blocks it.
            """
    )

    @Option(name: .long, help: "How long each step may wait (operator pods, CRDs, namespace), a Go duration.")
    var timeout: DurationArgument = "2m"

    @OptionGroup var cluster: KubeConnectionOptions

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard cluster.isSet else { throw ValidationError("choose a cluster: --kubeconfig FILE or --in-cluster") }
        guard timeout.seconds > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let logger = logging.makeLogger("operator-uninstall")
        let client = try cluster.makeClient(logger: logger)
        let report: UninstallReport
        do {
            report = try await OperatorUninstaller(api: client, logger: logger, timeout: .milliseconds(Int64(timeout.seconds * 1000))).uninstall()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
        for removed in report.removed { print("deleted  \(removed)") }
        for kept in report.kept { print("kept     \(kept)") }
        print(report.kept.isEmpty ? "uninstalled; nothing left behind" : "uninstalled; kept \(report.kept.count) object(s) listed above")
    }
}
