import Foundation
import KubeClient
import RegistryModel

/// The API server's validation: metadata rules for every kind, then the kind's own rules, and on
/// update the fields that may not change. Returns every problem at once, as the server does.
enum ObjectValidation {
    /// All 422 causes for `object`; `old` is the stored object on update. When only metadata
    /// changed, the kind's own rules are skipped: the stored fields passed them already.
    static func causes(for object: KubeObject, _ resource: ResourceType, old: KubeObject?) -> [KubeError.Cause] {
        var causes = metadataCauses(object, resource, old: old)
        if let old, APIServer.fieldsEqual(object.fields, old.fields) { return causes }
        switch resource {
        case .deployments: causes += WorkloadValidation.deployment(object, old: old)
        case .daemonSets: causes += WorkloadValidation.daemonSet(object, old: old)
        case .statefulSets, .replicaSets: causes += WorkloadValidation.replicatedTemplate(object, old: old)
        case .jobs: causes += WorkloadValidation.job(object, old: old)
        case .cronJobs: causes += WorkloadValidation.cronJob(object)
        case .pods: causes += CoreValidation.pod(object, old: old)
        case .services: causes += CoreValidation.service(object, old: old)
        case .persistentVolumeClaims: causes += CoreValidation.persistentVolumeClaim(object, old: old)
        case .apiServices: causes += CoreValidation.apiService(object)
        case .roleBindings, .clusterRoleBindings: causes += CoreValidation.roleBinding(object, old: old)
        case .configs: causes += RegistryCRDValidation.config(object)
        case .imagePruners: causes += RegistryCRDValidation.imagePruner(object)
        default: break
        }
        return causes
    }

    /// Problems the server reports as 400 Bad Request because the body cannot be decoded at all.
    static func decodingProblem(_ object: KubeObject, _ resource: ResourceType) -> String? {
        guard resource == .secrets, let data = object.fields["data"]?.objectValue else { return nil }
        for key in data.keys.sorted() {
            guard let text = data[key]?.stringValue, Data(base64Encoded: text) != nil else {
                return "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data[\(key)]"
            }
        }
        return nil
    }

    private static func metadataCauses(_ object: KubeObject, _ resource: ResourceType, old: KubeObject?) -> [KubeError.Cause] {
        var causes: [KubeError.Cause] = []
        let metadata = object.metadata
        if metadata.name.isEmpty {
            causes.append(FieldCause.required("metadata.name", "name or generateName is required"))
        } else {
            for problem in NameRule.of(resource).problems(metadata.name) {
                causes.append(FieldCause.invalid("metadata.name", .string(metadata.name), problem))
            }
        }
        for (key, value) in (metadata.labels ?? [:]).sorted(by: { $0.key < $1.key }) {
            if !DNSNames.isLabelKey(key) { causes.append(FieldCause.invalid("metadata.labels", .string(key), qualifiedNameMessage)) }
            if !DNSNames.isLabelValue(value) { causes.append(FieldCause.invalid("metadata.labels", .string(value), labelValueMessage)) }
        }
        for key in (metadata.annotations ?? [:]).keys.sorted() where !DNSNames.isLabelKey(key) {
            causes.append(FieldCause.invalid("metadata.annotations", .string(key), qualifiedNameMessage))
        }
        causes += ownerReferenceCauses(metadata.ownerReferences ?? [])
        if let old, old.isTerminating {
            let added = Set(metadata.finalizers ?? []).subtracting(old.metadata.finalizers ?? [])
            if !added.isEmpty {
                causes.append(
                    FieldCause.forbidden(
                        "metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers \(added.sorted())"
                    ))
            }
        }
        return causes
    }

    private static func ownerReferenceCauses(_ references: [OwnerReference]) -> [KubeError.Cause] {
        var causes: [KubeError.Cause] = []
        for reference in references {
            if reference.apiVersion.isEmpty {
                causes.append(FieldCause.invalid("metadata.ownerReferences.apiVersion", "", "version must not be empty"))
            }
            if reference.kind.isEmpty { causes.append(FieldCause.invalid("metadata.ownerReferences.kind", "", "kind must not be empty")) }
            if reference.name.isEmpty { causes.append(FieldCause.invalid("metadata.ownerReferences.name", "", "name must not be empty")) }
            if reference.uid.isEmpty { causes.append(FieldCause.invalid("metadata.ownerReferences.uid", "", "uid must not be empty")) }
        }
        let controllers = references.filter { $0.controller == true }
        if controllers.count > 1 {
            let names = controllers.map { "\($0.kind)/\($0.name)" }.joined(separator: ", ")
            causes.append(
                KubeError.Cause(
                    field: "metadata.ownerReferences",
                    message:
                        "Invalid value: \(controllers.count) references: Only one reference can have Controller set to true. "
                        + "Found \"true\" in references for \(names)",
                    reason: "FieldValueInvalid"))
        }
        return causes
    }

    private static let qualifiedNameMessage = """
        name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric \
        character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')
        """
    private static let labelValueMessage = """
        a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and \
        end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345')
        """
}
