import Foundation
import KubeClient
import RegistryModel

/// The runtime objects that `managementState: Managed` creates (domain.md, "What each management
/// state does"), built from a verified Config whose storage has been resolved.
struct RegistryResources: Hashable, Sendable {
    let spec: ConfigSpec
    let storage: StorageSpec
    let options: OperatorOptions
    let owner: OwnerReference?
    /// The CA PEM that signed image-api-server's serving certificate (Secret
    /// `image-api-server-tls`); nil leaves the certificate out (only in unit tests of other parts).
    var servingCA: String? = nil

    private var namespace: String { RegistryNames.namespace }
    static let registrySelector = ["docker-registry": "default"]
    static let apiServerSelector = ["app": RegistryNames.apiServerDeployment]
    static let nodeSelectorDefault = ["kubernetes.io/os": "linux"]

    /// Every object Managed wants, with the fields owned exactly.
    func desired() throws -> [DesiredObject] {
        var objects: [DesiredObject] = [
            DesiredObject(try KubeObject(serviceAccount())),
            DesiredObject(try KubeObject(clusterRole()), exactPaths: [["rules"]]),
            DesiredObject(try KubeObject(clusterRoleBinding())),
            DesiredObject(try KubeObject(privateConfiguration()), exactPaths: [["data"]]),
            DesiredObject(try KubeObject(registryService()), exactPaths: [["spec", "selector"]]),
            DesiredObject(try KubeObject(registryDeployment()), exactPaths: Self.deploymentExactPaths),
            DesiredObject(try KubeObject(apiServerService()), exactPaths: [["spec", "selector"]]),
            DesiredObject(try KubeObject(apiServerDeployment()), exactPaths: Self.deploymentExactPaths),
            DesiredObject(try KubeObject(apiService())),
            DesiredObject(try KubeObject(ImageAPIDelegation.authDelegator(owner: owner))),
            DesiredObject(try KubeObject(ImageAPIDelegation.authReader(owner: owner))),
        ]
        if spec.replicas > 1 { objects.append(DesiredObject(try KubeObject(podDisruptionBudget()))) }
        if let claim = managedClaim() { objects.append(DesiredObject(try KubeObject(claim))) }
        return objects
    }

    /// Keys of everything Managed may create, which Removed deletes (storage is decided apart).
    static func runtimeKeys() -> [ObjectKey] {
        let namespace = RegistryNames.namespace
        return [
            ObjectKey(.apiServices, namespace: nil, name: RegistryNames.apiService),
            ObjectKey(.deployments, namespace: namespace, name: RegistryNames.apiServerDeployment),
            ObjectKey(.services, namespace: namespace, name: RegistryNames.apiServerService),
            ObjectKey(.podDisruptionBudgets, namespace: namespace, name: RegistryNames.podDisruptionBudget),
            ObjectKey(.deployments, namespace: namespace, name: RegistryNames.registryDeployment),
            ObjectKey(.services, namespace: namespace, name: RegistryNames.registryService),
            ObjectKey(.secrets, namespace: namespace, name: RegistryNames.privateConfigurationSecret),
            ObjectKey(.clusterRoleBindings, namespace: nil, name: RegistryNames.registryClusterRoleBinding),
            ObjectKey(.clusterRoles, namespace: nil, name: RegistryNames.registryClusterRole),
            ObjectKey(.serviceAccounts, namespace: namespace, name: RegistryNames.registryServiceAccount),
            ImageAPIServingCertificate.secretKey,
            ImageAPIDelegation.authDelegatorKey,
            ImageAPIDelegation.authReaderKey,
        ]
    }

    /// The key of the operator-managed PVC.
    static let managedClaimKey = ObjectKey(.persistentVolumeClaims, namespace: RegistryNames.namespace, name: RegistryNames.managedPVC)

    static let deploymentExactPaths: [[String]] = [
        ["spec", "template", "spec", "nodeSelector"], ["spec", "template", "metadata", "labels"],
    ]

    private func meta(_ name: String, app: String, namespaced: Bool = true) -> ObjectMeta {
        OwnedMetadata.make(name: name, namespace: namespaced ? namespace : nil, app: app, owner: owner)
    }

    func serviceAccount() -> ServiceAccount {
        ServiceAccount(metadata: meta(RegistryNames.registryServiceAccount, app: RegistryNames.registryDeployment))
    }

