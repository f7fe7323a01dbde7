import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing

/// Pins the simulated workload controllers, scheduler and kubelet on a manual clock.
@Suite struct SimulatedClusterWorkloadTests {
    /// A Deployment's pods become Ready `podReadyDelay` after creation, and only then is it Available.
    @Test func deploymentBecomesAvailableAfterReadyDelay() async throws {
        let (cluster, clock) = Fixture.cluster()
        _ = try await cluster.create(.deployments, Fixture.deployment("web", replicas: 2))
        await cluster.step()
        let pending = try #require(try await cluster.stored(Deployment.self, namespace: "default", name: "web"))
        #expect(pending.status?.replicas == 2)
        #expect(pending.status?.updatedReplicas == 2)
        #expect(pending.status?.readyReplicas == nil)
        #expect(pending.status?.unavailableReplicas == 2)
        #expect(pending.status?.conditions?.status("Available") == .false)
        #expect(pending.status?.conditions?[type: "Progressing"]?.reason == "ReplicaSetUpdated")

        let pods = try await cluster.pods()
        #expect(pods.count == 2)
        #expect(Set(pods.compactMap(\.spec.nodeName)).count == 2)
        for pod in pods {
            let hash = try #require(pod.metadata.labels?["pod-template-hash"])
            #expect(pod.metadata.name.hasPrefix("web-\(hash)-"))
            #expect(pod.metadata.ownerReferences?.first?.uid == pending.metadata.uid)
            #expect(pod.status?.phase == "Pending")
        }

        clock.advance(by: 1)
        await cluster.step()
        #expect(try await cluster.stored(Deployment.self, namespace: "default", name: "web")?.status?.readyReplicas == nil)

        clock.advance(by: 1)
        await cluster.step()
        let ready = try #require(try await cluster.stored(Deployment.self, namespace: "default", name: "web"))
        #expect(ready.status?.observedGeneration == 1)
        #expect(ready.status?.readyReplicas == 2)
        #expect(ready.status?.availableReplicas == 2)
        #expect(ready.status?.unavailableReplicas == nil)
        #expect(ready.status?.conditions?[type: "Available"]?.reason == "MinimumReplicasAvailable")
        #expect(ready.status?.conditions?[type: "Progressing"]?.reason == "NewReplicaSetAvailable")
        #expect(try await cluster.pods().allSatisfy { $0.status?.phase == "Running" })
    }

    /// When nothing changed and no timer is due, a step writes nothing.
    @Test func idleStepWritesNothing() async throws {
        let (cluster, clock) = Fixture.cluster()
        _ = try await cluster.create(.deployments, Fixture.deployment("web"))
        await cluster.step()
        clock.advance(by: 5)
        await cluster.step()
        let settled = await cluster.resourceVersion
        clock.advance(by: 60)
        await cluster.step()
        await cluster.step()
        #expect(await cluster.resourceVersion == settled)
    }

    /// Why a pod cannot be placed, and the scheduler's explanation.
    struct UnschedulableCase: Sendable, CustomTestStringConvertible {
        var name: String
        var nodeSelector: [String: String]?
        var nodesReady: Bool
        var reason: String
        var testDescription: String { name }
    }

    /// A pod with no Ready, matching node stays Pending (Unschedulable) and its Deployment is not Available.
    @Test(arguments: [
        UnschedulableCase(
            name: "selector matches no node", nodeSelector: ["disk": "ssd"], nodesReady: true, reason: "didn't match Pod's node affinity/selector"),
        UnschedulableCase(name: "every node NotReady", nodeSelector: nil, nodesReady: false, reason: "node.kubernetes.io/not-ready"),
    ])
    func unschedulablePodStaysPending(_ testCase: UnschedulableCase) async throws {
        let (cluster, clock) = Fixture.cluster()
        if !testCase.nodesReady {
            for node in ["node-1", "node-2", "node-3"] { try await cluster.setNodeReady(node, false) }
        }
        _ = try await cluster.create(.deployments, Fixture.deployment("web", nodeSelector: testCase.nodeSelector))
        await cluster.step()
        clock.advance(by: 30)
        await cluster.step()
        let pod = try #require(try await cluster.pods().first)
        #expect(pod.spec.nodeName == nil)
        #expect(pod.status?.phase == "Pending")
        let scheduled = try #require(pod.status?.conditions?[type: "PodScheduled"])
        #expect(scheduled.status == .false)
        #expect(scheduled.reason == "Unschedulable")
        #expect(scheduled.message?.hasPrefix("0/3 nodes are available: 3 ") == true)
        #expect(scheduled.message?.contains(testCase.reason) == true)
        let deployment = try #require(try await cluster.stored(Deployment.self, namespace: "default", name: "web"))
        #expect(deployment.status?.conditions?.status("Available") == .false)
    }

