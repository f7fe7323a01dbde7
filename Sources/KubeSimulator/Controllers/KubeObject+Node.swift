import Foundation
import KubeClient
import RegistryModel

/// What controllers read from a Node.
extension KubeObject {
    /// The node's Ready condition is True.
    var isNodeReady: Bool {
        field("status", "conditions")?.arrayValue?.contains { $0["type"]?.stringValue == "Ready" && $0["status"]?.stringValue == "True" } ?? false
    }

    /// Ready and not cordoned: new pods may be placed here.
    var isSchedulableNode: Bool { isNodeReady && field("spec", "unschedulable")?.boolValue != true }

    /// `status.allocatable.pods` (falling back to capacity), 110 when unset.
    var podCapacity: Int {
        let text = field("status", "allocatable", "pods")?.stringValue ?? field("status", "capacity", "pods")?.stringValue
        return text.flatMap { Int($0) } ?? 110
    }

    /// The node's InternalIP, reported as a pod's `hostIP`.
    var internalIP: String? {
        field("status", "addresses")?.arrayValue?.first { $0["type"]?.stringValue == "InternalIP" }?["address"]?.stringValue
    }
}
