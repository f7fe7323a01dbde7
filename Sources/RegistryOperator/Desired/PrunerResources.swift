import KubeClient
import RegistryModel

/// The pruner's objects: its service account and RBAC, the service CA ConfigMap it trusts, and the
/// `image-pruner` CronJob (domain.md, "ImagePruner/cluster"; upstream-reference.md §2.3).
struct PrunerResources: Hashable, Sendable {
    let spec: ImagePrunerSpec
    let options: OperatorOptions
    let owner: OwnerReference?

    static let cronJobKey = ObjectKey(.cronJobs, namespace: RegistryNames.namespace, name: RegistryNames.prunerCronJob)
    static let resultConfigMapRole = "image-pruner-results"

    /// The companions the pruner needs whatever the registry state.
    func companions() throws -> [DesiredObject] {
        [
            DesiredObject(try KubeObject(serviceAccount())),
            DesiredObject(try KubeObject(clusterRole()), exactPaths: [["rules"]]),
            DesiredObject(try KubeObject(clusterRoleBinding())),
            DesiredObject(try KubeObject(resultsRole()), exactPaths: [["rules"]]),
            DesiredObject(try KubeObject(resultsRoleBinding())),
            DesiredObject(try KubeObject(serviceCAConfigMap())),
        ]
    }

    /// The CronJob.
    func cronJobObject() throws -> DesiredObject {
        DesiredObject(
            try KubeObject(cronJob()),
            exactPaths: [["spec", "jobTemplate", "spec", "template", "spec", "nodeSelector"]])
    }

    private func meta(_ name: String, namespaced: Bool = true) -> ObjectMeta {
        OwnedMetadata.make(name: name, namespace: namespaced ? RegistryNames.namespace : nil, app: RegistryNames.prunerCronJob, owner: owner)
    }

    func serviceAccount() -> ServiceAccount { ServiceAccount(metadata: meta(RegistryNames.prunerServiceAccount)) }

    /// Read access to every kind whose pods may reference images (step 1 of the algorithm).
    func clusterRole() -> ClusterRole {
        ClusterRole(
            metadata: meta(RegistryNames.prunerClusterRole, namespaced: false),
            rules: [
                PolicyRule(apiGroups: [""], resources: ["pods"], verbs: ["list"]),
                PolicyRule(apiGroups: ["apps"], resources: ["deployments", "daemonsets", "statefulsets", "replicasets"], verbs: ["list"]),
                PolicyRule(apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: ["list"]),
            ])
    }

    func clusterRoleBinding() -> ClusterRoleBinding {
        ClusterRoleBinding(
            metadata: meta(RegistryNames.prunerClusterRoleBinding, namespaced: false),
            roleRef: RoleRef(kind: "ClusterRole", name: RegistryNames.prunerClusterRole),
            subjects: [Subject(kind: "ServiceAccount", name: RegistryNames.prunerServiceAccount, namespace: RegistryNames.namespace)])
    }

    /// Write access, in the operator namespace only, to the ConfigMap the pruner records its result in.
    func resultsRole() -> Role {
        Role(
            metadata: meta(Self.resultConfigMapRole),
            rules: [
                PolicyRule(apiGroups: [""], resources: ["configmaps"], verbs: ["create"]),
                PolicyRule(apiGroups: [""], resources: ["configmaps"], resourceNames: [RegistryNames.pruneReportConfigMap], verbs: ["get", "update", "patch"]),
            ])
    }

    func resultsRoleBinding() -> RoleBinding {
        RoleBinding(
            metadata: meta(Self.resultConfigMapRole),
            roleRef: RoleRef(kind: "Role", name: Self.resultConfigMapRole),
            subjects: [Subject(kind: "ServiceAccount", name: RegistryNames.prunerServiceAccount, namespace: RegistryNames.namespace)])
    }

    func serviceCAConfigMap() -> ConfigMap {
        var metadata = meta(RegistryNames.serviceCAConfigMap)
        metadata.annotations = ["service.beta.openshift.io/inject-cabundle": "true"]
        return ConfigMap(metadata: metadata, data: nil)
    }

    /// The command the Job runs, with the retention arguments from the spec and the registry's
    /// internal service URL.
    func command() -> [String] {
        [
            "regfleet", "prune",
            "--registry-url=\(RegistryNames.internalRegistryURL)",
            "--keep-tag-revisions=\(spec.effectiveKeepTagRevisions)",
            "--keep-younger-than=\(spec.effectiveKeepYoungerThan?.description ?? "60m")",
            "--ignore-invalid-refs=\(spec.effectiveIgnoreInvalidImageReferences)",
            "--certificate-authority=\(RegistryNames.serviceCAFile)",
            "--loglevel=\(Self.verbosity(spec.effectiveLogLevel))",
            "--in-cluster",
            "--result-configmap=\(RegistryNames.namespace)/\(RegistryNames.pruneReportConfigMap)",
            "--confirm",
        ]
    }

    /// Upstream's verbosity mapping: Normal → 1, Debug → 4, Trace → 6, TraceAll → 8.
    static func verbosity(_ level: String) -> Int {
        switch level {
        case "Debug": return 4
        case "Trace": return 6
        case "TraceAll": return 8
        default: return 1
        }
    }

    func cronJob() -> CronJob {
        let container = Container(
            name: RegistryNames.prunerCronJob, image: options.prunerImage, command: command(),
            resources: spec.resources ?? .registryDefault,
            volumeMounts: [VolumeMount(name: "serviceca", mountPath: "/var/run/configmaps/serviceca", readOnly: true)],
            securityContext: ["readOnlyRootFilesystem": true])
        let pod = PodSpec(
            containers: [container], serviceAccountName: RegistryNames.prunerServiceAccount,
            nodeSelector: spec.nodeSelector, tolerations: spec.tolerations, affinity: spec.affinity, restartPolicy: "Never",
            priorityClassName: "system-cluster-critical",
            volumes: [Volume(name: "serviceca", configMap: Volume.NamedSource(name: RegistryNames.serviceCAConfigMap))])
        let jobLabels = [RegistryNames.prunerJobLabel: RegistryNames.prunerCronJob]
        return CronJob(
            metadata: meta(RegistryNames.prunerCronJob),
            spec: CronJobSpec(
                schedule: spec.effectiveSchedule, suspend: spec.effectiveSuspend, concurrencyPolicy: "Forbid", startingDeadlineSeconds: 3600,
                successfulJobsHistoryLimit: spec.effectiveSuccessfulJobsHistoryLimit, failedJobsHistoryLimit: spec.effectiveFailedJobsHistoryLimit,
                jobTemplate: JobTemplateSpec(
                    metadata: TemplateMetadata(labels: jobLabels),
                    spec: JobSpec(
                        backoffLimit: 0,
                        template: PodTemplateSpec(metadata: TemplateMetadata(labels: ["app": RegistryNames.prunerCronJob]), spec: pod)))))
    }
}