    /// A node going NotReady takes readiness from its pods and availability from their Deployment.
    @Test func notReadyNodeDropsReadiness() async throws {
        let (cluster, clock) = Fixture.cluster()
        _ = try await cluster.create(.deployments, Fixture.deployment("web"))
        await cluster.step()
        clock.advance(by: 2)
        await cluster.step()
        let node = try #require(try await cluster.pods().first?.spec.nodeName)
        #expect(try await cluster.stored(Deployment.self, namespace: "default", name: "web")?.status?.conditions?.status("Available") == .true)

        try await cluster.setNodeReady(node, false)
        await cluster.step()
        let pod = try #require(try await cluster.pods().first)
        #expect(pod.status?.conditions?.status("Ready") == .false)
        let degraded = try #require(try await cluster.stored(Deployment.self, namespace: "default", name: "web"))
        #expect(degraded.status?.readyReplicas == nil)
        #expect(degraded.status?.conditions?.status("Available") == .false)
        #expect(try await cluster.get(Node.self, name: node).isReady == false)

        try await cluster.setNodeReady(node, true)
        await cluster.step()
        #expect(try await cluster.stored(Deployment.self, namespace: "default", name: "web")?.status?.readyReplicas == 1)
    }

    /// An injected pull failure shows as ErrImagePull then ImagePullBackOff naming the image, and
    /// the Deployment reports ProgressDeadlineExceeded once its deadline passes without progress.
    @Test func imagePullFailureExceedsProgressDeadline() async throws {
        let (cluster, clock) = Fixture.cluster()
        await cluster.injectImagePullFailure(namespace: "default", deployment: "web", message: "manifest unknown")
        _ = try await cluster.create(.deployments, Fixture.deployment("web", image: "registry.example/app:broken", progressDeadlineSeconds: 120))
        await cluster.step()
        clock.advance(by: 2)
        await cluster.step()
        func waiting() async throws -> JSONValue? {
            try await cluster.pods().first?.status?.containerStatuses?.first?.state?["waiting"]
        }
        #expect(try await waiting()?["reason"] == "ErrImagePull")
        #expect(try await waiting()?["message"]?.stringValue?.contains("\"registry.example/app:broken\"") == true)
        clock.advance(by: 2)
        await cluster.step()
        #expect(try await waiting()?["reason"] == "ImagePullBackOff")

        clock.advance(by: 100)
        await cluster.step()
        #expect(try await cluster.stored(Deployment.self, namespace: "default", name: "web")?.status?.conditions?.status("Progressing") == .true)
        clock.advance(by: 20)
        await cluster.step()
        let stuck = try #require(try await cluster.stored(Deployment.self, namespace: "default", name: "web"))
        let progressing = try #require(stuck.status?.conditions?[type: "Progressing"])
        #expect(progressing.status == .false)
        #expect(progressing.reason == "ProgressDeadlineExceeded")
        #expect(stuck.status?.conditions?.status("Available") == .false)

        await cluster.clearImagePullFailure(namespace: "default", deployment: "web")
        await cluster.step()
        let recovered = try #require(try await cluster.stored(Deployment.self, namespace: "default", name: "web"))
        #expect(recovered.status?.conditions?[type: "Progressing"]?.reason == "NewReplicaSetAvailable")
    }

    /// A template change rolls out new pods and retires the old one once a new one is Ready.
    @Test func templateChangeRollsOut() async throws {
        let (cluster, clock) = Fixture.cluster()
        _ = try await cluster.create(.deployments, Fixture.deployment("web"))
        await cluster.step()
        clock.advance(by: 2)
        await cluster.step()
        let oldPod = try #require(try await cluster.pods().first)

        _ = try await cluster.patch(
            .deployments, namespace: "default", name: "web",
            mergePatch: ["spec": ["template": ["spec": ["containers": [["name": "app", "image": "registry.example/app:2.0"]]]]]])
        await cluster.step()
        let during = try await cluster.pods()
        #expect(during.count == 2)
        #expect(during.contains { $0.metadata.name == oldPod.metadata.name })
        #expect(try await cluster.stored(Deployment.self, namespace: "default", name: "web")?.status?.conditions?.status("Available") == .true)

        clock.advance(by: 2)
        await cluster.step()
        let after = try await cluster.pods()
        #expect(after.count == 1)
        #expect(after.first?.spec.containers.first?.image == "registry.example/app:2.0")
        let deployment = try #require(try await cluster.stored(Deployment.self, namespace: "default", name: "web"))
        #expect(deployment.status?.observedGeneration == 2)
        #expect(deployment.status?.updatedReplicas == 1)
        #expect(deployment.status?.conditions?[type: "Progressing"]?.reason == "NewReplicaSetAvailable")
    }

