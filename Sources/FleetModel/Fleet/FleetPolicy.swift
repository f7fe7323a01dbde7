import Foundation
import RegistryModel

/// The part of a cluster's registry and pruner configuration that the hub owns (domain.md, "What
/// the hub owns per cluster"). A nil field is not managed by the hub: the agent leaves the
/// cluster's own value alone.
public struct FleetPolicy: Codable, Hashable, Sendable {
    public var registry: RegistryPolicy?
    public var pruner: PrunerPolicy?

    public init(registry: RegistryPolicy? = nil, pruner: PrunerPolicy? = nil) {
        self.registry = registry
        self.pruner = pruner
    }

    /// This policy with every field that `change` sets taken from `change`; how rollouts apply a
    /// partial change to each cluster's policy.
    public func merging(_ change: FleetPolicy) -> FleetPolicy {
        let merged = (try? JSONCoding.tree(self))?.applyingMergePatch((try? JSONCoding.tree(change)) ?? .object([:]))
        return merged.flatMap { try? JSONCoding.value(FleetPolicy.self, from: $0) } ?? self
    }

    /// Field-level differences from this policy to `other`, in path order.
    public func diff(to other: FleetPolicy) -> [PolicyFieldChange] {
        let before = fields()
        let after = other.fields()
        return Set(before.keys).union(after.keys).sorted().compactMap { path in
            let old = before[path]
            let new = after[path]
            if old == new { return nil }
            return PolicyFieldChange(path: path, from: old, to: new)
        }
    }

    /// The registry state this policy asks for, if it sets one.
    public var managementState: ManagementState? { registry?.managementState }
}

/// One field a policy change touches.
public struct PolicyFieldChange: Codable, Hashable, Sendable {
    public var path: String
    public var from: JSONValue?
    public var to: JSONValue?
    public init(path: String, from: JSONValue?, to: JSONValue?) {
        self.path = path
        self.from = from
        self.to = to
    }
}

/// Hub-owned fields of `Config.spec`.
public struct RegistryPolicy: Codable, Hashable, Sendable {
    public var managementState: ManagementState?
    public var replicas: Int?
    public var logLevel: String?
    public var readOnly: Bool?
    public var requests: RequestsSpec?
    public var storage: StoragePolicy?

    public init(
        managementState: ManagementState? = nil, replicas: Int? = nil, logLevel: String? = nil, readOnly: Bool? = nil,
        requests: RequestsSpec? = nil, storage: StoragePolicy? = nil
    ) {
        self.managementState = managementState
        self.replicas = replicas
        self.logLevel = logLevel
        self.readOnly = readOnly
        self.requests = requests
        self.storage = storage
    }
}

/// Hub-owned storage field: only who manages the storage, never where it is.
public struct StoragePolicy: Codable, Hashable, Sendable {
    public var managementState: ManagementState?
    public init(managementState: ManagementState? = nil) { self.managementState = managementState }
}

/// Hub-owned fields of `ImagePruner.spec`.
public struct PrunerPolicy: Codable, Hashable, Sendable {
    public var schedule: String?
    public var suspend: Bool?
    public var keepTagRevisions: Int?
    public var keepYoungerThanDuration: String?
    public var successfulJobsHistoryLimit: Int?
    public var failedJobsHistoryLimit: Int?
    public var ignoreInvalidImageReferences: Bool?
    public var logLevel: String?

    public init(
        schedule: String? = nil, suspend: Bool? = nil, keepTagRevisions: Int? = nil, keepYoungerThanDuration: String? = nil,
        successfulJobsHistoryLimit: Int? = nil, failedJobsHistoryLimit: Int? = nil, ignoreInvalidImageReferences: Bool? = nil,
        logLevel: String? = nil
    ) {
        self.schedule = schedule
        self.suspend = suspend
        self.keepTagRevisions = keepTagRevisions
        self.keepYoungerThanDuration = keepYoungerThanDuration
        self.successfulJobsHistoryLimit = successfulJobsHistoryLimit
        self.failedJobsHistoryLimit = failedJobsHistoryLimit
        self.ignoreInvalidImageReferences = ignoreInvalidImageReferences
        self.logLevel = logLevel
    }
}

