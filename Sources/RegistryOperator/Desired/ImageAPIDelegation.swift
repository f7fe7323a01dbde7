import KubeClient
import RegistryModel

/// The bindings an aggregated API server needs to authenticate and authorize the requests the
/// aggregator forwards: `system:auth-delegator` (TokenReviews and SubjectAccessReviews) and, in
/// kube-system, `extension-apiserver-authentication-reader` (the ConfigMap with the
/// front-proxy CA). Both roles are built into Kubernetes; the operator only binds them.
enum ImageAPIDelegation {
    static let authDelegatorRole = "system:auth-delegator"
    static let authDelegatorBinding = "image-api-server:system:auth-delegator"
    static let authReaderRole = "extension-apiserver-authentication-reader"
    static let authReaderBinding = "image-api-server-auth-reader"
    static let authReaderNamespace = "kube-system"

    static let authDelegatorKey = ObjectKey(.clusterRoleBindings, namespace: nil, name: authDelegatorBinding)
    static let authReaderKey = ObjectKey(.roleBindings, namespace: authReaderNamespace, name: authReaderBinding)

    /// The service account image-api-server runs as.
    static var subject: Subject {
        Subject(kind: "ServiceAccount", name: RegistryNames.registryServiceAccount, namespace: RegistryNames.namespace)
    }

    static func authDelegator(owner: OwnerReference?) -> ClusterRoleBinding {
        ClusterRoleBinding(
            metadata: OwnedMetadata.make(name: authDelegatorBinding, namespace: nil, app: RegistryNames.apiServerDeployment, owner: owner),
            roleRef: RoleRef(kind: "ClusterRole", name: authDelegatorRole), subjects: [subject])
    }

    static func authReader(owner: OwnerReference?) -> RoleBinding {
        RoleBinding(
            metadata: OwnedMetadata.make(name: authReaderBinding, namespace: authReaderNamespace, app: RegistryNames.apiServerDeployment, owner: owner),
            roleRef: RoleRef(kind: "Role", name: authReaderRole), subjects: [subject])
    }
}
