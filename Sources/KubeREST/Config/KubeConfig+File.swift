import Foundation
import RegistryModel
import Yams

/// Loading a kubeconfig file the way kubectl reads it: the current (or a named) context, its
/// cluster and user, with certificate and key files resolved relative to the kubeconfig.
extension KubeConfig {
    /// Reads the kubeconfig at `path` and resolves `context` (nil: the file's current-context).
    public static func load(path: String, context: String? = nil) throws(KubeConfigError) -> KubeConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "the file cannot be read" : "the file does not exist"
            throw KubeConfigError(code: .unreadableFile, message: reason, file: path)
        }
        return try parse(yaml: String(decoding: data, as: UTF8.self), path: path, context: context)
    }

    /// Resolves kubeconfig text; `path` names the file in errors and anchors relative file paths.
    public static func parse(yaml: String, path: String, context: String? = nil) throws(KubeConfigError) -> KubeConfig {
        let file = try decodeFile(yaml, path: path)
        return try KubeConfigResolver(file: file, path: path).resolve(context: context)
    }

    private static func decodeFile(_ yaml: String, path: String) throws(KubeConfigError) -> KubeConfigFile {
        guard !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw KubeConfigError(code: .invalidYAML, message: "the file is empty", file: path)
        }
        let file: KubeConfigFile
        do {
            file = try YAMLDecoder().decode(KubeConfigFile.self, from: yaml)
        } catch let error as DecodingError {
            let fieldError = StrictJSON.fieldError(from: error)
            let message =
                fieldError.path.isEmpty && fieldError.message.hasPrefix("expected an object") ? "expected a kubeconfig mapping" : fieldError.message
            throw KubeConfigError(code: .invalidYAML, message: message, file: path, field: fieldError.path.isEmpty ? nil : fieldError.path)
        } catch {
            throw KubeConfigError(code: .invalidYAML, message: "not valid YAML: \(error)", file: path)
        }
        if let kind = file.kind, kind != "Config" {
            throw KubeConfigError(code: .invalidField, message: "expected \"Config\", got \"\(kind)\"", file: path, field: "kind")
        }
        return file
    }
}

/// Turns one context of a decoded kubeconfig into a `KubeConfig`, naming the field of every problem.
struct KubeConfigResolver {
    let file: KubeConfigFile
    let path: String

    private var directory: URL { URL(fileURLWithPath: path).deletingLastPathComponent() }

    func resolve(context requested: String?) throws(KubeConfigError) -> KubeConfig {
        guard let contextName = requested ?? file.currentContext.flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw KubeConfigError(
                code: .missingField, message: "no current-context is set and no context was requested", file: path, field: "current-context")
        }
        func fail(_ code: KubeConfigError.Code, _ field: String?, _ message: String) -> KubeConfigError {
            KubeConfigError(code: code, message: message, file: path, context: contextName, field: field)
        }
        guard let contextEntry = file.contexts?.first(where: { $0.name == contextName }) else {
            let known = (file.contexts ?? []).map(\.name)
            throw fail(
                .contextNotFound, nil,
                "no such context" + (known.isEmpty ? " (the file has no contexts)" : "; known contexts: \(known.joined(separator: ", "))"))
        }
        guard let context = contextEntry.value else { throw fail(.missingField, "contexts[\(contextName)].context", "the context entry is empty") }
        guard let clusterName = context.cluster, !clusterName.isEmpty else {
            throw fail(.missingField, "contexts[\(contextName)].context.cluster", "the context names no cluster")
        }
        guard let clusterEntry = file.clusters?.first(where: { $0.name == clusterName }) else {
            throw fail(.clusterNotFound, "contexts[\(contextName)].context.cluster", "no cluster named \"\(clusterName)\"")
        }
        let clusterField = "clusters[\(clusterName)].cluster"
        guard let cluster = clusterEntry.value else { throw fail(.missingField, clusterField, "the cluster entry is empty") }