    func clusterRole() -> ClusterRole {
        ClusterRole(
            metadata: meta(RegistryNames.registryClusterRole, app: RegistryNames.registryDeployment, namespaced: false),
            rules: [
                PolicyRule(apiGroups: [RegistryNames.imageAPIGroup], resources: ["images", "imagestreams", "imagestreamtags"], verbs: ["get", "list", "watch"]),
                PolicyRule(apiGroups: [RegistryNames.imageAPIGroup], resources: ["imagestreammappings"], verbs: ["create"]),
                PolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["get"]),
            ])
    }

    func clusterRoleBinding() -> ClusterRoleBinding {
        ClusterRoleBinding(
            metadata: meta(RegistryNames.registryClusterRoleBinding, app: RegistryNames.registryDeployment, namespaced: false),
            roleRef: RoleRef(kind: "ClusterRole", name: RegistryNames.registryClusterRole),
            subjects: [Subject(kind: "ServiceAccount", name: RegistryNames.registryServiceAccount, namespace: namespace)])
    }

    func privateConfiguration() -> Secret {
        Secret(
            metadata: meta(RegistryNames.privateConfigurationSecret, app: RegistryNames.registryDeployment),
            data: ["REGISTRY_HTTP_SECRET": Data((spec.httpSecret ?? "").utf8).base64EncodedString()])
    }

    func registryService() -> Service {
        Service(
            metadata: meta(RegistryNames.registryService, app: RegistryNames.registryDeployment),
            spec: ServiceSpec(
                selector: Self.registrySelector,
                ports: [ServiceSpec.Port(name: "5000-tcp", port: RegistryNames.registryPort, targetPort: .int(RegistryNames.registryPort), protocol: "TCP")]))
    }

    func registryDeployment() -> Deployment {
        let env = RegistryEnvironment.variables(spec: spec, storage: storage)
        let checksum = StableHash.hex("\(spec.httpSecret ?? "")|\(env.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: ","))")
        var volumes = [
            Volume(name: "registry-private-configuration", secret: Volume.NamedSource(secretName: RegistryNames.privateConfigurationSecret)),
            Volume(name: "registry-certificates", configMap: Volume.NamedSource(name: RegistryNames.certificatesConfigMap)),
        ]
        var mounts = [
            VolumeMount(name: "registry-private-configuration", mountPath: "/etc/registry/private", readOnly: true),
            VolumeMount(name: "registry-certificates", mountPath: "/etc/pki/ca-trust/source/anchors", readOnly: true),
        ]
        if let pvc = storage.pvc {
            let claim = (pvc.claim ?? "").isEmpty ? RegistryNames.managedPVC : pvc.claim!
            volumes.insert(Volume(name: "registry-storage", persistentVolumeClaim: Volume.ClaimSource(claimName: claim)), at: 0)
            mounts.insert(VolumeMount(name: "registry-storage", mountPath: "/registry"), at: 0)
        } else if storage.emptyDir != nil {
            volumes.insert(Volume(name: "registry-storage", emptyDir: EmptyDirStorage()), at: 0)
            mounts.insert(VolumeMount(name: "registry-storage", mountPath: "/registry"), at: 0)
        }
        let container = Container(
            name: "registry", image: options.registryImage, env: env,
            ports: [ContainerPort(name: "registry", containerPort: RegistryNames.registryPort, protocol: "TCP")],
            resources: spec.resources ?? .registryDefault, volumeMounts: mounts,
            readinessProbe: ["httpGet": ["path": "/healthz", "port": .int(Int64(RegistryNames.registryPort)), "scheme": "HTTPS"]])
        var labels = Self.registrySelector
        labels["app"] = RegistryNames.registryDeployment
        return Deployment(
            metadata: meta(RegistryNames.registryDeployment, app: RegistryNames.registryDeployment),
            spec: DeploymentSpec(
                replicas: spec.replicas, selector: LabelSelectorSpec(matchLabels: Self.registrySelector),
                template: PodTemplateSpec(
                    metadata: TemplateMetadata(labels: labels, annotations: ["imageregistry.operator.alauda.io/checksum": checksum]),
                    spec: PodSpec(
                        containers: [container], serviceAccountName: RegistryNames.registryServiceAccount, nodeSelector: nodeSelector(),
                        tolerations: spec.tolerations, priorityClassName: "system-cluster-critical", terminationGracePeriodSeconds: 55,
                        volumes: volumes)),
                strategy: strategy(), progressDeadlineSeconds: options.progressDeadlineSeconds))
    }

    /// The node selector the user set plus `kubernetes.io/os: linux`.
    func nodeSelector() -> [String: String] {
        (spec.nodeSelector ?? [:]).merging(Self.nodeSelectorDefault) { user, _ in user }
    }

    /// Upstream's rolling parameters: 2 replicas → maxUnavailable 1, maxSurge 1; otherwise
    /// maxUnavailable replicas−1 and maxSurge 25 %.
    func strategy() -> DeploymentSpec.Strategy {
        if spec.effectiveRolloutStrategy == "Recreate" { return DeploymentSpec.Strategy(type: "Recreate") }
        let rolling: DeploymentSpec.Strategy.RollingUpdate
        if spec.replicas == 2 {
            rolling = .init(maxUnavailable: .int(1), maxSurge: .int(1))
        } else {
            rolling = .init(maxUnavailable: .int(max(spec.replicas - 1, 0)), maxSurge: .string("25%"))
        }
        return DeploymentSpec.Strategy(type: "RollingUpdate", rollingUpdate: rolling)
    }

    /// The Image API server follows the registry: none when the registry is scaled to zero, at
    /// most two otherwise.
    var apiServerReplicas: Int { spec.replicas == 0 ? 0 : min(spec.replicas, 2) }

    func apiServerService() -> Service {
        Service(
            metadata: meta(RegistryNames.apiServerService, app: RegistryNames.apiServerDeployment),
            spec: ServiceSpec(
                selector: Self.apiServerSelector,
                ports: [ServiceSpec.Port(name: "https", port: RegistryNames.apiServerPort, targetPort: .int(8443), protocol: "TCP")]))
    }

    func apiServerDeployment() -> Deployment {
        var args = ["--secure-port=8443", "--registry-url=\(RegistryNames.internalRegistryURL)"]
        var volumes: [Volume]?
        var mounts: [VolumeMount]?
        var annotations: [String: String]?
        if let servingCA {
            let directory = ImageAPIServingCertificate.mountPath
            args += [
                "--tls-cert-file=\(directory)/\(ImageAPIServingCertificate.certificateKey)",
                "--tls-private-key-file=\(directory)/\(ImageAPIServingCertificate.privateKeyKey)",
            ]
            volumes = [Volume(name: "serving-cert", secret: Volume.NamedSource(secretName: ImageAPIServingCertificate.secretName))]
            mounts = [VolumeMount(name: "serving-cert", mountPath: directory, readOnly: true)]
            // A new certificate (a new CA) rolls the pods so they serve it.
            annotations = ["imageregistry.operator.alauda.io/serving-ca-checksum": StableHash.hex(servingCA)]
        }
        let container = Container(
            name: "image-api-server", image: options.apiServerImage,
            args: args,
            ports: [ContainerPort(name: "https", containerPort: 8443, protocol: "TCP")],
            resources: ResourceRequirements(requests: ["cpu": "50m", "memory": "128Mi"]), volumeMounts: mounts,
            readinessProbe: ["httpGet": ["path": "/readyz", "port": 8443, "scheme": "HTTPS"]])
        return Deployment(
            metadata: meta(RegistryNames.apiServerDeployment, app: RegistryNames.apiServerDeployment),
            spec: DeploymentSpec(
                replicas: apiServerReplicas, selector: LabelSelectorSpec(matchLabels: Self.apiServerSelector),
                template: PodTemplateSpec(
                    metadata: TemplateMetadata(labels: Self.apiServerSelector, annotations: annotations),
                    spec: PodSpec(
                        containers: [container], serviceAccountName: RegistryNames.registryServiceAccount, nodeSelector: nodeSelector(),
                        tolerations: spec.tolerations, priorityClassName: "system-cluster-critical", volumes: volumes)),
                strategy: DeploymentSpec.Strategy(type: "RollingUpdate", rollingUpdate: .init(maxUnavailable: .int(0), maxSurge: .int(1))),
                progressDeadlineSeconds: options.progressDeadlineSeconds))
    }

    func apiService() -> APIService {
        APIService(
            metadata: meta(RegistryNames.apiService, app: RegistryNames.apiServerDeployment, namespaced: false),
            spec: APIServiceSpec(
                group: RegistryNames.imageAPIGroup, version: "v1",
                service: .init(namespace: namespace, name: RegistryNames.apiServerService, port: RegistryNames.apiServerPort),
                groupPriorityMinimum: 1000, versionPriority: 15, caBundle: servingCA.map { Data($0.utf8).base64EncodedString() }))
    }

    func podDisruptionBudget() -> PodDisruptionBudget {
        PodDisruptionBudget(
            metadata: meta(RegistryNames.podDisruptionBudget, app: RegistryNames.registryDeployment),
            spec: PodDisruptionBudgetSpec(minAvailable: .int(1), selector: LabelSelectorSpec(matchLabels: Self.registrySelector)))
    }

    /// The PVC the operator provides when `storage.pvc.claim` is empty. Many replicas need
    /// ReadWriteMany; a single replica works with ReadWriteOnce.
    ///
    /// It carries no owner reference: image data must never be garbage-collected with
    /// Config/cluster. Only the operator deletes it, and only when the registry is Removed (or
    /// Config/cluster is finalized) with `storage.managementState: Managed`.
    func managedClaim() -> PersistentVolumeClaim? {
        guard let pvc = storage.pvc, (pvc.claim ?? "").isEmpty else { return nil }
        var metadata = OwnedMetadata.make(name: RegistryNames.managedPVC, namespace: namespace, app: RegistryNames.registryDeployment, owner: nil)
        metadata.annotations = ["imageregistry.operator.alauda.io/storage-managed": "true"]
        return PersistentVolumeClaim(
            metadata: metadata,
            spec: PersistentVolumeClaimSpec(accessModes: ["ReadWriteMany"], resources: ResourceRequirements(requests: ["storage": "100Gi"])))
    }
}