    /// Scaling changes the number of pods both ways.
    @Test func scalingUpAndDown() async throws {
        let (cluster, _) = Fixture.cluster()
        _ = try await cluster.create(.deployments, Fixture.deployment("web", replicas: 1))
        await cluster.step()
        _ = try await cluster.patch(.deployments, namespace: "default", name: "web", mergePatch: ["spec": ["replicas": 4]])
        await cluster.step()
        #expect(try await cluster.pods().count == 4)
        _ = try await cluster.patch(.deployments, namespace: "default", name: "web", mergePatch: ["spec": ["replicas": 0]])
        await cluster.step()
        #expect(try await cluster.pods().isEmpty)
        #expect(try await cluster.stored(Deployment.self, namespace: "default", name: "web")?.status?.conditions?.status("Available") == .true)
    }

    /// Without its ServiceAccount a Deployment creates no pods and reports ReplicaFailure; once
    /// the account exists the pods come.
    @Test func missingServiceAccountBlocksPods() async throws {
        let (cluster, _) = Fixture.cluster()
        var deployment = try Fixture.deployment("registry").decode(as: Deployment.self)
        deployment.spec.template.spec.serviceAccountName = "registry"
        _ = try await cluster.create(deployment)
        await cluster.step()
        #expect(try await cluster.pods().isEmpty)
        let failure = try #require(
            try await cluster.stored(Deployment.self, namespace: "default", name: "registry")?.status?.conditions?[type: "ReplicaFailure"])
        #expect(failure.reason == "FailedCreate")
        #expect(failure.message?.contains("serviceaccount \"registry\" not found") == true)

