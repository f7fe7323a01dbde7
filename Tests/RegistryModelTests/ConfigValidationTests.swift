import RegistryModel
import Testing

/// `Config.validate()` must refuse what the CRD and the operator refuse, naming every bad field.
@Suite struct ConfigValidationTests {
    /// A change to an otherwise valid Config and the errors it must cause.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let change: @Sendable (inout Config) -> Void
        let expected: [ExpectedError]
        var testDescription: String { name }
    }

    private static let invalid: [Case] = [
        Case(name: "unknown managementState", change: { $0.spec.managementState = "Bogus" }, expected: [
            ExpectedError("spec.managementState", #"unsupported value "Bogus": use Managed, Removed or Unmanaged"#)
        ]),
        Case(name: "empty managementState", change: { $0.spec.managementState = "" }, expected: [
            ExpectedError("spec.managementState", #"unsupported value """#)
        ]),
        Case(name: "Force is refused with its own message", change: { $0.spec.managementState = .force }, expected: [
            ExpectedError("spec.managementState", "Force is not supported (it does nothing upstream)")
        ]),
        Case(name: "negative replicas", change: { $0.spec.replicas = -1 }, expected: [
            ExpectedError("spec.replicas", "must be greater than or equal to 0, got -1")
        ]),
        Case(name: "bad logLevel", change: { $0.spec.logLevel = "Verbose" }, expected: [
            ExpectedError("spec.logLevel", #"unsupported value "Verbose": use one of Normal, Debug, Trace, TraceAll"#)
        ]),
        Case(name: "bad rolloutStrategy", change: { $0.spec.rolloutStrategy = "BlueGreen" }, expected: [
            ExpectedError("spec.rolloutStrategy", #"unsupported value "BlueGreen": use RollingUpdate or Recreate"#)
        ]),
        Case(name: "two storage backends", change: { $0.spec.storage = StorageSpec(emptyDir: EmptyDirStorage(), s3: S3Storage()) }, expected: [
            ExpectedError("spec.storage", "exactly one storage type should be configured at the same time, got 2: [emptyDir s3]")
        ]),
        Case(
            name: "three storage backends",
            change: { $0.spec.storage = StorageSpec(emptyDir: EmptyDirStorage(), pvc: PVCStorage(), s3: S3Storage()) },
            expected: [ExpectedError("spec.storage", "got 3: [emptyDir pvc s3]")]),
        Case(name: "storage managementState Removed", change: { $0.spec.storage?.managementState = .removed }, expected: [
            ExpectedError("spec.storage.managementState", #"unsupported value "Removed": use Managed or Unmanaged"#)
        ]),
        Case(name: "bad PVC claim name", change: { $0.spec.storage = StorageSpec(pvc: PVCStorage(claim: "My_Claim")) }, expected: [
            ExpectedError("spec.storage.pvc.claim", #""My_Claim" is not a valid DNS-1123 subdomain"#)
        ]),
        Case(
            name: "emptyDir with two replicas",
            change: {
                $0.spec.storage = StorageSpec(emptyDir: EmptyDirStorage())
                $0.spec.replicas = 2
            },
            expected: [ExpectedError("spec.storage.emptyDir", "emptyDir storage supports one replica only, got 2")]),
        Case(name: "negative read maxRunning", change: { $0.spec.requests = RequestsSpec(read: RequestLimits(maxRunning: -1)) }, expected: [
            ExpectedError("spec.requests.read.maxRunning", "must be greater than or equal to 0, got -1")
        ]),
        Case(name: "negative write maxInQueue", change: { $0.spec.requests = RequestsSpec(write: RequestLimits(maxInQueue: -5)) }, expected: [
            ExpectedError("spec.requests.write.maxInQueue", "must be greater than or equal to 0, got -5")
        ]),
        Case(
            name: "maxWaitInQueue not a duration",
            change: { $0.spec.requests = RequestsSpec(read: RequestLimits(maxWaitInQueue: "soon")) },
            expected: [ExpectedError("spec.requests.read.maxWaitInQueue", #"invalid duration "soon""#)]),
        Case(
            name: "maxWaitInQueue without unit",
            change: { $0.spec.requests = RequestsSpec(write: RequestLimits(maxWaitInQueue: "30")) },
            expected: [ExpectedError("spec.requests.write.maxWaitInQueue", "missing unit")]),
        Case(
            name: "negative maxWaitInQueue",
            change: { $0.spec.requests = RequestsSpec(read: RequestLimits(maxWaitInQueue: "-1s")) },
            expected: [ExpectedError("spec.requests.read.maxWaitInQueue", "must not be negative, got -1s")]),
        Case(name: "bad nodeSelector key", change: { $0.spec.nodeSelector = ["-os": "linux"] }, expected: [
            ExpectedError("spec.nodeSelector.-os", #"invalid label key "-os""#)
        ]),
        Case(name: "bad object name", change: { $0.metadata.name = "Cluster" }, expected: [
            ExpectedError("metadata.name", #""Cluster" is not a valid DNS-1123 subdomain"#)
        ]),
    ]

    /// Each invalid field is reported once, at its path, with a message saying what to do.
    @Test(arguments: invalid)
    func invalidConfigIsRefused(_ testCase: Case) {
        var config = Config()
        testCase.change(&config)
        let errors = Self.errors(config)
        #expect(ExpectedError.match(errors, testCase.expected), "got \(errors)")
    }

    private static let valid: [Case] = [
        Case(name: "default Config", change: { _ in }, expected: []),
        Case(name: "Removed", change: { $0.spec.managementState = .removed }, expected: []),
        Case(name: "Unmanaged", change: { $0.spec.managementState = .unmanaged }, expected: []),
        Case(name: "zero replicas", change: { $0.spec.replicas = 0 }, expected: []),
        Case(
            name: "emptyDir with one replica",
            change: { $0.spec.storage = StorageSpec(managementState: .managed, emptyDir: EmptyDirStorage()) }, expected: []),
        Case(
            name: "S3 with many replicas",
            change: {
                $0.spec.storage = StorageSpec(s3: S3Storage(bucket: "images"))
                $0.spec.replicas = 5
            }, expected: []),
        Case(name: "no storage backend (platform default)", change: { $0.spec.storage = StorageSpec() }, expected: []),
        Case(name: "empty storage managementState", change: { $0.spec.storage?.managementState = "" }, expected: []),
        Case(name: "every log level", change: { $0.spec.logLevel = "TraceAll" }, expected: []),
        Case(name: "empty log level and strategy", change: { $0.spec.logLevel = ""; $0.spec.rolloutStrategy = "" }, expected: []),
        Case(name: "Recreate", change: { $0.spec.rolloutStrategy = "Recreate" }, expected: []),
        Case(
            name: "request limits",
            change: {
                $0.spec.requests = RequestsSpec(
                    read: RequestLimits(maxRunning: 0, maxInQueue: 10, maxWaitInQueue: "1m30s"), write: RequestLimits(maxWaitInQueue: "0"))
            }, expected: []),
        Case(name: "prefixed nodeSelector key", change: { $0.spec.nodeSelector = ["kubernetes.io/os": "linux"] }, expected: []),
    ]

    /// Valid Configs, including every accepted variation, pass validation.
    @Test(arguments: valid)
    func validConfigPasses(_ testCase: Case) {
        var config = Config()
        testCase.change(&config)
        #expect(Self.errors(config) == [])
    }

    /// All problems are reported together, each at its own path, in field order.
    @Test func multipleProblemsAreReportedTogether() {
        var config = Config()
        config.spec.managementState = .force
        config.spec.replicas = -2
        config.spec.logLevel = "Loud"
        config.spec.storage = StorageSpec(emptyDir: EmptyDirStorage(), pvc: PVCStorage())
        config.spec.requests = RequestsSpec(read: RequestLimits(maxRunning: -1), write: RequestLimits(maxWaitInQueue: "x"))
        #expect(
            Self.errors(config).map(\.path) == [
                "spec.managementState", "spec.replicas", "spec.logLevel", "spec.storage", "spec.requests.read.maxRunning",
                "spec.requests.write.maxWaitInQueue",
            ])
    }

    /// `ConfigSpec.validationErrors()` reports paths relative to the spec, for callers that nest it.
    @Test func specErrorsAreRelativeToSpec() {
        let spec = ConfigSpec(replicas: -1, rolloutStrategy: "Nope")
        #expect(spec.validationErrors().map(\.path) == ["replicas", "rolloutStrategy"])
    }

    /// The effective log level and rollout strategy fall back to the operator's defaults.
    @Test func effectiveDefaults() {
        #expect(ConfigSpec().effectiveLogLevel == "Normal")
        #expect(ConfigSpec(logLevel: "").effectiveLogLevel == "Normal")
        #expect(ConfigSpec(logLevel: "Debug").effectiveLogLevel == "Debug")
        #expect(ConfigSpec().effectiveRolloutStrategy == "RollingUpdate")
        #expect(ConfigSpec(rolloutStrategy: "Recreate").effectiveRolloutStrategy == "Recreate")
    }

    private static func errors(_ config: Config) -> [FieldError] {
        do {
            try config.validate()
            return []
        } catch {
            return error.errors
        }
    }
}

/// The storage management state the operator fills in when the user leaves it empty.
@Suite struct StorageDefaultingTests {
    /// A storage spec and the management states it must resolve to.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let storage: StorageSpec
        let defaultState: ManagementState
        let effectiveState: ManagementState
        var testDescription: String { name }
    }

    private static let cases: [Case] = [
        Case(name: "PVC without claim", storage: StorageSpec(pvc: PVCStorage()), defaultState: .managed, effectiveState: .managed),
        Case(name: "PVC with empty claim", storage: StorageSpec(pvc: PVCStorage(claim: "")), defaultState: .managed, effectiveState: .managed),
        Case(name: "PVC with user claim", storage: StorageSpec(pvc: PVCStorage(claim: "mine")), defaultState: .unmanaged, effectiveState: .unmanaged),
        Case(name: "S3 without bucket", storage: StorageSpec(s3: S3Storage(region: "eu")), defaultState: .managed, effectiveState: .managed),
        Case(name: "S3 with user bucket", storage: StorageSpec(s3: S3Storage(bucket: "b")), defaultState: .unmanaged, effectiveState: .unmanaged),
        Case(name: "emptyDir", storage: StorageSpec(emptyDir: EmptyDirStorage()), defaultState: .managed, effectiveState: .managed),
        Case(name: "no backend", storage: StorageSpec(), defaultState: .managed, effectiveState: .managed),
        Case(
            name: "explicit Unmanaged beats the default", storage: StorageSpec(managementState: .unmanaged, pvc: PVCStorage()),
            defaultState: .managed, effectiveState: .unmanaged),
        Case(
            name: "explicit Managed beats the default", storage: StorageSpec(managementState: .managed, pvc: PVCStorage(claim: "mine")),
            defaultState: .unmanaged, effectiveState: .managed),
        Case(
            name: "empty state takes the default", storage: StorageSpec(managementState: "", pvc: PVCStorage(claim: "mine")),
            defaultState: .unmanaged, effectiveState: .unmanaged),
    ]

    /// `defaultManagementState` and `effectiveManagementState` follow the operator's rules.
    @Test(arguments: cases)
    func storageManagementStateDefaults(_ testCase: Case) {
        #expect(testCase.storage.defaultManagementState == testCase.defaultState)
        #expect(testCase.storage.effectiveManagementState == testCase.effectiveState)
    }

    /// `backendOnly` drops the management state so that only a backend change counts as a change.
    @Test func backendOnlyIgnoresManagementState() {
        let managed = StorageSpec(managementState: .managed, pvc: PVCStorage(claim: "c"))
        let unmanaged = StorageSpec(managementState: .unmanaged, pvc: PVCStorage(claim: "c"))
        #expect(managed.backendOnly == unmanaged.backendOnly)
        #expect(managed.backendOnly == StorageSpec(pvc: PVCStorage(claim: "c")))
        #expect(managed.backendOnly != StorageSpec(pvc: PVCStorage(claim: "d")).backendOnly)
    }

    /// `configuredBackends` names the backends in a fixed order.
    @Test func configuredBackendsAreNamed() {
        #expect(StorageSpec().configuredBackends == [])
        #expect(StorageSpec(pvc: PVCStorage()).configuredBackends == ["pvc"])
        #expect(StorageSpec(emptyDir: EmptyDirStorage(), pvc: PVCStorage(), s3: S3Storage()).configuredBackends == ["emptyDir", "pvc", "s3"])
    }
}
