import Foundation
import KubeClient
import RegistryModel
import RegistryOperator

/// Takes a simulated cluster through Managed → Removed → Managed, printing what the operator did
/// at each step and how long it took to settle.
struct OperatorWalkthrough {
    let api: any KubernetesAPI
    let refresh: Double

    func run() async throws {
        print("▶ Managed: bootstrapping Config/cluster and ImagePruner/cluster, creating the registry runtime")
        try await waitUntil("Available=True, Progressing=False, Degraded=False") { $0.isHealthy }
        print("\n▶ Removed: stopping the registry (its operator-managed PVC is deleted with it)")
        try await setState(.removed)
        try await waitUntil("Removed=True and the runtime deployments gone") { summary in
            summary.conditions.has("Removed", .true) && summary.conditions.has("Progressing", .false)
                && !summary.workloads.contains { $0.kind == "Deployment" && $0.present }
        }
        print("\n▶ Managed again: everything is recreated (with a new, empty PVC)")
        try await setState(.managed)
        try await waitUntil("Available=True, Progressing=False, Degraded=False") { $0.isHealthy }
        print("\nWalkthrough complete.")
    }

    private func setState(_ state: ManagementState) async throws {
        _ = try await api.modify(Config.self, name: RegistryNames.singleton) { $0.spec.managementState = state }
    }

    private func waitUntil(_ goal: String, timeout: TimeInterval = 120, _ done: (OperatorStatusSummary) -> Bool) async throws {
        let start = Date()
        var lastPrinted = ""
        while true {
            if let summary = try? await OperatorStatusSummary.read(from: api) {
                let line = summary.conditions.filter { ["Available", "Progressing", "Degraded", "Removed"].contains($0.type) }
                    .map { "\($0.type)=\($0.status.rawValue)(\($0.reason ?? ""))" }.joined(separator: " ")
                if line != lastPrinted {
                    print(String(format: "  %5.1fs  %@", Date().timeIntervalSince(start), line))
                    lastPrinted = line
                }
                if done(summary) {
                    print(OperatorStatusText.render(summary, title: String(format: "  ✓ %@ after %.1fs", goal, Date().timeIntervalSince(start))))
                    return
                }
            }
            if Date().timeIntervalSince(start) > timeout {
                throw ValidationFailure("the operator did not reach \(goal) within \(Int(timeout))s")
            }
            try await Task.sleep(for: .milliseconds(Int64(refresh * 250)))
        }
    }
}

extension OperatorStatusSummary {
    /// Available=True, Progressing=False, Degraded=False and caught up.
    var isHealthy: Bool {
        conditions.has("Available", .true) && conditions.has("Progressing", .false) && conditions.has("Degraded", .false)
            && observedGeneration == generation
    }
}
