import Foundation
import RegistryModel
import Testing

/// `[Condition].set(_:now:)` must move `lastTransitionTime` only when the status changes.
@Suite struct ConditionTests {
    private static let earlier = Fixtures.time("2026-03-14T09:00:00Z")
    private static let now = Fixtures.time("2026-03-14T10:00:00Z")

    /// An existing condition list, the condition set on it and what must result.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let existing: [Condition]
        let incoming: Condition
        let changed: Bool
        let expected: [Condition]
        var testDescription: String { name }
    }

    private static let cases: [Case] = [
        Case(
            name: "new type is appended at now",
            existing: [Condition(type: "Available", status: .true, lastTransitionTime: earlier)],
            incoming: Condition(type: "Degraded", status: .false, reason: "AsExpected"),
            changed: true,
            expected: [
                Condition(type: "Available", status: .true, lastTransitionTime: earlier),
                Condition(type: "Degraded", status: .false, reason: "AsExpected", lastTransitionTime: now),
            ]),
        Case(
            name: "identical observation changes nothing",
            existing: [Condition(type: "Available", status: .true, reason: "Ready", message: "m", lastTransitionTime: earlier)],
            incoming: Condition(type: "Available", status: .true, reason: "Ready", message: "m"),
            changed: false,
            expected: [Condition(type: "Available", status: .true, reason: "Ready", message: "m", lastTransitionTime: earlier)]),
        Case(
            name: "reason change keeps the transition time",
            existing: [Condition(type: "Available", status: .true, reason: "MinimumAvailability", lastTransitionTime: earlier)],
            incoming: Condition(type: "Available", status: .true, reason: "Ready"),
            changed: true,
            expected: [Condition(type: "Available", status: .true, reason: "Ready", lastTransitionTime: earlier)]),
        Case(
            name: "message change keeps the transition time",
            existing: [Condition(type: "Progressing", status: .true, reason: "Rolling", message: "1 of 2", lastTransitionTime: earlier)],
            incoming: Condition(type: "Progressing", status: .true, reason: "Rolling", message: "2 of 2"),
            changed: true,
            expected: [Condition(type: "Progressing", status: .true, reason: "Rolling", message: "2 of 2", lastTransitionTime: earlier)]),
        Case(
            name: "status change bumps the transition time",
            existing: [Condition(type: "Available", status: .true, reason: "Ready", lastTransitionTime: earlier)],
            incoming: Condition(type: "Available", status: .false, reason: "NoReplicasAvailable"),
            changed: true,
            expected: [Condition(type: "Available", status: .false, reason: "NoReplicasAvailable", lastTransitionTime: now)]),
        Case(
            name: "to Unknown is a status change",
            existing: [Condition(type: "Available", status: .true, lastTransitionTime: earlier)],
            incoming: Condition(type: "Available", status: .unknown),
            changed: true,
            expected: [Condition(type: "Available", status: .unknown, lastTransitionTime: now)]),
        Case(
            name: "caller's transition time is ignored",
            existing: [Condition(type: "Available", status: .true, lastTransitionTime: earlier)],
            incoming: Condition(type: "Available", status: .true, lastTransitionTime: Fixtures.time("2020-01-01T00:00:00Z")),
            changed: false,
            expected: [Condition(type: "Available", status: .true, lastTransitionTime: earlier)]),
        Case(
            name: "missing transition time is filled in",
            existing: [Condition(type: "Available", status: .true)],
            incoming: Condition(type: "Available", status: .true),
            changed: true,
            expected: [Condition(type: "Available", status: .true, lastTransitionTime: now)]),
        Case(
            name: "other conditions keep their place and time",
            existing: [
                Condition(type: "Available", status: .true, lastTransitionTime: earlier),
                Condition(type: "Progressing", status: .true, lastTransitionTime: earlier),
                Condition(type: "Degraded", status: .false, lastTransitionTime: earlier),
            ],
            incoming: Condition(type: "Progressing", status: .false, reason: "Ready"),
            changed: true,
            expected: [
                Condition(type: "Available", status: .true, lastTransitionTime: earlier),
                Condition(type: "Progressing", status: .false, reason: "Ready", lastTransitionTime: now),
                Condition(type: "Degraded", status: .false, lastTransitionTime: earlier),
            ]),
    ]

    /// `set` reports whether anything changed and moves the transition time only on status changes.
    @Test(arguments: cases)
    func set(_ testCase: Case) {
        var conditions = testCase.existing
        let changed = conditions.set(testCase.incoming, now: Self.now)
        #expect(changed == testCase.changed)
        #expect(conditions == testCase.expected)
    }

    /// Lookup by type and status.
    @Test func lookup() {
        let conditions = [Condition(type: "Available", status: .true), Condition(type: "Degraded", status: .false)]
        #expect(conditions[type: "Degraded"]?.status == .false)
        #expect(conditions[type: "Removed"] == nil)
        #expect(conditions.has("Available", .true))
        #expect(!conditions.has("Available", .false))
        #expect(!conditions.has("Removed", .false))
    }

    /// `sameObservation` ignores the transition time and treats a missing reason as empty.
    @Test func sameObservation() {
        let base = Condition(type: "A", status: .true, reason: nil, message: "", lastTransitionTime: Self.earlier)
        #expect(base.sameObservation(as: Condition(type: "A", status: .true, reason: "", message: nil, lastTransitionTime: Self.now)))
        #expect(!base.sameObservation(as: Condition(type: "A", status: .false)))
        #expect(!base.sameObservation(as: Condition(type: "A", status: .true, reason: "Other")))
        #expect(!base.sameObservation(as: Condition(type: "A", status: .true, observedGeneration: 2)))
    }
}
