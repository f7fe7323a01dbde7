import RegistryModel
import Testing

/// `ImagePruner.validate()` must refuse a spec the pruner CronJob could not run, naming the field.
@Suite struct ImagePrunerValidationTests {
    /// A spec and the errors it must cause.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let spec: ImagePrunerSpec
        let expected: [ExpectedError]
        var testDescription: String { name }
    }

    private static let invalid: [Case] = [
        Case(name: "minute out of range", spec: ImagePrunerSpec(schedule: "61 * * * *"), expected: [
            ExpectedError("spec.schedule", #"invalid cron expression "61 * * * *": minute value 61 is out of range 0-59"#)
        ]),
        Case(name: "four fields", spec: ImagePrunerSpec(schedule: "0 0 * *"), expected: [
            ExpectedError("spec.schedule", #"invalid cron expression "0 0 * *": expected 5 fields"#)
        ]),
        Case(name: "zero step", spec: ImagePrunerSpec(schedule: "*/0 * * * *"), expected: [
            ExpectedError("spec.schedule", #"minute step "0" must be a positive integer"#)
        ]),
        Case(name: "reversed range", spec: ImagePrunerSpec(schedule: "0 10-5 * * *"), expected: [
            ExpectedError("spec.schedule", #"hour range "10-5" ends before it starts"#)
        ]),
        Case(name: "unknown month name", spec: ImagePrunerSpec(schedule: "0 0 1 foo *"), expected: [
            ExpectedError("spec.schedule", #"month value "foo" is not a number"#)
        ]),
        Case(name: "unknown weekday name", spec: ImagePrunerSpec(schedule: "0 0 * * funday"), expected: [
            ExpectedError("spec.schedule", #"day-of-week value "funday" is not a number"#)
        ]),
        Case(name: "negative keepTagRevisions", spec: ImagePrunerSpec(keepTagRevisions: -1), expected: [
            ExpectedError("spec.keepTagRevisions", "must be greater than or equal to 0, got -1")
        ]),
        Case(name: "negative deprecated keepYoungerThan", spec: ImagePrunerSpec(keepYoungerThan: -10), expected: [
            ExpectedError("spec.keepYoungerThan", "must be greater than or equal to 0, got -10")
        ]),
        Case(name: "keepYoungerThanDuration without unit", spec: ImagePrunerSpec(keepYoungerThanDuration: "60"), expected: [
            ExpectedError("spec.keepYoungerThanDuration", #"invalid duration "60": missing unit"#)
        ]),
        Case(name: "keepYoungerThanDuration with unknown unit", spec: ImagePrunerSpec(keepYoungerThanDuration: "3d"), expected: [
            ExpectedError("spec.keepYoungerThanDuration", #"unknown unit "d""#)
        ]),
        Case(name: "negative keepYoungerThanDuration", spec: ImagePrunerSpec(keepYoungerThanDuration: "-5m"), expected: [
            ExpectedError("spec.keepYoungerThanDuration", #"must not be negative, got "-5m""#)
        ]),
        Case(name: "negative successful history", spec: ImagePrunerSpec(successfulJobsHistoryLimit: -1), expected: [
            ExpectedError("spec.successfulJobsHistoryLimit", "must be greater than or equal to 0, got -1")
        ]),
        Case(name: "negative failed history", spec: ImagePrunerSpec(failedJobsHistoryLimit: -2), expected: [
            ExpectedError("spec.failedJobsHistoryLimit", "must be greater than or equal to 0, got -2")
        ]),
        Case(name: "bad logLevel", spec: ImagePrunerSpec(logLevel: "Chatty"), expected: [
            ExpectedError("spec.logLevel", #"unsupported value "Chatty""#)
        ]),
        Case(name: "bad nodeSelector value", spec: ImagePrunerSpec(nodeSelector: ["zone": "eu west"]), expected: [
            ExpectedError("spec.nodeSelector.zone", #"invalid label value "eu west""#)
        ]),
        Case(
            name: "several problems together",
            spec: ImagePrunerSpec(schedule: "bad", keepTagRevisions: -1, keepYoungerThanDuration: "x", failedJobsHistoryLimit: -1),
            expected: [
                ExpectedError("spec.schedule", "expected 5 fields"), ExpectedError("spec.keepTagRevisions", "got -1"),
                ExpectedError("spec.keepYoungerThanDuration", "invalid duration"), ExpectedError("spec.failedJobsHistoryLimit", "got -1"),
            ]),
    ]

    /// Each invalid field is reported at its path with a message naming the bad value.
    @Test(arguments: invalid)
    func invalidPrunerIsRefused(_ testCase: Case) {
        let errors = Self.errors(ImagePruner(spec: testCase.spec))
        #expect(ExpectedError.match(errors, testCase.expected), "got \(errors)")
    }

    private static let valid: [Case] = [
        Case(name: "bootstrap spec", spec: .bootstrap, expected: []),
        Case(name: "empty spec", spec: ImagePrunerSpec(), expected: []),
        Case(name: "empty schedule means the default", spec: ImagePrunerSpec(schedule: ""), expected: []),
        Case(name: "shorthand schedule", spec: ImagePrunerSpec(schedule: "@daily"), expected: []),
        Case(name: "zero retention", spec: ImagePrunerSpec(keepTagRevisions: 0, keepYoungerThanDuration: "0"), expected: []),
        Case(name: "compound duration", spec: ImagePrunerSpec(keepYoungerThanDuration: "1h30m"), expected: []),
        Case(name: "deprecated nanoseconds", spec: ImagePrunerSpec(keepYoungerThan: 3_600_000_000_000), expected: []),
    ]

    /// Valid specs pass.
    @Test(arguments: valid)
    func validPrunerPasses(_ testCase: Case) {
        #expect(Self.errors(ImagePruner(spec: testCase.spec)) == [])
    }

    /// A bad object name is reported like the API server would.
    @Test func badNameIsRefused() {
        let errors = Self.errors(ImagePruner(metadata: ObjectMeta(name: "")))
        #expect(errors.map(\.path) == ["metadata.name"])
    }

    /// One way of stating how long new images are kept, and what it resolves to.
    struct Retention: Sendable, CustomTestStringConvertible {
        let name: String
        let spec: ImagePrunerSpec
        let expected: GoDuration?
        var testDescription: String { name }
    }

    private static let retentions: [Retention] = [
        Retention(name: "duration", spec: ImagePrunerSpec(keepYoungerThanDuration: "90m"), expected: GoDuration(nanoseconds: 5_400_000_000_000)),
        Retention(
            name: "deprecated nanoseconds", spec: ImagePrunerSpec(keepYoungerThan: 7_200_000_000_000),
            expected: GoDuration(nanoseconds: 7_200_000_000_000)),
        Retention(
            name: "duration wins over nanoseconds", spec: ImagePrunerSpec(keepYoungerThan: 7_200_000_000_000, keepYoungerThanDuration: "5m"),
            expected: GoDuration(nanoseconds: 300_000_000_000)),
        Retention(
            name: "empty duration falls back to nanoseconds", spec: ImagePrunerSpec(keepYoungerThan: 1_000_000_000, keepYoungerThanDuration: ""),
            expected: GoDuration(nanoseconds: 1_000_000_000)),
        Retention(name: "neither: 60 minutes", spec: ImagePrunerSpec(), expected: GoDuration(nanoseconds: 3_600_000_000_000)),
        Retention(name: "invalid duration: nil", spec: ImagePrunerSpec(keepYoungerThanDuration: "soon"), expected: nil),
    ]

    /// `effectiveKeepYoungerThan` reads the duration, then the deprecated nanoseconds, then 60m.
    @Test(arguments: retentions)
    func effectiveKeepYoungerThan(_ testCase: Retention) {
        #expect(testCase.spec.effectiveKeepYoungerThan == testCase.expected)
    }

    /// An empty spec resolves to the same values the operator bootstraps.
    @Test func emptySpecResolvesToBootstrapDefaults() {
        let empty = ImagePrunerSpec()
        let bootstrap = ImagePrunerSpec.bootstrap
        #expect(empty.effectiveSchedule == "0 0 * * *")
        #expect(ImagePrunerSpec(schedule: "").effectiveSchedule == "0 0 * * *")
        #expect(empty.effectiveSchedule == bootstrap.schedule)
        #expect(empty.effectiveSuspend == bootstrap.suspend)
        #expect(empty.effectiveKeepTagRevisions == bootstrap.keepTagRevisions)
        #expect(empty.effectiveSuccessfulJobsHistoryLimit == bootstrap.successfulJobsHistoryLimit)
        #expect(empty.effectiveFailedJobsHistoryLimit == bootstrap.failedJobsHistoryLimit)
        #expect(empty.effectiveIgnoreInvalidImageReferences == bootstrap.ignoreInvalidImageReferences)
        #expect(empty.effectiveLogLevel == bootstrap.logLevel)
        #expect(empty.effectiveKeepYoungerThan == bootstrap.effectiveKeepYoungerThan)
    }

    private static func errors(_ pruner: ImagePruner) -> [FieldError] {
        do {
            try pruner.validate()
            return []
        } catch {
            return error.errors
        }
    }
}
