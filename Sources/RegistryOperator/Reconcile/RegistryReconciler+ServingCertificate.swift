import KubeClient
import Logging
import RegistryModel

extension RegistryReconciler {
    /// Makes sure the Secret `image-api-server-tls` holds a serving certificate, creating it when
    /// missing or incomplete; returns the CA PEM (for the APIService's `caBundle`) and the writes.
    /// A Secret of that name the operator did not make is never overwritten.
    func ensureServingCertificate(owner: OwnerReference?) async throws -> (caPEM: String, writes: Int) {
        let key = ImageAPIServingCertificate.secretKey
        let existing = try await api.getIfExists(.secrets, namespace: key.namespace, name: key.name)
        if let existing, let ca = ImageAPIServingCertificate.caPEM(of: existing) { return (ca, 0) }
        if let existing, !ApplyPlanner.isOwnedByOperator(existing) {
            throw OperatorError(
                code: .apply, message: "Secret \(key.namespace ?? "")/\(key.name) exists, is not the operator's and holds no complete serving certificate")
        }
        let data: [String: String]
        do {
            data = try ImageAPIServingCertificate.generate(now: clock.now())
        } catch {
            throw OperatorError(code: .apply, message: "cannot issue the image-api-server serving certificate: \(error)")
        }
        var metadata = OwnedMetadata.make(name: key.name, namespace: key.namespace, app: RegistryNames.apiServerDeployment, owner: owner)
        let secret: Secret
        if let existing {
            metadata.resourceVersion = existing.metadata.resourceVersion
            secret = try await api.update(Secret(metadata: metadata, type: "kubernetes.io/tls", data: data))
        } else {
            do {
                secret = try await api.create(Secret(metadata: metadata, type: "kubernetes.io/tls", data: data))
            } catch let error as KubeError where error.code == .alreadyExists {
                return try await ensureServingCertificate(owner: owner)
            }
        }
        logger.info("issued the image-api-server serving certificate", metadata: ["secret": "\(key)"])
        guard let ca = ImageAPIServingCertificate.caPEM(of: try KubeObject(secret)) else {
            throw OperatorError(code: .apply, message: "the stored Secret \(key) lost its certificate")
        }
        return (ca, 1)
    }
}
