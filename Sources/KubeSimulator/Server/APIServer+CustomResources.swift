import Foundation
import KubeClient
import RegistryModel

/// CustomResourceDefinitions as the apiextensions server handles them: a custom kind is served
/// only while its CRD exists; deleting the CRD marks it Terminating
/// (`InstanceDeletionInProgress`), refuses new objects of the kind with 405, deletes every
/// existing one, and removes the CRD only when the last is gone — so an object held by a
/// finalizer holds the CRD too.
extension APIServer {
    /// The finalizer the apiextensions server keeps on a CRD until its objects are deleted.
    static let customResourceCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io"

    /// A minimal, Established CRD for a custom kind (the simulator starts with the registry's
    /// CRDs installed, as the install guide applies them first).
    static func definition(for resource: ResourceType, now: Date) -> KubeObject {
        let singular = resource.kind.lowercased()
        let established: JSONValue = [
            "type": "Established", "status": "True", "reason": "InitialNamesAccepted", "message": "the initial names have been accepted",
            "lastTransitionTime": now.json,
        ]
        return KubeObject(
            apiVersion: ResourceType.customResourceDefinitions.apiVersion, kind: ResourceType.customResourceDefinitions.kind,
            metadata: ObjectMeta(name: resource.definitionName),
            fields: [
                "spec": [
                    "group": .string(resource.group), "scope": resource.namespaced ? "Namespaced" : "Cluster",
                    "names": ["kind": .string(resource.kind), "plural": .string(resource.plural), "singular": .string(singular), "listKind": .string("\(resource.kind)List")],
                    "versions": [["name": .string(resource.version), "served": true, "storage": true, "schema": ["openAPIV3Schema": ["type": "object", "x-kubernetes-preserve-unknown-fields": true]]]],
                ],
                "status": ["conditions": [established]],
            ])
    }

    /// The custom kind a CRD defines, when the simulator knows it.
    static func definedResource(_ definition: KubeObject) -> ResourceType? {
        guard let group = definition.field("spec", "group")?.stringValue, let plural = definition.field("spec", "names", "plural")?.stringValue else {
            return nil
        }
        return ResourceType.forPlural(group: group, plural: plural).flatMap { $0.isCustomResource ? $0 : nil }
    }

    /// The stored CRD of a custom kind.
    func definition(of resource: ResourceType) -> KubeObject? {
        store.object(.customResourceDefinitions, ObjectKey(namespace: "", name: resource.definitionName))
    }

    /// Refuses requests for a custom kind whose CRD is missing (404, as discovery no longer lists
    /// it) and creates while it is terminating (405).
    func checkServed(_ verb: APIVerb, _ resource: ResourceType) throws(KubeError) {
        guard resource.isCustomResource else { return }
        guard let definition = definition(of: resource) else {
            throw KubeError(
                code: .notFound, status: 404,
                message: "the server could not find the requested resource (\(verb.rawValue) \(resource.qualifiedPlural))")
        }
        if verb == .create && definition.isTerminating {
            throw KubeError(
                code: KubeError.code(forStatus: 405, reason: "MethodNotAllowed"), status: 405,
                message: "create not allowed while custom resource definition is terminating")
        }
    }

    /// Deleting a CRD: Terminating, then its objects are deleted.
    mutating func terminateDefinition(_ definition: KubeObject, now: Date) {
        var terminating = definition
        terminating.metadata.deletionTimestamp = now.wholeSeconds
        var finalizers = terminating.metadata.finalizers ?? []
        if !finalizers.contains(Self.customResourceCleanupFinalizer) { finalizers.append(Self.customResourceCleanupFinalizer) }
        terminating.metadata.finalizers = finalizers
        var conditions = ConditionList(terminating.field("status", "conditions"))
        conditions.set("Terminating", "True", reason: "InstanceDeletionInProgress", message: "CustomResource deletion is in progress", now: now)
        terminating.setField(conditions.json, at: "status", "conditions")
        store.replace(.customResourceDefinitions, terminating)
        if let resource = Self.definedResource(definition) {
            for object in store.items(resource) where !object.isTerminating {
                delete(resource, object.key, propagation: .background, now: now)
            }
            finishDefinitionIfEmpty(resource, now: now)
        } else {
            releaseDefinition(terminating, now: now)
        }
    }

    /// Removes a terminating CRD once no object of its kind is left.
    mutating func finishDefinitionIfEmpty(_ resource: ResourceType, now: Date) {
        guard let definition = definition(of: resource), definition.isTerminating, store.items(resource).isEmpty else { return }
        releaseDefinition(definition, now: now)
    }

    private mutating func releaseDefinition(_ definition: KubeObject, now: Date) {
        var released = definition
        released.metadata.finalizers?.removeAll { $0 == Self.customResourceCleanupFinalizer }
        released.metadata = Self.normalized(released.metadata)
        if released.metadata.finalizers == nil {
            removeAndCollect(.customResourceDefinitions, released.key, finalState: released, now: now)
        } else {
            store.replace(.customResourceDefinitions, released)
        }
    }
}
