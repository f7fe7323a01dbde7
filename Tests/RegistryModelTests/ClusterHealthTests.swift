import FleetModel
import Foundation
import RegistryModel
import Testing

/// `ClusterHealth.evaluate` must turn a cluster's latest report into one fleet state, first match wins.
@Suite struct ClusterHealthTests {
    private static let now = Fixtures.time("2026-03-14T10:00:00Z")
    private static let lease: TimeInterval = 60

    private static let healthy = [
        Fixtures.condition("Available", .true, "Ready", "The registry is ready"),
        Fixtures.condition("Progressing", .false, "Ready"),
        Fixtures.condition("Degraded", .false),
    ]

    /// A report, how old it is, the desired generation and the health it must give.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let report: AgentReport?
        var age: TimeInterval = 5
        var desiredGeneration: Int64 = 5
        let state: ClusterState
        let reason: String
        var message: String?
        var prunerFailing = false
        var testDescription: String { name }
    }

    private static let cases: [Case] = [
        Case(name: "never reported", report: nil, state: .unknown, reason: "NeverReported"),
        Case(
            name: "stale healthy report is Offline", report: Fixtures.report(conditions: healthy), age: 61, state: .offline,
            reason: "LeaseExpired", message: "no report for 61s (lease 60s)"),
        Case(
            name: "stale degraded report is Offline",
            report: Fixtures.report(conditions: [Fixtures.condition("Degraded", .true, "Unavailable")]), age: 3600, state: .offline,
            reason: "LeaseExpired"),
        Case(name: "report exactly at the lease is current", report: Fixtures.report(conditions: healthy), age: 60, state: .healthy, reason: "Ready"),
        Case(
            name: "Degraded=True carries its reason and message",
            report: Fixtures.report(conditions: healthy.replacingCondition("Degraded", with: Fixtures.condition("Degraded", .true, "Unavailable", "no pods for 5m"))),
            state: .degraded, reason: "Unavailable", message: "no pods for 5m"),
        Case(
            name: "Degraded wins over an unapplied policy",
            report: Fixtures.report(observedGeneration: 4, conditions: [Fixtures.condition("Degraded", .true, "VerificationFailed", "bad")]),
            state: .degraded, reason: "VerificationFailed", message: "bad"),
        Case(
            name: "Degraded without reason", report: Fixtures.report(conditions: [Fixtures.condition("Degraded", .true)]), state: .degraded,
            reason: "Degraded", message: ""),
        Case(
            name: "agent behind the desired generation", report: Fixtures.report(observedGeneration: 4, conditions: healthy), state: .progressing,
            reason: "ApplyingPolicy", message: "agent applied generation 4, desired 5"),
        Case(
            name: "operator behind the Config generation",
            report: Fixtures.report(generation: 7, operatorObservedGeneration: 6, conditions: healthy), state: .progressing,
            reason: "Reconciling", message: "operator observed generation 6 of 7"),
        Case(
            name: "Removed and torn down",
            report: Fixtures.report(
                managementState: .removed,
                conditions: [
                    Fixtures.condition("Available", .true, "Removed"), Fixtures.condition("Progressing", .false, "Removed"),
                    Fixtures.condition("Removed", .true, "Removed"),
                ]),
            state: .removed, reason: "Removed"),
        Case(
            name: "Removed still deleting",
            report: Fixtures.report(
                managementState: .removed,
                conditions: [
                    Fixtures.condition("Progressing", .true, "DeletingDeployment", "deleting image-registry"),
                    Fixtures.condition("Removed", .true, "Removed"),
                ]),
            state: .progressing, reason: "DeletingDeployment", message: "deleting image-registry"),
        Case(
            name: "Removed requested, operator not yet reporting it",
            report: Fixtures.report(managementState: .removed, conditions: healthy), state: .progressing, reason: "Removing",
            message: "removing the registry"),
        Case(
            name: "Removed requested, no conditions yet", report: Fixtures.report(managementState: .removed), state: .progressing,
            reason: "Removing", message: "removing the registry"),
        Case(
            name: "Available and not progressing", report: Fixtures.report(conditions: healthy), state: .healthy, reason: "Ready",
            message: "The registry is ready"),
        Case(
            name: "Unmanaged registry",
            report: Fixtures.report(
                managementState: .unmanaged,
                conditions: [Fixtures.condition("Available", .true, "Unmanaged"), Fixtures.condition("Progressing", .false, "Unmanaged")]),
            state: .healthy, reason: "Unmanaged"),
        Case(
            name: "Available but rolling out",
            report: Fixtures.report(
                conditions: healthy.replacingCondition("Progressing", with: Fixtures.condition("Progressing", .true, "DeploymentNotCompleted", "1 of 2"))),
            state: .progressing, reason: "DeploymentNotCompleted", message: "1 of 2"),
        Case(
            name: "not available yet",
            report: Fixtures.report(conditions: [Fixtures.condition("Available", .false, "NoReplicasAvailable", "0 of 1 ready")]),
            state: .progressing, reason: "NoReplicasAvailable", message: "0 of 1 ready"),
        Case(name: "no conditions yet", report: Fixtures.report(), state: .progressing, reason: "WaitingForStatus"),
        Case(
            name: "failed pruner job keeps the registry Healthy",
            report: Fixtures.report(conditions: healthy, prunerConditions: [Fixtures.condition("Failed", .true, "JobFailed")]), state: .healthy,
            reason: "Ready", prunerFailing: true),
        Case(
            name: "pruner that has not failed",
            report: Fixtures.report(conditions: healthy, prunerConditions: [Fixtures.condition("Failed", .false)]), state: .healthy,
            reason: "Ready", prunerFailing: false),
        Case(
            name: "Offline still shows the failing pruner",
            report: Fixtures.report(conditions: healthy, prunerConditions: [Fixtures.condition("Failed", .true)]), age: 120, state: .offline,
            reason: "LeaseExpired", prunerFailing: true),
    ]

    /// Each report gives the expected state, reason, message and pruner flag.
    @Test(arguments: cases)
    func evaluate(_ testCase: Case) {
        let health = ClusterHealth.evaluate(
            report: testCase.report, receivedAt: testCase.report.map { _ in Self.now.addingTimeInterval(-testCase.age) },
            desiredGeneration: testCase.desiredGeneration, now: Self.now, lease: Self.lease)
        #expect(health.state == testCase.state)
        #expect(health.reason == testCase.reason)
        if let message = testCase.message { #expect(health.message == message) }
        #expect(health.prunerFailing == testCase.prunerFailing)
    }

    /// A report without a receive time counts as never reported.
    @Test func reportWithoutReceiveTimeIsUnknown() {
        let health = ClusterHealth.evaluate(
            report: Fixtures.report(conditions: Self.healthy), receivedAt: nil, desiredGeneration: 5, now: Self.now, lease: Self.lease)
        #expect(health.state == .unknown)
    }
}

extension [Condition] {
    /// The list with the condition of `type` replaced, for cases that differ from a healthy list in one condition.
    fileprivate func replacingCondition(_ type: String, with condition: Condition) -> [Condition] {
        map { $0.type == type ? condition : $0 }
    }
}
