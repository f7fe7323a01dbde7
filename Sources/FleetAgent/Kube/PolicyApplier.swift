import FleetModel
import Foundation
import KubeClient
import Logging
import RegistryModel

/// Writes the hub-owned fields of a policy into `Config/cluster` and `ImagePruner/cluster`, and nothing else.
///
/// Each object is read raw, its spec decoded and the policy applied with `ConfigSpec.applying` /
/// `ImagePrunerSpec.applying`; only the members that changed are written back into the raw spec, so fields the
/// cluster owns, and fields the typed model does not know, stay as they are. The update carries the
/// resourceVersion it read and is retried on 409. An object that already matches is not written at all, and
/// a missing one is created with the operator's bootstrap values plus the policy.
public struct PolicyApplier: Sendable {
    /// The cluster written to.
    let api: any KubernetesAPI
    /// Logs each write with the fields it changed.
    let logger: Logger
    /// Read-modify-update attempts before giving up on conflicts.
    let maxAttempts: Int

    /// What the operator creates when Config/cluster is missing (RegistryReconciler's bootstrap).
    static let configBootstrap = ConfigSpec(managementState: .managed, replicas: 1, storage: StorageSpec(pvc: PVCStorage()))

    /// An applier for the cluster behind `api`.
    public init(api: any KubernetesAPI, logger: Logger, maxAttempts: Int = 8) {
        self.api = api
        self.logger = logger
        self.maxAttempts = max(1, maxAttempts)
    }

    /// Applies `policy`; a nil section leaves its object alone. Throws `invalidPolicy` (writing nothing) when the
    /// policy fails validation and `kubernetes` when the API fails or conflicts persist.
    @discardableResult
    public func apply(_ policy: FleetPolicy) async throws(AgentError) -> PolicyApplyResult {
        do {
            try policy.validate()
        } catch {
            throw AgentError(code: .invalidPolicy, message: "the policy is invalid: \(error.description)", field: error.firstPath)
        }
        var result = PolicyApplyResult()
        if let registry = policy.registry {
            result.configWritten = try await reconcile(
                .configs, ConfigSpec.self, bootstrap: { try KubeObject(Config(spec: Self.configBootstrap.applying(registry))) },
                applying: { $0.applying(registry) })
        }
        if let pruner = policy.pruner {
            result.prunerWritten = try await reconcile(
                .imagePruners, ImagePrunerSpec.self, bootstrap: { try KubeObject(ImagePruner(spec: ImagePrunerSpec.bootstrap.applying(pruner))) },
                applying: { $0.applying(pruner) })
        }
        return result
    }

    /// Brings the singleton of `resource` in line; returns whether it was written.
    private func reconcile<Spec: Codable & Equatable>(
        _ resource: ResourceType, _ spec: Spec.Type, bootstrap: () throws -> KubeObject, applying: (Spec) -> Spec
    ) async throws(AgentError) -> Bool {
        let name = RegistryNames.singleton
        var lastConflict: KubeError?
        for attempt in 1...maxAttempts {
            do {
                guard var object = try await api.getIfExists(resource, namespace: nil, name: name) else {
                    let created = try await api.create(resource, try bootstrap())
                    logger.info("created \(resource.kind)/\(name) from the policy", metadata: ["resourceVersion": "\(created.metadata.resourceVersion ?? "")"])
                    return true
                }
                let raw = object.spec ?? .object([:])
                let current = try JSONCoding.value(Spec.self, from: raw)
                let before = try JSONCoding.tree(current)
                let after = try JSONCoding.tree(applying(current))
                guard let patch = before.mergePatch(to: after) else { return false }
                object.spec = raw.applyingMergePatch(patch)
                _ = try await api.update(resource, object)
                logger.info("wrote the policy into \(resource.kind)/\(name)", metadata: ["fields": "\(patch.leafPaths().joined(separator: ","))"])
                return true
            } catch let error as KubeError where error.code == .conflict || error.code == .alreadyExists {
                lastConflict = error
                logger.debug("retrying the policy write", metadata: ["object": "\(resource.kind)/\(name)", "attempt": "\(attempt)", "error": "\(error)"])
            } catch let error as KubeError {
                throw AgentError(code: .kubernetes, message: "cannot write the policy into \(resource.kind)/\(name): \(error)")
            } catch {
                throw AgentError(code: .kubernetes, message: "cannot apply the policy to \(resource.kind)/\(name): \(error)")
            }
        }
        throw AgentError(
            code: .kubernetes,
            message: "gave up writing the policy into \(resource.kind)/\(name) after \(maxAttempts) conflicts: \(lastConflict.map { "\($0)" } ?? "")")
    }
}

/// Which objects an apply wrote.
public struct PolicyApplyResult: Sendable, Hashable {
    /// Config/cluster was created or updated.
    public var configWritten = false
    /// ImagePruner/cluster was created or updated.
    public var prunerWritten = false

    /// Nothing written.
    public init() {}

    /// True when anything was written, so the operator should look again.
    public var changed: Bool { configWritten || prunerWritten }
}

extension JSONValue {
    /// The RFC 7386 merge patch that turns this document into `target`, or nil when they are equal: changed
    /// members recursively, removed members as `null`, anything that is not an object on both sides replaced.
    func mergePatch(to target: JSONValue) -> JSONValue? {
        // JSONValue is ExpressibleByNilLiteral: a bare `nil` in a ternary would become `.null`, so spell out `.none`.
        guard case .object(let old) = self, case .object(let new) = target else { return self == target ? Optional.none : target }
        var patch: [String: JSONValue] = [:]
        for key in Set(old.keys).union(new.keys) {
            guard let after = new[key] else {
                patch[key] = .null
                continue
            }
            guard let before = old[key] else {
                patch[key] = after
                continue
            }
            if let change = before.mergePatch(to: after) { patch[key] = change }
        }
        return patch.isEmpty ? Optional.none : .object(patch)
    }
}
