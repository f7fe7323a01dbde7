import Foundation
import KubeClient
import RegistryModel
import Testing
@testable import RegistryOperator

@Suite struct DesiredObjectsTests {
    /// Managed creates every runtime object of domain.md; a PDB only for more than one replica; the managed PVC only without a claim.
    @Test(arguments: [
        (1, StorageSpec(managementState: .managed, pvc: PVCStorage()), false, true),
        (3, StorageSpec(managementState: .managed, pvc: PVCStorage()), true, true),
        (1, StorageSpec(managementState: .unmanaged, pvc: PVCStorage(claim: "mine")), false, false),
        (1, StorageSpec(managementState: .managed, emptyDir: EmptyDirStorage()), false, false),
    ])
    func managedObjects(replicas: Int, storage: StorageSpec, expectPDB: Bool, expectPVC: Bool) throws {
        let keys = Set(try Fixtures.registry(Fixtures.config(replicas: replicas, storage: storage)).desired().map(\.key))
        for name in [RegistryNames.registryDeployment, RegistryNames.apiServerDeployment] {
            #expect(keys.contains(ObjectKey(.deployments, namespace: RegistryNames.namespace, name: name)))
        }
        #expect(keys.contains(ObjectKey(.apiServices, namespace: nil, name: RegistryNames.apiService)))
        #expect(keys.contains(ObjectKey(.services, namespace: RegistryNames.namespace, name: RegistryNames.registryService)))
        #expect(keys.contains(ObjectKey(.podDisruptionBudgets, namespace: RegistryNames.namespace, name: RegistryNames.podDisruptionBudget)) == expectPDB)
        #expect(keys.contains(RegistryResources.managedClaimKey) == expectPVC)
    }

    /// The registry pods select Linux nodes on top of the user's selector, and use the configured claim.
    @Test func registryDeploymentSchedulingAndStorage() {
        var config = Fixtures.config(storage: StorageSpec(managementState: .unmanaged, pvc: PVCStorage(claim: "mine")))
        config.spec.nodeSelector = ["zone": "a"]
        let deployment = Fixtures.registry(config).registryDeployment()
        #expect(deployment.spec.template.spec.nodeSelector == ["zone": "a", "kubernetes.io/os": "linux"])
        #expect(deployment.spec.template.spec.volumes?.first?.persistentVolumeClaim?.claimName == "mine")
    }

    /// Upstream's rolling parameters: 2 replicas → 1/1, otherwise replicas−1 and 25 %; Recreate when asked.
    @Test(arguments: [(2, "RollingUpdate", 1), (3, "RollingUpdate", 2), (1, "RollingUpdate", 0), (1, "Recreate", -1)])
    func rolloutStrategy(replicas: Int, strategy: String, maxUnavailable: Int) {
        var config = Fixtures.config(replicas: replicas)
        config.spec.rolloutStrategy = strategy
        let result = Fixtures.registry(config).strategy()
        #expect(result.type == strategy)
        if maxUnavailable >= 0 { #expect(result.rollingUpdate?.maxUnavailable == .int(maxUnavailable)) }
    }

    /// Registry environment follows the spec: log level mapping, read-only, request limits only when they limit.
    @Test func registryEnvironment() {
        var spec = Fixtures.config().spec
        spec.logLevel = "TraceAll"
        spec.readOnly = true
        spec.requests = RequestsSpec(read: RequestLimits(maxRunning: 5, maxWaitInQueue: "30s"), write: RequestLimits(maxRunning: 0, maxInQueue: 0))
        let env = Dictionary(uniqueKeysWithValues: RegistryEnvironment.variables(spec: spec, storage: spec.storage!).map { ($0.name, $0.value ?? "") })
        #expect(env["REGISTRY_LOG_LEVEL"] == "debug")
        #expect(env["REGISTRY_STORAGE_MAINTENANCE_READONLY"] == "{\"enabled\":true}")
        #expect(env["REGISTRY_REQUESTS_READ_MAXRUNNING"] == "5")
        #expect(env["REGISTRY_REQUESTS_READ_MAXWAITINQUEUE"] == "30s")
        #expect(env["REGISTRY_REQUESTS_WRITE_MAXRUNNING"] == nil)
    }

    /// The CronJob carries schedule, suspend, history limits, Forbid, backoffLimit 0 and the retention arguments with the internal registry URL.
    @Test func prunerCronJob() {
        let spec = ImagePrunerSpec(
            schedule: "*/30 * * * *", suspend: true, keepTagRevisions: 5, keepYoungerThanDuration: "2h", successfulJobsHistoryLimit: 1,
            failedJobsHistoryLimit: 2, ignoreInvalidImageReferences: false, logLevel: "Debug")
        let cronJob = PrunerResources(spec: spec, options: OperatorOptions(), owner: nil).cronJob()
        #expect(cronJob.spec.schedule == "*/30 * * * *")
        #expect(cronJob.spec.suspend == true)
        #expect(cronJob.spec.concurrencyPolicy == "Forbid")
        #expect(cronJob.spec.startingDeadlineSeconds == 3600)
        #expect(cronJob.spec.successfulJobsHistoryLimit == 1)
        #expect(cronJob.spec.failedJobsHistoryLimit == 2)
        #expect(cronJob.spec.jobTemplate.spec.backoffLimit == 0)
        #expect(cronJob.spec.jobTemplate.metadata?.labels == [RegistryNames.prunerJobLabel: RegistryNames.prunerCronJob])
        let command = cronJob.spec.jobTemplate.spec.template.spec.containers[0].command ?? []
        for argument in [
            "--registry-url=\(RegistryNames.internalRegistryURL)", "--keep-tag-revisions=5", "--keep-younger-than=2h0m0s",
            "--ignore-invalid-refs=false", "--loglevel=4", "--confirm",
        ] {
            #expect(command.contains(argument), "\(argument) missing from \(command)")
        }
        #expect(cronJob.spec.jobTemplate.spec.template.spec.serviceAccountName == RegistryNames.prunerServiceAccount)
    }

    /// Defaults apply when the ImagePruner leaves fields empty.
    @Test func prunerDefaults() {
        let cronJob = PrunerResources(spec: ImagePrunerSpec(), options: OperatorOptions(), owner: nil).cronJob()
        #expect(cronJob.spec.schedule == "0 0 * * *")
        #expect(cronJob.spec.suspend == false)
        let command = cronJob.spec.jobTemplate.spec.template.spec.containers[0].command ?? []
        #expect(command.contains("--keep-tag-revisions=3"))
        #expect(command.contains("--keep-younger-than=1h0m0s"))
        #expect(command.contains("--ignore-invalid-refs=true"))
    }
}
