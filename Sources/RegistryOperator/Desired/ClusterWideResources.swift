import KubeClient
import RegistryModel

/// Objects that exist whatever the management state (except Unmanaged, which touches nothing):
/// the node CA DaemonSet and the CA ConfigMap it distributes.
struct ClusterWideResources: Hashable, Sendable {
    let options: OperatorOptions
    let owner: OwnerReference?

    func desired() throws -> [DesiredObject] {
        [
            DesiredObject(try KubeObject(certificatesConfigMap())),
            DesiredObject(try KubeObject(nodeCAServiceAccount())),
            DesiredObject(try KubeObject(nodeCADaemonSet()), exactPaths: [["spec", "template", "spec", "nodeSelector"]]),
        ]
    }

    func certificatesConfigMap() -> ConfigMap {
        ConfigMap(
            metadata: OwnedMetadata.make(name: RegistryNames.certificatesConfigMap, namespace: RegistryNames.namespace, app: RegistryNames.nodeCADaemonSet, owner: owner),
            data: nil)
    }

    func nodeCAServiceAccount() -> ServiceAccount {
        ServiceAccount(metadata: OwnedMetadata.make(name: RegistryNames.nodeCADaemonSet, namespace: RegistryNames.namespace, app: RegistryNames.nodeCADaemonSet, owner: owner))
    }

    func nodeCADaemonSet() -> DaemonSet {
        let selector = ["app": RegistryNames.nodeCADaemonSet]
        let container = Container(
            name: "node-ca", image: options.nodeCAImage, command: ["/bin/sh", "-c", "sync-ca-bundle --source /tmp/serviceca --target /etc/docker/certs.d"],
            resources: ResourceRequirements(requests: ["cpu": "10m", "memory": "10Mi"]),
            volumeMounts: [VolumeMount(name: "serviceca", mountPath: "/tmp/serviceca"), VolumeMount(name: "host", mountPath: "/etc/docker")])
        return DaemonSet(
            metadata: OwnedMetadata.make(name: RegistryNames.nodeCADaemonSet, namespace: RegistryNames.namespace, app: RegistryNames.nodeCADaemonSet, owner: owner),
            spec: DaemonSetSpec(
                selector: LabelSelectorSpec(matchLabels: selector),
                template: PodTemplateSpec(
                    metadata: TemplateMetadata(labels: selector),
                    spec: PodSpec(
                        containers: [container], serviceAccountName: RegistryNames.nodeCADaemonSet,
                        nodeSelector: RegistryResources.nodeSelectorDefault, tolerations: [Toleration(operator: "Exists")],
                        priorityClassName: "system-cluster-critical",
                        volumes: [
                            Volume(name: "serviceca", configMap: Volume.NamedSource(name: RegistryNames.certificatesConfigMap)),
                            Volume(name: "host", emptyDir: EmptyDirStorage()),
                        ]))))
    }
}
