import KubeClient
import RegistryModel

/// Rules for core/v1, apiregistration and RBAC kinds.
enum CoreValidation {
    /// Pod: containers and restart policy; after creation only images and tolerations may change.
    static func pod(_ object: KubeObject, old: KubeObject?) -> [KubeError.Cause] {
        var causes = PodSpecValidation.causes(object.fields["spec"], path: "spec", restartPolicies: .pod)
        if let old, !mutablePodFieldsRemoved(object.fields["spec"]).semanticallyEquals(mutablePodFieldsRemoved(old.fields["spec"])) {
            causes.append(
                FieldCause.forbidden("spec", immutablePodSpecMessage))
        }
        return causes
    }

    /// Service: type, ports (1–65535, named when several); the allocated clusterIP is immutable.
    static func service(_ object: KubeObject, old: KubeObject?) -> [KubeError.Cause] {
        let spec = object.fields["spec"]
        var causes: [KubeError.Cause] = []
        let type = spec?["type"]?.stringValue ?? "ClusterIP"
        let types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]
        if !types.contains(type) { causes.append(FieldCause.unsupported("spec.type", type, supported: types)) }
        let ports = spec?["ports"]?.arrayValue ?? []
        let headless = spec?["clusterIP"]?.stringValue == "None"
        if ports.isEmpty && !headless && type != "ExternalName" { causes.append(FieldCause.required("spec.ports")) }
        var names = Set<String>()
        for (index, port) in ports.enumerated() {
            let path = "spec.ports[\(index)]"
            let number = port["port"]?.intValue ?? 0
            if !(1...65535).contains(number) {
                causes.append(FieldCause.invalid("\(path).port", port["port"] ?? 0, "must be between 1 and 65535, inclusive"))
            }
            let name = port["name"]?.stringValue ?? ""
            if ports.count > 1 && name.isEmpty { causes.append(FieldCause.required("\(path).name")) }
            if !name.isEmpty && !names.insert(name).inserted { causes.append(FieldCause.duplicate("\(path).name", name)) }
            if let proto = port["protocol"]?.stringValue, !["TCP", "UDP", "SCTP"].contains(proto) {
                causes.append(FieldCause.unsupported("\(path).protocol", proto, supported: ["SCTP", "TCP", "UDP"]))
            }
            if let target = port["targetPort"]?.intValue, !(1...65535).contains(target) {
                causes.append(FieldCause.invalid("\(path).targetPort", port["targetPort"] ?? 0, "must be between 1 and 65535, inclusive"))
            }
        }
        if let oldIP = old?.field("spec", "clusterIP")?.stringValue, !oldIP.isEmpty, let newIP = spec?["clusterIP"], newIP.stringValue != oldIP {
            causes.append(FieldCause.immutable("spec.clusterIP", newIP))
        }
        return causes
    }

    /// PersistentVolumeClaim: access modes and a storage request; the spec is immutable except
    /// the requests.
    static func persistentVolumeClaim(_ object: KubeObject, old: KubeObject?) -> [KubeError.Cause] {
        let spec = object.fields["spec"]
        var causes: [KubeError.Cause] = []
        let modes = (spec?["accessModes"]?.arrayValue ?? []).compactMap(\.stringValue)
        let supported = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
        if modes.isEmpty { causes.append(FieldCause.required("spec.accessModes", "at least 1 access mode is required")) }
        for mode in modes where !supported.contains(mode) {
            causes.append(FieldCause.unsupported("spec.accessModes", mode, supported: supported))
        }
        if spec?["resources"]?["requests"]?["storage"] == nil { causes.append(FieldCause.required("spec.resources[storage]")) }
        if let old {
            var newSpec = spec ?? .object([:])
            var oldSpec = old.fields["spec"] ?? .object([:])
            newSpec["resources"] = nil
            oldSpec["resources"] = nil
            if !newSpec.semanticallyEquals(oldSpec) {
                causes.append(
                    FieldCause.forbidden(
                        "spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"))
            }
        }
        return causes
    }

    /// APIService: named `<version>.<group>`, with priorities in range.
    static func apiService(_ object: KubeObject) -> [KubeError.Cause] {
        let spec = object.fields["spec"]
        var causes: [KubeError.Cause] = []
        let group = spec?["group"]?.stringValue ?? ""
        let version = spec?["version"]?.stringValue ?? ""
        if version.isEmpty { causes.append(FieldCause.required("spec.version")) }
        let expected = group.isEmpty ? version : "\(version).\(group)"
        if object.metadata.name != expected {
            causes.append(FieldCause.invalid("metadata.name", .string(object.metadata.name), "must be \(expected)"))
        }
        let groupPriority = spec?["groupPriorityMinimum"]?.intValue ?? 0
        if !(1...20000).contains(groupPriority) {
            causes.append(FieldCause.invalid("spec.groupPriorityMinimum", .int(groupPriority), "must be positive and less than 20000"))
        }
        let versionPriority = spec?["versionPriority"]?.intValue ?? 0
        if !(1...1000).contains(versionPriority) {
            causes.append(FieldCause.invalid("spec.versionPriority", .int(versionPriority), "must be positive and less than 1000"))
        }
        return causes
    }

    /// RoleBinding and ClusterRoleBinding: a roleRef that never changes.
    static func roleBinding(_ object: KubeObject, old: KubeObject?) -> [KubeError.Cause] {
        guard let roleRef = object.fields["roleRef"], !(roleRef["name"]?.stringValue ?? "").isEmpty else {
            return [FieldCause.required("roleRef.name")]
        }
        if let old, let oldRef = old.fields["roleRef"], !roleRef.semanticallyEquals(oldRef) {
            return [FieldCause.invalid("roleRef", roleRef, "cannot change roleRef")]
        }
        return []
    }

    private static let immutablePodSpecMessage = """
        pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,\
        `spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),\
        `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)
        """

    private static func mutablePodFieldsRemoved(_ spec: JSONValue?) -> JSONValue {
        var spec = spec ?? .object([:])
        spec["tolerations"] = nil
        spec["activeDeadlineSeconds"] = nil
        spec["terminationGracePeriodSeconds"] = nil
        for group in ["containers", "initContainers"] {
            guard let list = spec[group]?.arrayValue else { continue }
            spec[group] = .array(
                list.map { container in
                    var copy = container
                    copy["image"] = nil
                    return copy
                })
        }
        return spec
    }
}
