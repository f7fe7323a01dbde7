import Foundation
import KubeClient
import KubeSimulator
import RegistryModel
import Testing
import X509
@testable import RegistryOperator

/// image-api-server is wired as an aggregated API server: a serving certificate Secret mounted
/// into its pods and the signing CA in the APIService's caBundle.
@Suite struct ImageAPIServingTests {
    private func secret(_ harness: ReconcilerHarness) async throws -> Secret? {
        try await harness.cluster.getIfExists(Secret.self, namespace: RegistryNames.namespace, name: ImageAPIServingCertificate.secretName)
    }

    private func pem(_ secret: Secret, _ key: String) throws -> String {
        let encoded = try #require(secret.data?[key])
        return String(decoding: try #require(Data(base64Encoded: encoded)), as: UTF8.self)
    }

    /// Managed creates a kubernetes.io/tls Secret whose certificate names the Service and is signed by its ca.crt, and the APIService trusts that CA.
    @Test func servingCertificateAndCABundle() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        let secret = try #require(try await secret(harness))
        #expect(secret.type == "kubernetes.io/tls")
        #expect(secret.metadata.labels?[RegistryNames.managedByLabel] == RegistryNames.managedByValue)
        let ca = try Certificate(pemEncoded: try pem(secret, "ca.crt"))
        let serving = try Certificate(pemEncoded: try pem(secret, "tls.crt"))
        #expect(serving.issuer == ca.subject)
        #expect(ca.publicKey.isValidSignature(serving.signature, for: serving))
        let names = try #require(try serving.extensions.subjectAlternativeNames)
        #expect(names.contains(.dnsName("image-api-server.image-registry-system.svc")))
        #expect(!(try pem(secret, "tls.key")).isEmpty)
        let apiService = try await harness.cluster.get(APIService.self, name: RegistryNames.apiService)
        #expect(apiService.spec.caBundle == secret.data?["ca.crt"])
        #expect(apiService.spec.insecureSkipTLSVerify != true)
    }

    /// The Deployment mounts the Secret and points the server at the certificate and key.
    @Test func deploymentMountsTheCertificate() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        let deployment = try await harness.cluster.get(Deployment.self, namespace: RegistryNames.namespace, name: RegistryNames.apiServerDeployment)
        let pod = deployment.spec.template.spec
        #expect(pod.volumes?.contains { $0.secret?.secretName == ImageAPIServingCertificate.secretName } == true)
        let container = try #require(pod.containers.first)
        #expect(container.volumeMounts?.contains { $0.mountPath == ImageAPIServingCertificate.mountPath } == true)
        #expect(container.args?.contains("--tls-cert-file=\(ImageAPIServingCertificate.mountPath)/tls.crt") == true)
        #expect(container.args?.contains("--tls-private-key-file=\(ImageAPIServingCertificate.mountPath)/tls.key") == true)
    }

    /// A Secret deleted by hand is re-issued with a new CA, and the caBundle follows it.
    @Test func deletedSecretIsReissued() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        let first = try #require(try await secret(harness))
        try await harness.cluster.delete(Secret.self, namespace: RegistryNames.namespace, name: ImageAPIServingCertificate.secretName)
        _ = try await harness.reconciler.reconcile()
        let second = try #require(try await secret(harness))
        #expect(second.data?["ca.crt"] != first.data?["ca.crt"])
        let apiService = try await harness.cluster.get(APIService.self, name: RegistryNames.apiService)
        #expect(apiService.spec.caBundle == second.data?["ca.crt"])
    }

    /// The registry service account is bound to system:auth-delegator and, in kube-system, to extension-apiserver-authentication-reader.
    @Test func delegatedAuthenticationBindings() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        let subject = Subject(kind: "ServiceAccount", name: RegistryNames.registryServiceAccount, namespace: RegistryNames.namespace)
        let delegator = try await harness.cluster.get(ClusterRoleBinding.self, name: ImageAPIDelegation.authDelegatorBinding)
        #expect(delegator.roleRef.kind == "ClusterRole" && delegator.roleRef.name == "system:auth-delegator")
        #expect(delegator.subjects == [subject])
        let reader = try await harness.cluster.get(RoleBinding.self, namespace: "kube-system", name: ImageAPIDelegation.authReaderBinding)
        #expect(reader.roleRef.kind == "Role" && reader.roleRef.name == "extension-apiserver-authentication-reader")
        #expect(reader.subjects == [subject])
        try await harness.editConfig { $0.managementState = .removed }
        try await harness.converge { $0?.status?.conditions?.has("Removed", .true) == true && $0?.status?.conditions?.has("Progressing", .false) == true }
        #expect(try await harness.cluster.getIfExists(ClusterRoleBinding.self, name: ImageAPIDelegation.authDelegatorBinding) == nil)
        #expect(try await harness.cluster.getIfExists(RoleBinding.self, namespace: "kube-system", name: ImageAPIDelegation.authReaderBinding) == nil)
    }

    /// Removed deletes the serving certificate with the rest of the Image API.
    @Test func removedDeletesTheSecret() async throws {
        let harness = ReconcilerHarness()
        try await harness.converge { $0?.isSettledHealthy == true }
        try await harness.editConfig { $0.managementState = .removed }
        try await harness.converge { $0?.status?.conditions?.has("Removed", .true) == true && $0?.status?.conditions?.has("Progressing", .false) == true }
        #expect(try await secret(harness) == nil)
    }
}
