import Foundation
import KubeClient
import RegistryModel
import Testing
@testable import RegistryOperator

@Suite struct ConfigStatusCalculatorTests {
    let calculator = ConfigStatusCalculator(options: OperatorOptions(unavailableDegradedAfter: 300, imagePullDegradedAfter: 60))

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var state: ManagementState
        var snapshot: RuntimeSnapshot
        var error: OperatorError?
        var available: (ConditionStatus, String)
        var progressing: (ConditionStatus, String)
        var degraded: (ConditionStatus, String)
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "healthy", state: .managed, snapshot: Fixtures.healthySnapshot(), available: (.true, "Ready"), progressing: (.false, "Ready"), degraded: (.false, "AsExpected")),
        Case(name: "unmanaged", state: .unmanaged, snapshot: RuntimeSnapshot(), available: (.true, "Unmanaged"), progressing: (.false, "Unmanaged"), degraded: (.false, "Unmanaged")),
        Case(name: "no deployment yet", state: .managed, snapshot: RuntimeSnapshot(), available: (.false, "DeploymentNotFound"), progressing: (.true, "WaitingForDeployment"), degraded: (.false, "AsExpected")),
        Case(
            name: "no replicas available", state: .managed,
            snapshot: RuntimeSnapshot(registryDeployment: Fixtures.deployment(name: "image-registry", available: 0, progressing: (.true, "ReplicaSetUpdated"))),
            available: (.false, "NoReplicasAvailable"), progressing: (.true, "DeploymentNotCompleted"), degraded: (.false, "AsExpected")),
        Case(
            name: "minimum availability", state: .managed,
            snapshot: {
                var snapshot = Fixtures.healthySnapshot(replicas: 3)
                snapshot.registryDeployment = Fixtures.deployment(name: "image-registry", replicas: 3, available: 2, progressing: (.true, "ReplicaSetUpdated"))
                return snapshot
            }(),
            available: (.true, "MinimumAvailability"), progressing: (.true, "DeploymentNotCompleted"), degraded: (.false, "AsExpected")),
        Case(
            name: "api server missing", state: .managed,
            snapshot: RuntimeSnapshot(registryDeployment: Fixtures.deployment(name: "image-registry")),
            available: (.false, "DeploymentNotFound"), progressing: (.true, "WaitingForDeployment"), degraded: (.false, "AsExpected")),
        Case(
            name: "progress deadline exceeded", state: .managed,
            snapshot: {
                var snapshot = Fixtures.healthySnapshot()
                snapshot.apiServerDeployment = Fixtures.deployment(name: "image-api-server", available: 1, progressing: (.false, "ProgressDeadlineExceeded"), message: "ReplicaSet has timed out progressing")
                return snapshot
            }(),
            available: (.true, "Ready"), progressing: (.false, "ProgressDeadlineExceeded"), degraded: (.true, "ProgressDeadlineExceeded")),
        Case(
            name: "registry progress deadline exceeded", state: .managed,
            snapshot: {
                var snapshot = Fixtures.healthySnapshot()
                snapshot.registryDeployment = Fixtures.deployment(name: "image-registry", available: 1, progressing: (.false, "ProgressDeadlineExceeded"), message: "ReplicaSet has timed out progressing")
                return snapshot
            }(),
            available: (.true, "Ready"), progressing: (.false, "ProgressDeadlineExceeded"), degraded: (.true, "ProgressDeadlineExceeded")),
        Case(
            name: "permanent verification error", state: .managed, snapshot: RuntimeSnapshot(),
            error: OperatorError(code: .verificationFailed, message: "spec.replicas: must be greater than or equal to 0", isPermanent: true),
            available: (.false, "VerificationFailed"), progressing: (.false, "Error"), degraded: (.true, "VerificationFailed")),
        Case(
            name: "transient apply error", state: .managed, snapshot: Fixtures.healthySnapshot(),
            error: OperatorError(code: .apply, message: "update deployment: conflict"),
            available: (.true, "Ready"), progressing: (.true, "Error"), degraded: (.false, "AsExpected")),
        Case(name: "removed and gone", state: .removed, snapshot: RuntimeSnapshot(), available: (.true, "Removed"), progressing: (.false, "Removed"), degraded: (.false, "Removed")),
        Case(name: "removed, still deleting", state: .removed, snapshot: Fixtures.healthySnapshot(), available: (.true, "Ready"), progressing: (.true, "DeletingDeployment"), degraded: (.false, "Removed")),
    ]

    /// Available, Progressing and Degraded follow upstream's first-match rules, extended to both deployments.
    @Test(arguments: cases) func conditions(_ testCase: Case) {
        let status = calculator.compute(previous: nil, inputs: Fixtures.inputs(state: testCase.state, error: testCase.error), snapshot: testCase.snapshot, now: Fixtures.now)
        let conditions = status.conditions ?? []
        for (type, expected) in [("Available", testCase.available), ("Progressing", testCase.progressing), ("Degraded", testCase.degraded)] {
            let condition = conditions[type: type]
            #expect(condition?.status == expected.0, "\(type)")
            #expect(condition?.reason == expected.1, "\(type)")
        }
        #expect(conditions.has("Removed", testCase.state == .removed ? .true : .false))
        #expect(status.observedGeneration == 2)
    }

    /// Unavailable for five minutes degrades with Available's message; before that it does not.
    @Test func unavailableDegradesAfterInertia() {
        let first = calculator.compute(previous: nil, inputs: Fixtures.inputs(), snapshot: RuntimeSnapshot(), now: Fixtures.now)
        #expect(first.conditions?.has("Degraded", .false) == true)
        let later = calculator.compute(previous: first, inputs: Fixtures.inputs(), snapshot: RuntimeSnapshot(), now: Fixtures.now.addingTimeInterval(299))
        #expect(later.conditions?.has("Degraded", .false) == true)
        let degraded = calculator.compute(previous: first, inputs: Fixtures.inputs(), snapshot: RuntimeSnapshot(), now: Fixtures.now.addingTimeInterval(300))
        let condition = degraded.conditions?[type: "Degraded"]
        #expect(condition?.status == .true)
        #expect(condition?.reason == "Unavailable")
        #expect(condition?.message == "The deployment image-registry does not exist")
    }

    /// A pod that cannot pull its image degrades after the grace period, naming the deployment and the image.
    @Test func imagePullFailureDegrades() {
        var snapshot = Fixtures.healthySnapshot()
        snapshot.registryPods = [Fixtures.pod(app: "image-registry", created: Fixtures.now, waitingReason: "ImagePullBackOff")]
        let early = calculator.compute(previous: nil, inputs: Fixtures.inputs(), snapshot: snapshot, now: Fixtures.now.addingTimeInterval(30))
        #expect(early.conditions?.has("Degraded", .false) == true)
        let late = calculator.compute(previous: nil, inputs: Fixtures.inputs(), snapshot: snapshot, now: Fixtures.now.addingTimeInterval(61))
        let degraded = late.conditions?[type: "Degraded"]
        #expect(degraded?.reason == "ImagePullFailed")
        #expect(degraded?.message?.contains("Deployment image-registry") == true)
        #expect(degraded?.message?.contains("bad/image:1") == true)
    }

    /// Transition times move only when a condition's status changes.
    @Test func transitionTimesMoveOnlyOnStatusChange() {
        let first = calculator.compute(previous: nil, inputs: Fixtures.inputs(), snapshot: Fixtures.healthySnapshot(), now: Fixtures.now)
        var snapshot = Fixtures.healthySnapshot(replicas: 3)
        snapshot.registryDeployment = Fixtures.deployment(name: "image-registry", replicas: 3, available: 2)
        let second = calculator.compute(previous: first, inputs: Fixtures.inputs(), snapshot: snapshot, now: Fixtures.now.addingTimeInterval(10))
        let before = first.conditions?[type: "Available"]
        let after = second.conditions?[type: "Available"]
        #expect(after?.reason == "MinimumAvailability")
        #expect(after?.lastTransitionTime == before?.lastTransitionTime)
        let third = calculator.compute(previous: second, inputs: Fixtures.inputs(), snapshot: RuntimeSnapshot(), now: Fixtures.now.addingTimeInterval(20))
        #expect(third.conditions?[type: "Available"]?.lastTransitionTime == Fixtures.now.addingTimeInterval(20))
    }

    /// ImageAPIAvailable needs the api-server deployment and an Available APIService.
    @Test func imageAPIAvailability() {
        var snapshot = Fixtures.healthySnapshot()
        #expect(calculator.compute(previous: nil, inputs: Fixtures.inputs(), snapshot: snapshot, now: Fixtures.now).conditions?.has("ImageAPIAvailable", .true) == true)
        snapshot.apiService?.status = APIServiceStatus(conditions: [Condition(type: "Available", status: .false, reason: "MissingEndpoints", message: "endpoints for service/image-api-server have no addresses")])
        let condition = calculator.compute(previous: nil, inputs: Fixtures.inputs(), snapshot: snapshot, now: Fixtures.now).conditions?[type: "ImageAPIAvailable"]
        #expect(condition?.status == .false)
        #expect(condition?.message?.contains("no addresses") == true)
    }
}