        _ = try await cluster.create(ServiceAccount(metadata: ObjectMeta(name: "registry", namespace: "default")))
        await cluster.step()
        #expect(try await cluster.pods().count == 1)
        #expect(try await cluster.stored(Deployment.self, namespace: "default", name: "registry")?.status?.conditions?[type: "ReplicaFailure"] == nil)
    }

    /// A pod mounting a missing ConfigMap stays in ContainerCreating until the ConfigMap exists.
    @Test func missingConfigMapVolumeHoldsPod() async throws {
        let (cluster, clock) = Fixture.cluster()
        var deployment = try Fixture.deployment("registry").decode(as: Deployment.self)
        deployment.spec.template.spec.volumes = [Volume(name: "ca", configMap: .init(name: "image-registry-certificates"))]
        _ = try await cluster.create(deployment)
        await cluster.step()
        clock.advance(by: 5)
        await cluster.step()
        let waiting = try #require(try await cluster.pods().first?.status?.containerStatuses?.first?.state?["waiting"])
        #expect(waiting["reason"] == "ContainerCreating")
        _ = try await cluster.create(.configMaps, Fixture.configMap("image-registry-certificates"))
        await cluster.step()
        #expect(try await cluster.pods().first?.status?.phase == "Running")
    }

    /// Deleting a Deployment garbage-collects its pods.
    @Test func deletingDeploymentDeletesPods() async throws {
        let (cluster, _) = Fixture.cluster()
        _ = try await cluster.create(.deployments, Fixture.deployment("web", replicas: 2))
        await cluster.step()
        try await cluster.delete(.deployments, namespace: "default", name: "web", options: DeleteOptions())
        #expect(await cluster.objectCount(.pods) == 0)
    }

    /// A DaemonSet runs one Ready pod per Ready node matching its node selector.
    @Test(arguments: [("every node", nil as [String: String]?, 3), ("infra nodes only", ["role": "infra"], 1)])
    func daemonSetRunsOnMatchingNodes(_ name: String, _ nodeSelector: [String: String]?, _ expected: Int) async throws {
        let (cluster, clock) = Fixture.cluster()
        _ = try await cluster.patch(.nodes, namespace: nil, name: "node-2", mergePatch: ["metadata": ["labels": ["role": "infra"]]])
        _ = try await cluster.create(.daemonSets, Fixture.daemonSet("node-ca", nodeSelector: nodeSelector))
        await cluster.step()
        clock.advance(by: 2)
        await cluster.step()
        let status = try #require(try await cluster.stored(DaemonSet.self, namespace: "default", name: "node-ca")?.status)
        #expect(status.desiredNumberScheduled == expected, "\(name)")
        #expect(status.currentNumberScheduled == expected)
        #expect(status.numberReady == expected)
        #expect(status.numberAvailable == expected)
        #expect(status.updatedNumberScheduled == expected)
        #expect(status.numberUnavailable == nil)
        #expect(status.observedGeneration == 1)
        let nodes = try await cluster.pods().compactMap(\.spec.nodeName).sorted()
        #expect(nodes.count == expected)
        if nodeSelector != nil { #expect(nodes == ["node-2"]) }
    }

    /// An APIService is Available only while its Service selects a Ready pod.
    @Test func apiServiceFollowsItsDeployment() async throws {
        let (cluster, clock) = Fixture.cluster()
        func available() async throws -> Condition? {
            try await cluster.stored(APIService.self, name: "v1.image.alauda.io")?.status?.conditions?[type: "Available"]
        }
        _ = try await cluster.create(.apiServices, Fixture.apiService(serviceName: "image-api-server"))
        await cluster.step()
        #expect(try await available()?.reason == "ServiceNotFound")

        _ = try await cluster.create(.services, Fixture.service("image-api-server", selector: ["app": "image-api-server"]))
        await cluster.step()
        #expect(try await available()?.reason == "MissingEndpoints")

        _ = try await cluster.create(.deployments, Fixture.deployment("image-api-server"))
        await cluster.step()
        #expect(try await available()?.status == .false)
        clock.advance(by: 2)
        await cluster.step()
        let passed = try #require(try await available())
        #expect(passed.status == .true)
        #expect(passed.reason == "Passed")

        _ = try await cluster.patch(.deployments, namespace: "default", name: "image-api-server", mergePatch: ["spec": ["replicas": 0]])
        await cluster.step()
        #expect(try await available()?.reason == "MissingEndpoints")
    }

    /// A claim of an unknown StorageClass stays Pending and blocks the pods that mount it.
    @Test(arguments: [("standard", "Bound", true), ("fast-nvme", "Pending", false)])
    func claimBindingGatesScheduling(_ storageClass: String, _ phase: String, _ schedules: Bool) async throws {
        let (cluster, _) = Fixture.cluster()
        let claim = try KubeObject(
            PersistentVolumeClaim(
                metadata: ObjectMeta(name: "data", namespace: "default"),
                spec: PersistentVolumeClaimSpec(
                    accessModes: ["ReadWriteOnce"], resources: ResourceRequirements(requests: ["storage": "10Gi"]), storageClassName: storageClass)))
        _ = try await cluster.create(.persistentVolumeClaims, claim)
        var deployment = try Fixture.deployment("registry").decode(as: Deployment.self)
        deployment.spec.template.spec.volumes = [Volume(name: "data", persistentVolumeClaim: .init(claimName: "data"))]
        _ = try await cluster.create(deployment)
        await cluster.step()
        let stored = try #require(try await cluster.stored(PersistentVolumeClaim.self, namespace: "default", name: "data"))
        #expect(stored.status?.phase == phase)
        let pod = try #require(try await cluster.pods().first)
        #expect((pod.spec.nodeName != nil) == schedules)
        if !schedules {
            #expect(pod.status?.conditions?[type: "PodScheduled"]?.message?.contains("unbound immediate PersistentVolumeClaims") == true)
        }
    }

    /// With live controllers on the system clock a Deployment becomes Available by itself.
    @Test func liveControllersConverge() async throws {
        let cluster = SimulatedCluster(
            name: "live", options: SimulationOptions(podReadyDelay: .milliseconds(50), seed: 7, controllerTick: .milliseconds(10)))
        await cluster.startControllers()
        _ = try await cluster.create(.deployments, Fixture.deployment("web"))
        try await waitUntil("deployment available") {
            try await cluster.get(Deployment.self, namespace: "default", name: "web").status?.conditions?.status("Available") == .true
        }
        await cluster.stopControllers()
    }
}
