import Foundation

/// The configuration of a pod talking to its own cluster: the `kubernetes` Service address from
/// the environment and the service account's token, CA and namespace from its mounted files.
extension KubeConfig {
    /// Reads the in-cluster configuration; `environment` and `serviceAccountDirectory` are
    /// parameters so that it can be tested outside a pod.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment, serviceAccountDirectory: String = KubeConfig.serviceAccountDirectory
    ) throws(KubeConfigError) -> KubeConfig {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty, let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw KubeConfigError(
                code: .notInCluster, message: "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set (is this running in a pod?)")
        }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let server = URL(string: "https://\(bracketed):\(port)"), server.host != nil, Int(port) != nil else {
            throw KubeConfigError(
                code: .invalidField, message: "\"\(host)\":\"\(port)\" is not a host and port",
                field: "KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT")
        }
        let directory = URL(fileURLWithPath: serviceAccountDirectory)
        let tokenPath = directory.appendingPathComponent("token").path
        guard FileManager.default.isReadableFile(atPath: tokenPath) else {
            throw KubeConfigError(code: .unreadableFile, message: "cannot read the service account token", file: tokenPath)
        }
        let caPath = directory.appendingPathComponent("ca.crt").path
        guard let ca = FileManager.default.contents(atPath: caPath) else {
            throw KubeConfigError(code: .unreadableFile, message: "cannot read the service account CA certificate", file: caPath)
        }
        try PEMCheck.certificates(ca, field: "ca.crt") { code, field, message in
            KubeConfigError(code: code, message: message, file: caPath, field: field)
        }
        let namespace = FileManager.default.contents(atPath: directory.appendingPathComponent("namespace").path)
            .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        return KubeConfig(
            server: server, certificateAuthorityPEM: ca, credential: .tokenFile(tokenPath), namespace: namespace, source: "in-cluster")
    }
}
