import Foundation
import KubeClient
import RegistryModel

/// Rules for a pod spec wherever it appears (Pods, and templates of workloads).
enum PodSpecValidation {
    /// Which restart policies the owning kind accepts.
    enum RestartPolicies {
        /// Pods: any of Always, OnFailure, Never.
        case pod
        /// Deployments, DaemonSets, StatefulSets, ReplicaSets: Always only.
        case always
        /// Jobs and CronJobs: OnFailure or Never, and it must be set.
        case job
    }

    /// Causes for the pod spec at `path` (e.g. `spec.template.spec`).
    static func causes(_ spec: JSONValue?, path: String, restartPolicies: RestartPolicies) -> [KubeError.Cause] {
        var causes: [KubeError.Cause] = []
        var names = Set<String>()
        let containers = spec?["containers"]?.arrayValue ?? []
        if containers.isEmpty { causes.append(FieldCause.required("\(path).containers")) }
        for (group, list) in [("initContainers", spec?["initContainers"]?.arrayValue ?? []), ("containers", containers)] {
            for (index, container) in list.enumerated() {
                let prefix = "\(path).\(group)[\(index)]"
                let name = container["name"]?.stringValue ?? ""
                if name.isEmpty {
                    causes.append(FieldCause.required("\(prefix).name"))
                } else if !NameRule.label.problems(name).isEmpty {
                    causes.append(FieldCause.invalid("\(prefix).name", .string(name), NameRule.labelMessage))
                } else if !names.insert(name).inserted {
                    causes.append(FieldCause.duplicate("\(prefix).name", name))
                }
                let image = container["image"]?.stringValue ?? ""
                if image.trimmingCharacters(in: .whitespaces).isEmpty { causes.append(FieldCause.required("\(prefix).image")) }
            }
        }
        let policy = spec?["restartPolicy"]?.stringValue
        switch restartPolicies {
        case .pod:
            if let policy, !["Always", "OnFailure", "Never"].contains(policy) {
                causes.append(FieldCause.unsupported("\(path).restartPolicy", policy, supported: ["Always", "OnFailure", "Never"]))
            }
        case .always:
            if let policy, policy != "Always" {
                causes.append(FieldCause.unsupported("\(path).restartPolicy", policy, supported: ["Always"]))
            }
        case .job:
            if let policy {
                if !["OnFailure", "Never"].contains(policy) {
                    causes.append(FieldCause.unsupported("\(path).restartPolicy", policy, supported: ["OnFailure", "Never"]))
                }
            } else {
                causes.append(FieldCause.required("\(path).restartPolicy", "valid values: \"OnFailure\", \"Never\""))
            }
        }
        return causes
    }

    /// A non-negative integer field, when present.
    static func nonNegative(_ value: JSONValue?, _ field: String) -> [KubeError.Cause] {
        guard let value, let number = value.intValue, number < 0 else { return [] }
        return [FieldCause.invalid(field, value, "must be greater than or equal to 0")]
    }
}
