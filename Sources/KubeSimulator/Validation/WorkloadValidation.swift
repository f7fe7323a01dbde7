import KubeClient
import RegistryModel

/// Rules for apps/v1 and batch/v1 workloads.
enum WorkloadValidation {
    /// Deployment: selector, matching template, containers, replicas, strategy; selector immutable.
    static func deployment(_ object: KubeObject, old: KubeObject?) -> [KubeError.Cause] {
        let spec = object.fields["spec"]
        var causes = selectorAndTemplate(spec, kind: "deployment", restartPolicies: .always)
        causes += PodSpecValidation.nonNegative(spec?["replicas"], "spec.replicas")
        if let type = spec?["strategy"]?["type"]?.stringValue, !["Recreate", "RollingUpdate"].contains(type) {
            causes.append(FieldCause.unsupported("spec.strategy.type", type, supported: ["Recreate", "RollingUpdate"]))
        }
        if let deadline = spec?["progressDeadlineSeconds"], let seconds = deadline.intValue,
            seconds <= (spec?["minReadySeconds"]?.intValue ?? 0)
        {
            causes.append(FieldCause.invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"))
        }
        causes += PodSpecValidation.nonNegative(spec?["minReadySeconds"], "spec.minReadySeconds")
        causes += immutableSelector(spec, old: old)
        return causes
    }

    /// DaemonSet: selector, matching template, containers, update strategy; selector immutable.
    static func daemonSet(_ object: KubeObject, old: KubeObject?) -> [KubeError.Cause] {
        let spec = object.fields["spec"]
        var causes = selectorAndTemplate(spec, kind: "daemonset", restartPolicies: .always)
        if let type = spec?["updateStrategy"]?["type"]?.stringValue, !["OnDelete", "RollingUpdate"].contains(type) {
            causes.append(FieldCause.unsupported("spec.updateStrategy.type", type, supported: ["OnDelete", "RollingUpdate"]))
        }
        causes += immutableSelector(spec, old: old)
        return causes
    }

    /// StatefulSet and ReplicaSet: selector and matching template (they are stored, not run).
    static func replicatedTemplate(_ object: KubeObject, old: KubeObject?) -> [KubeError.Cause] {
        let spec = object.fields["spec"]
        return selectorAndTemplate(spec, kind: object.kind.lowercased(), restartPolicies: .always)
            + PodSpecValidation.nonNegative(spec?["replicas"], "spec.replicas") + immutableSelector(spec, old: old)
    }

    /// Job: restart policy OnFailure/Never, containers, counts; selector and template immutable.
    static func job(_ object: KubeObject, old: KubeObject?) -> [KubeError.Cause] {
        let spec = object.fields["spec"]
        var causes = PodSpecValidation.causes(spec?["template"]?["spec"], path: "spec.template.spec", restartPolicies: .job)
        for field in ["parallelism", "completions", "backoffLimit", "activeDeadlineSeconds"] {
            causes += PodSpecValidation.nonNegative(spec?[field], "spec.\(field)")
        }
        if let selector = spec?["selector"], !selector.isEmptySelector {
            let labels = spec?["template"]?["metadata"]?["labels"]?.stringMap ?? [:]
            if !selector.labelSelector.matches(labels) {
                causes.append(
                    FieldCause.invalid(
                        "spec.template.metadata.labels", .object(labels.mapValues { .string($0) }), "`selector` does not match template `labels`"))
            }
        }
        if let old {
            let oldSpec = old.fields["spec"]
            if !(spec?["selector"] ?? .null).semanticallyEquals(oldSpec?["selector"] ?? .null) {
                causes.append(FieldCause.immutable("spec.selector", spec?["selector"] ?? .null))
            }
            if !(spec?["template"] ?? .null).semanticallyEquals(oldSpec?["template"] ?? .null) {
                causes.append(FieldCause.immutable("spec.template", spec?["template"] ?? .null))
            }
        }
        return causes
    }

    /// CronJob: a valid schedule and policy, name short enough for its Jobs, a valid Job template.
    static func cronJob(_ object: KubeObject) -> [KubeError.Cause] {
        let spec = object.fields["spec"]
        var causes: [KubeError.Cause] = []
        if object.metadata.name.utf8.count > 52 {
            causes.append(FieldCause.invalid("metadata.name", .string(object.metadata.name), "must be no more than 52 characters"))
        }
        if let schedule = spec?["schedule"]?.stringValue, !schedule.isEmpty {
            do {
                _ = try CronSchedule(schedule)
            } catch {
                causes.append(FieldCause.invalid("spec.schedule", .string(schedule), error.message))
            }
        } else {
            causes.append(FieldCause.required("spec.schedule"))
        }
        if let policy = spec?["concurrencyPolicy"]?.stringValue, !["Allow", "Forbid", "Replace"].contains(policy) {
            causes.append(FieldCause.unsupported("spec.concurrencyPolicy", policy, supported: ["Allow", "Forbid", "Replace"]))
        }
        for field in ["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"] {
            causes += PodSpecValidation.nonNegative(spec?[field], "spec.\(field)")
        }
        let jobSpec = spec?["jobTemplate"]?["spec"]
        causes += PodSpecValidation.causes(jobSpec?["template"]?["spec"], path: "spec.jobTemplate.spec.template.spec", restartPolicies: .job)
        for field in ["parallelism", "completions", "backoffLimit", "activeDeadlineSeconds"] {
            causes += PodSpecValidation.nonNegative(jobSpec?[field], "spec.jobTemplate.spec.\(field)")
        }
        return causes
    }

    private static func selectorAndTemplate(
        _ spec: JSONValue?, kind: String, restartPolicies: PodSpecValidation.RestartPolicies
    ) -> [KubeError.Cause] {
        var causes: [KubeError.Cause] = []
        let template = spec?["template"]
        if let selector = spec?["selector"] {
            if selector.isEmptySelector {
                causes.append(FieldCause.invalid("spec.selector", selector, "empty selector is invalid for \(kind)"))
            } else {
                let labels = template?["metadata"]?["labels"]?.stringMap ?? [:]
                if !selector.labelSelector.matches(labels) {
                    causes.append(
                        FieldCause.invalid(
                            "spec.template.metadata.labels", .object(labels.mapValues { .string($0) }), "`selector` does not match template `labels`")
                    )
                }
            }
        } else {
            causes.append(FieldCause.required("spec.selector"))
        }
        causes += PodSpecValidation.causes(template?["spec"], path: "spec.template.spec", restartPolicies: restartPolicies)
        return causes
    }

    private static func immutableSelector(_ spec: JSONValue?, old: KubeObject?) -> [KubeError.Cause] {
        guard let old else { return [] }
        let selector = spec?["selector"] ?? .null
        guard !selector.semanticallyEquals(old.field("spec", "selector") ?? .null) else { return [] }
        return [FieldCause.immutable("spec.selector", selector)]
    }
}