extension FleetPolicy {
    /// Problems with the policy, paths such as `registry.managementState` or `pruner.schedule`.
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if let registry { collector.merge(registry.validationErrors(), prefix: "registry") }
        if let pruner { collector.merge(pruner.validationErrors(), prefix: "pruner") }
        return collector.errors
    }

    /// Throws every problem at once.
    public func validate() throws(ValidationErrors) {
        let errors = validationErrors()
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }

    /// True when switching to this policy removes the registry and the storage the cluster would
    /// then delete is operator-managed, so the change needs an explicit data-loss acknowledgement.
    ///
    /// `observedStorageState` is what the cluster last reported; unknown counts as Managed (the
    /// safe side).
    public func removesManagedStorage(previous: FleetPolicy?, observedStorageState: ManagementState?) -> Bool {
        guard managementState == .removed, previous?.managementState != .removed else { return false }
        let storageState = registry?.storage?.managementState ?? observedStorageState ?? .managed
        return storageState != .unmanaged
    }
}

extension RegistryPolicy {
    func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if let managementState, let error = RegistryValidation.registryManagementState(managementState) {
            collector.add("managementState", error)
        }
        if let replicas, let error = NumericRange.nonNegativeInt32(replicas) { collector.add("replicas", error) }
        if let logLevel, let error = RegistryValidation.logLevel(logLevel) { collector.add("logLevel", error) }
        if let requests { collector.merge(requests.validationErrors(), prefix: "requests") }
        if let state = storage?.managementState, !ManagementState.storageStates.contains(state) {
            collector.add("storage.managementState", "unsupported value \"\(state)\": use Managed or Unmanaged")
        }
        return collector.errors
    }
}

extension PrunerPolicy {
    func validationErrors() -> [FieldError] {
        asSpec.validationErrors()
    }

    /// The policy as an ImagePruner spec fragment (same field names, same rules).
    var asSpec: ImagePrunerSpec {
        ImagePrunerSpec(
            schedule: schedule, suspend: suspend, keepTagRevisions: keepTagRevisions, keepYoungerThanDuration: keepYoungerThanDuration,
            successfulJobsHistoryLimit: successfulJobsHistoryLimit, failedJobsHistoryLimit: failedJobsHistoryLimit,
            ignoreInvalidImageReferences: ignoreInvalidImageReferences, logLevel: logLevel
        )
    }
}

extension ConfigSpec {
    /// This spec with the hub-owned fields that `policy` sets written over it; every other field
    /// is the cluster's own and stays.
    public func applying(_ policy: RegistryPolicy?) -> ConfigSpec {
        guard let policy else { return self }
        var spec = self
        if let value = policy.managementState { spec.managementState = value }
        if let value = policy.replicas { spec.replicas = value }
        if let value = policy.logLevel { spec.logLevel = value }
        if let value = policy.readOnly { spec.readOnly = value }
        if let value = policy.requests { spec.requests = value }
        if let value = policy.storage?.managementState {
            var storage = spec.storage ?? StorageSpec()
            storage.managementState = value
            spec.storage = storage
        }
        return spec
    }
}

extension ImagePrunerSpec {
    /// This spec with the hub-owned fields that `policy` sets written over it.
    public func applying(_ policy: PrunerPolicy?) -> ImagePrunerSpec {
        guard let policy else { return self }
        var spec = self
        if let value = policy.schedule { spec.schedule = value }
        if let value = policy.suspend { spec.suspend = value }
        if let value = policy.keepTagRevisions { spec.keepTagRevisions = value }
        if let value = policy.keepYoungerThanDuration { spec.keepYoungerThanDuration = value }
        if let value = policy.successfulJobsHistoryLimit { spec.successfulJobsHistoryLimit = value }
        if let value = policy.failedJobsHistoryLimit { spec.failedJobsHistoryLimit = value }
        if let value = policy.ignoreInvalidImageReferences { spec.ignoreInvalidImageReferences = value }
        if let value = policy.logLevel { spec.logLevel = value }
        return spec
    }
}
