import FleetModel
import RegistryModel
import Testing

/// The hub-owned policy: validation, partial merges, diffs, the data-loss guard and how it is
/// written onto the cluster's own resources.
@Suite struct FleetPolicyTests {
    /// A policy and the errors it must cause.
    struct Invalid: Sendable, CustomTestStringConvertible {
        let name: String
        let policy: FleetPolicy
        let expected: [ExpectedError]
        var testDescription: String { name }
    }

    private static let invalidCases: [Invalid] = [
        Invalid(name: "Force", policy: FleetPolicy(registry: RegistryPolicy(managementState: .force)), expected: [
            ExpectedError("registry.managementState", "Force is not supported")
        ]),
        Invalid(name: "unknown state", policy: FleetPolicy(registry: RegistryPolicy(managementState: "Paused")), expected: [
            ExpectedError("registry.managementState", #"unsupported value "Paused""#)
        ]),
        Invalid(name: "negative replicas", policy: FleetPolicy(registry: RegistryPolicy(replicas: -1)), expected: [
            ExpectedError("registry.replicas", "must be greater than or equal to 0, got -1")
        ]),
        Invalid(name: "bad registry log level", policy: FleetPolicy(registry: RegistryPolicy(logLevel: "Loud")), expected: [
            ExpectedError("registry.logLevel", #"unsupported value "Loud""#)
        ]),
        Invalid(
            name: "negative request limit",
            policy: FleetPolicy(registry: RegistryPolicy(requests: RequestsSpec(write: RequestLimits(maxRunning: -3)))),
            expected: [ExpectedError("registry.requests.write.maxRunning", "got -3")]),
        Invalid(
            name: "storage state Removed",
            policy: FleetPolicy(registry: RegistryPolicy(storage: StoragePolicy(managementState: .removed))),
            expected: [ExpectedError("registry.storage.managementState", #"unsupported value "Removed": use Managed or Unmanaged"#)]),
        Invalid(name: "bad schedule", policy: FleetPolicy(pruner: PrunerPolicy(schedule: "61 * * * *")), expected: [
            ExpectedError("pruner.schedule", #"invalid cron expression "61 * * * *""#)
        ]),
        Invalid(name: "bad keepYoungerThanDuration", policy: FleetPolicy(pruner: PrunerPolicy(keepYoungerThanDuration: "1 hour")), expected: [
            ExpectedError("pruner.keepYoungerThanDuration", #"invalid duration "1 hour""#)
        ]),
        Invalid(name: "negative keepTagRevisions", policy: FleetPolicy(pruner: PrunerPolicy(keepTagRevisions: -1)), expected: [
            ExpectedError("pruner.keepTagRevisions", "got -1")
        ]),
        Invalid(name: "bad pruner log level", policy: FleetPolicy(pruner: PrunerPolicy(logLevel: "x")), expected: [
            ExpectedError("pruner.logLevel", #"unsupported value "x""#)
        ]),
        Invalid(
            name: "registry and pruner together",
            policy: FleetPolicy(
                registry: RegistryPolicy(managementState: .force, replicas: -1), pruner: PrunerPolicy(schedule: "x", failedJobsHistoryLimit: -1)),
            expected: [
                ExpectedError("registry.managementState", "Force"), ExpectedError("registry.replicas", "got -1"),
                ExpectedError("pruner.schedule", "invalid cron expression"), ExpectedError("pruner.failedJobsHistoryLimit", "got -1"),
            ]),
    ]

    /// Each bad field is reported at its policy path; `validate()` throws them all at once.
    @Test(arguments: invalidCases)
    func invalidPolicyIsRefused(_ testCase: Invalid) {
        let errors = testCase.policy.validationErrors()
        #expect(ExpectedError.match(errors, testCase.expected), "got \(errors)")
        #expect(throws: ValidationErrors(errors)) { try testCase.policy.validate() }
    }

    /// Empty, partial and complete valid policies pass.
    @Test(arguments: [
        FleetPolicy(),
        FleetPolicy(registry: RegistryPolicy()),
        FleetPolicy(registry: RegistryPolicy(managementState: .removed, storage: StoragePolicy(managementState: .unmanaged))),
        FleetPolicy(
            registry: RegistryPolicy(managementState: .managed, replicas: 3, logLevel: "Debug", readOnly: true),
            pruner: PrunerPolicy(
                schedule: "@daily", suspend: false, keepTagRevisions: 3, keepYoungerThanDuration: "60m", successfulJobsHistoryLimit: 1,
                failedJobsHistoryLimit: 1, ignoreInvalidImageReferences: true, logLevel: "Normal")),
    ])
    func validPolicyPasses(_ policy: FleetPolicy) throws {
        #expect(policy.validationErrors() == [])
        try policy.validate()
    }

    private static let base = FleetPolicy(
        registry: RegistryPolicy(
            managementState: .managed, replicas: 2, logLevel: "Debug",
            requests: RequestsSpec(read: RequestLimits(maxRunning: 5, maxInQueue: 10))),
        pruner: PrunerPolicy(schedule: "0 1 * * *", keepTagRevisions: 5))

    /// A partial change replaces only the fields it sets.
    @Test func mergingChangesOnlyTheFieldsSet() {
        let merged = Self.base.merging(FleetPolicy(registry: RegistryPolicy(replicas: 3)))
        var expected = Self.base
        expected.registry?.replicas = 3
        #expect(merged == expected)
    }

    /// A pruner-only change leaves the registry alone, and nested objects merge member by member.
    @Test func mergingNestedFields() {
        let change = FleetPolicy(
            registry: RegistryPolicy(requests: RequestsSpec(read: RequestLimits(maxInQueue: 20))), pruner: PrunerPolicy(suspend: true))
        let merged = Self.base.merging(change)
        #expect(merged.registry?.requests == RequestsSpec(read: RequestLimits(maxRunning: 5, maxInQueue: 20)))
        #expect(merged.registry?.replicas == 2)
        #expect(merged.pruner == PrunerPolicy(schedule: "0 1 * * *", suspend: true, keepTagRevisions: 5))
    }

    /// Merging into an empty policy gives the change; merging an empty change gives the policy.
    @Test func mergingWithEmpty() {
        #expect(FleetPolicy().merging(Self.base) == Self.base)
        #expect(Self.base.merging(FleetPolicy()) == Self.base)
    }

    /// Two policies and the field changes between them.
    struct Diff: Sendable, CustomTestStringConvertible {
        let name: String
        let before: FleetPolicy
        let after: FleetPolicy
        let changes: [PolicyFieldChange]
        var testDescription: String { name }
    }

    private static let diffCases: [Diff] = [
        Diff(name: "same policy", before: base, after: base, changes: []),
        Diff(
            name: "one field changed", before: base, after: base.merging(FleetPolicy(registry: RegistryPolicy(replicas: 3))),
            changes: [PolicyFieldChange(path: "registry.replicas", from: 2, to: 3)]),
        Diff(
            name: "field added", before: FleetPolicy(), after: FleetPolicy(pruner: PrunerPolicy(suspend: true)),
            changes: [PolicyFieldChange(path: "pruner.suspend", from: nil, to: true)]),
        Diff(
            name: "field removed", before: FleetPolicy(registry: RegistryPolicy(logLevel: "Debug")), after: FleetPolicy(registry: RegistryPolicy()),
            changes: [PolicyFieldChange(path: "registry.logLevel", from: "Debug", to: nil)]),
        Diff(
            name: "several, in path order", before: base,
            after: base.merging(
                FleetPolicy(
                    registry: RegistryPolicy(
                        managementState: .removed, requests: RequestsSpec(read: RequestLimits(maxRunning: 1)),
                        storage: StoragePolicy(managementState: .unmanaged)),
                    pruner: PrunerPolicy(keepTagRevisions: 1))),
            changes: [
                PolicyFieldChange(path: "pruner.keepTagRevisions", from: 5, to: 1),
                PolicyFieldChange(path: "registry.managementState", from: "Managed", to: "Removed"),
                PolicyFieldChange(path: "registry.requests.read.maxRunning", from: 5, to: 1),
                PolicyFieldChange(path: "registry.storage.managementState", from: nil, to: "Unmanaged"),
            ]),
    ]

    /// `diff(to:)` lists each changed leaf field with its old and new value.
    @Test(arguments: diffCases)
    func diff(_ testCase: Diff) {
        #expect(testCase.before.diff(to: testCase.after) == testCase.changes)
    }

    /// One switch of registry state and whether it needs the data-loss acknowledgement.
    struct Removal: Sendable, CustomTestStringConvertible {
        let name: String
        let policy: FleetPolicy
        let previous: FleetPolicy?
        let observed: ManagementState?
        let needsAcknowledgement: Bool
        var testDescription: String { name }
    }

    private static let removed = FleetPolicy(registry: RegistryPolicy(managementState: .removed))
    private static let managed = FleetPolicy(registry: RegistryPolicy(managementState: .managed))

    private static let removalCases: [Removal] = [
        Removal(name: "stays Managed", policy: managed, previous: managed, observed: .managed, needsAcknowledgement: false),
        Removal(name: "no registry state", policy: FleetPolicy(), previous: managed, observed: .managed, needsAcknowledgement: false),
        Removal(name: "already Removed", policy: removed, previous: removed, observed: .managed, needsAcknowledgement: false),
        Removal(name: "to Removed with Managed storage", policy: removed, previous: managed, observed: .managed, needsAcknowledgement: true),
        Removal(name: "to Removed with Unmanaged storage", policy: removed, previous: managed, observed: .unmanaged, needsAcknowledgement: false),
        Removal(name: "to Removed, storage never reported", policy: removed, previous: managed, observed: nil, needsAcknowledgement: true),
        Removal(name: "first policy is Removed", policy: removed, previous: nil, observed: .managed, needsAcknowledgement: true),
        Removal(
            name: "from Unmanaged to Removed", policy: removed, previous: FleetPolicy(registry: RegistryPolicy(managementState: .unmanaged)),
            observed: .managed, needsAcknowledgement: true),
        Removal(
            name: "policy makes storage Unmanaged in the same change",
            policy: FleetPolicy(registry: RegistryPolicy(managementState: .removed, storage: StoragePolicy(managementState: .unmanaged))),
            previous: managed, observed: .managed, needsAcknowledgement: false),
        Removal(
            name: "policy makes storage Managed in the same change",
            policy: FleetPolicy(registry: RegistryPolicy(managementState: .removed, storage: StoragePolicy(managementState: .managed))),
            previous: managed, observed: .unmanaged, needsAcknowledgement: true),
    ]

    /// `removesManagedStorage` asks for acknowledgement exactly when image data would be deleted.
    @Test(arguments: removalCases)
    func removesManagedStorage(_ testCase: Removal) {
        #expect(
            testCase.policy.removesManagedStorage(previous: testCase.previous, observedStorageState: testCase.observed)
                == testCase.needsAcknowledgement)
    }

    /// Applying a registry policy writes only hub-owned fields; the cluster's own fields stay.
    @Test func configSpecApplyingTouchesOnlyHubFields() {
        let clusterOwn = ConfigSpec(
            managementState: .managed, replicas: 1, storage: StorageSpec(pvc: PVCStorage(claim: "mine")), logLevel: "Normal",
            httpSecret: "secret", readOnly: false, disableRedirect: true, proxy: ProxySpec(http: "http://proxy:3128"),
            requests: RequestsSpec(read: RequestLimits(maxRunning: 1)), rolloutStrategy: "Recreate",
            resources: ResourceRequirements.registryDefault, nodeSelector: ["zone": "a"], tolerations: [Toleration(key: "k")])
        let policy = RegistryPolicy(
            managementState: .removed, replicas: 3, logLevel: "Debug", readOnly: true,
            requests: RequestsSpec(write: RequestLimits(maxInQueue: 2)), storage: StoragePolicy(managementState: .unmanaged))
        var expected = clusterOwn
        expected.managementState = .removed
        expected.replicas = 3
        expected.logLevel = "Debug"
        expected.readOnly = true
        expected.requests = RequestsSpec(write: RequestLimits(maxInQueue: 2))
        expected.storage = StorageSpec(managementState: .unmanaged, pvc: PVCStorage(claim: "mine"))
        #expect(clusterOwn.applying(policy) == expected)
        #expect(clusterOwn.applying(nil) == clusterOwn)
        #expect(clusterOwn.applying(RegistryPolicy()) == clusterOwn)
    }

    /// A storage policy on a spec without storage creates storage holding only the management state.
    @Test func configSpecApplyingStorageStateWithoutStorage() {
        let spec = ConfigSpec(storage: nil)
        #expect(spec.applying(RegistryPolicy(storage: StoragePolicy(managementState: .unmanaged))).storage == StorageSpec(managementState: .unmanaged))
        #expect(spec.applying(RegistryPolicy(storage: StoragePolicy())).storage == nil)
    }

    /// Applying a pruner policy writes only hub-owned fields; resources, placement and the
    /// deprecated field stay.
    @Test func prunerSpecApplyingTouchesOnlyHubFields() {
        let clusterOwn = ImagePrunerSpec(
            schedule: "0 0 * * *", suspend: false, keepTagRevisions: 3, keepYoungerThan: 1_000, keepYoungerThanDuration: "60m",
            successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, ignoreInvalidImageReferences: true, logLevel: "Normal",
            resources: ResourceRequirements(limits: ["cpu": "1"]), nodeSelector: ["zone": "a"], tolerations: [Toleration(key: "k")],
            affinity: ["podAffinity": [:]])
        let policy = PrunerPolicy(
            schedule: "@weekly", suspend: true, keepTagRevisions: 1, keepYoungerThanDuration: "2h", successfulJobsHistoryLimit: 0,
            failedJobsHistoryLimit: 5, ignoreInvalidImageReferences: false, logLevel: "Debug")
        let expected = ImagePrunerSpec(
            schedule: "@weekly", suspend: true, keepTagRevisions: 1, keepYoungerThan: 1_000, keepYoungerThanDuration: "2h",
            successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5, ignoreInvalidImageReferences: false, logLevel: "Debug",
            resources: ResourceRequirements(limits: ["cpu": "1"]), nodeSelector: ["zone": "a"], tolerations: [Toleration(key: "k")],
            affinity: ["podAffinity": [:]])
        #expect(clusterOwn.applying(policy) == expected)
        #expect(clusterOwn.applying(PrunerPolicy(suspend: true)) == ImagePrunerSpec.with(clusterOwn) { $0.suspend = true })
        #expect(clusterOwn.applying(nil) == clusterOwn)
    }

    /// The policy document carries the policy unchanged.
    @Test func documentsCarryThePolicy() {
        #expect(PolicyDocument(cluster: "a", generation: 2, policy: Self.base).policy == Self.base)
        #expect(PolicyUpdateRequest(policy: Self.base, generation: 2).policy == Self.base)
        #expect(Self.base.managementState == .managed)
        #expect(FleetPolicy().managementState == nil)
    }
}

extension ImagePrunerSpec {
    /// A copy of `spec` with one change, for expectations that differ in a single field.
    fileprivate static func with(_ spec: ImagePrunerSpec, _ change: (inout ImagePrunerSpec) -> Void) -> ImagePrunerSpec {
        var copy = spec
        change(&copy)
        return copy
    }
}