        var config = try resolveCluster(cluster, field: clusterField, fail: fail)
        config.namespace = context.namespace.flatMap { $0.isEmpty ? nil : $0 }
        config.source = "kubeconfig \(path), context \"\(contextName)\""
        if let userName = context.user, !userName.isEmpty {
            guard let userEntry = file.users?.first(where: { $0.name == userName }) else {
                throw fail(.userNotFound, "contexts[\(contextName)].context.user", "no user named \"\(userName)\"")
            }
            try resolveUser(userEntry.value, field: "users[\(userName)].user", into: &config, fail: fail)
        }
        return config
    }

    private func resolveCluster(
        _ cluster: KubeConfigFile.Cluster, field: String, fail: (KubeConfigError.Code, String?, String) -> KubeConfigError
    ) throws(KubeConfigError) -> KubeConfig {
        guard let server = cluster.server, !server.isEmpty else { throw fail(.missingField, "\(field).server", "the cluster has no server URL") }
        guard let url = URL(string: server), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            throw fail(.invalidField, "\(field).server", "\"\(server)\" is not an http:// or https:// URL with a host")
        }
        if cluster.tlsServerName != nil {
            throw fail(
                .unsupported, "\(field).tls-server-name",
                "overriding the TLS server name is not supported; use a server URL whose host the certificate names")
        }
        if cluster.proxyURL != nil { throw fail(.unsupported, "\(field).proxy-url", "proxies are not supported") }
        let insecure = cluster.insecureSkipTLSVerify ?? false
        let ca = try pem(
            data: cluster.certificateAuthorityData, dataField: "\(field).certificate-authority-data", file: cluster.certificateAuthority,
            fileField: "\(field).certificate-authority", fail: fail)
        if let ca {
            if insecure {
                throw fail(
                    .invalidField, "\(field).insecure-skip-tls-verify", "a certificate authority cannot be combined with insecure-skip-tls-verify")
            }
            try PEMCheck.certificates(ca.data, field: ca.field, fail: fail)
        }
        return KubeConfig(server: url, certificateAuthorityPEM: ca?.data, insecureSkipTLSVerify: insecure)
    }

    private func resolveUser(
        _ user: KubeConfigFile.User?, field: String, into config: inout KubeConfig, fail: (KubeConfigError.Code, String?, String) -> KubeConfigError
    ) throws(KubeConfigError) {
        guard let user else { return }
        if user.exec != nil {
            throw fail(.unsupported, "\(field).exec", "exec credential plugins are not supported; use a token or a client certificate")
        }
        if user.authProvider != nil {
            throw fail(.unsupported, "\(field).auth-provider", "auth providers are not supported; use a token or a client certificate")
        }
        if user.username != nil || user.password != nil {
            throw fail(.unsupported, "\(field).username", "basic authentication is not supported; use a token or a client certificate")
        }
        let certificate = try pem(
            data: user.clientCertificateData, dataField: "\(field).client-certificate-data", file: user.clientCertificate,
            fileField: "\(field).client-certificate", fail: fail)
        let key = try pem(
            data: user.clientKeyData, dataField: "\(field).client-key-data", file: user.clientKey, fileField: "\(field).client-key", fail: fail)
        switch (certificate, key) {
        case (let certificate?, let key?):
            try PEMCheck.certificates(certificate.data, field: certificate.field, fail: fail)
            try PEMCheck.privateKey(key.data, field: key.field, fail: fail)
            config.clientCertificatePEM = certificate.data
            config.clientKeyPEM = key.data
        case (.some, nil):
            throw fail(.missingField, "\(field).client-key-data", "a client certificate needs its key (client-key or client-key-data)")
        case (nil, .some):
            throw fail(
                .missingField, "\(field).client-certificate-data",
                "a client key needs its certificate (client-certificate or client-certificate-data)")
        case (nil, nil):
            break
        }
        if let token = user.token, !token.isEmpty {
            config.credential = .token(token)
        } else if let tokenFile = user.tokenFile, !tokenFile.isEmpty {
            let resolved = absolute(tokenFile)
            guard FileManager.default.isReadableFile(atPath: resolved) else {
                throw fail(.unreadableFile, "\(field).tokenFile", "cannot read \(resolved)")
            }
            config.credential = .tokenFile(resolved)
        }
    }

    /// Inline base64 data or a file; both at once is refused as kubectl refuses it.
    private func pem(
        data: String?, dataField: String, file: String?, fileField: String, fail: (KubeConfigError.Code, String?, String) -> KubeConfigError
    ) throws(KubeConfigError) -> (data: Data, field: String)? {
        let inline = data.flatMap { $0.isEmpty ? nil : $0 }
        let filePath = file.flatMap { $0.isEmpty ? nil : $0 }
        switch (inline, filePath) {
        case (.some, .some):
            throw fail(
                .invalidField, dataField,
                "both \(dataField.split(separator: ".").last!) and \(fileField.split(separator: ".").last!) are set; use one")
        case (let text?, nil):
            let compact = text.filter { !$0.isWhitespace }
            guard let decoded = Data(base64Encoded: compact) else { throw fail(.invalidField, dataField, "is not valid base64") }
            return (decoded, dataField)
        case (nil, let relative?):
            let resolved = absolute(relative)
            guard let contents = FileManager.default.contents(atPath: resolved) else {
                throw fail(.unreadableFile, fileField, "cannot read \(resolved)")
            }
            return (contents, fileField)
        case (nil, nil):
            return nil
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : directory.appendingPathComponent(path).standardizedFileURL.path
    }
}
