import KubeClient
import RegistryModel

/// The registry container's environment, derived from Config's spec (domain.md "Config/cluster").
enum RegistryEnvironment {
    static func variables(spec: ConfigSpec, storage: StorageSpec) -> [EnvVar] {
        var env: [EnvVar] = [
            EnvVar(name: "REGISTRY_HTTP_ADDR", value: ":\(RegistryNames.registryPort)"),
            EnvVar(name: "REGISTRY_HTTP_NET", value: "tcp"),
            EnvVar(name: "REGISTRY_LOG_LEVEL", value: logLevel(spec.effectiveLogLevel)),
            EnvVar(name: "REGISTRY_STORAGE_DELETE_ENABLED", value: "true"),
        ]
        if let s3 = storage.s3 {
            env.append(EnvVar(name: "REGISTRY_STORAGE", value: "s3"))
            env.append(EnvVar(name: "REGISTRY_STORAGE_S3_BUCKET", value: s3.bucket ?? ""))
            env.append(EnvVar(name: "REGISTRY_STORAGE_S3_REGION", value: s3.region ?? ""))
            if let endpoint = s3.regionEndpoint { env.append(EnvVar(name: "REGISTRY_STORAGE_S3_REGIONENDPOINT", value: endpoint)) }
            env.append(EnvVar(name: "REGISTRY_STORAGE_S3_ENCRYPT", value: String(s3.encrypt ?? false)))
        } else {
            env.append(EnvVar(name: "REGISTRY_STORAGE", value: "filesystem"))
            env.append(EnvVar(name: "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", value: "/registry"))
        }
        if spec.readOnly == true {
            env.append(EnvVar(name: "REGISTRY_STORAGE_MAINTENANCE_READONLY", value: "{\"enabled\":true}"))
        }
        if spec.disableRedirect == true {
            env.append(EnvVar(name: "REGISTRY_STORAGE_REDIRECT_DISABLE", value: "true"))
        }
        if let proxy = spec.proxy {
            if let value = proxy.http, !value.isEmpty { env.append(EnvVar(name: "HTTP_PROXY", value: value)) }
            if let value = proxy.https, !value.isEmpty { env.append(EnvVar(name: "HTTPS_PROXY", value: value)) }
            if let value = proxy.noProxy, !value.isEmpty { env.append(EnvVar(name: "NO_PROXY", value: value)) }
        }
        env.append(contentsOf: requestLimits(spec.requests?.read, kind: "READ"))
        env.append(contentsOf: requestLimits(spec.requests?.write, kind: "WRITE"))
        return env
    }

    /// Debug, Trace and TraceAll log at `debug`; everything else at `info` (upstream's mapping).
    static func logLevel(_ level: String) -> String {
        ["Debug", "Trace", "TraceAll"].contains(level) ? "debug" : "info"
    }

    /// Limits are passed only when they limit something (upstream: maxRunning or maxInQueue ≠ 0).
    private static func requestLimits(_ limits: RequestLimits?, kind: String) -> [EnvVar] {
        guard let limits, (limits.maxRunning ?? 0) != 0 || (limits.maxInQueue ?? 0) != 0 else { return [] }
        var env = [
            EnvVar(name: "REGISTRY_REQUESTS_\(kind)_MAXRUNNING", value: String(limits.maxRunning ?? 0)),
            EnvVar(name: "REGISTRY_REQUESTS_\(kind)_MAXINQUEUE", value: String(limits.maxInQueue ?? 0)),
        ]
        if let wait = limits.maxWaitInQueue, !wait.isEmpty {
            env.append(EnvVar(name: "REGISTRY_REQUESTS_\(kind)_MAXWAITINQUEUE", value: wait))
        }
        return env
    }
}

/// A stable 64-bit FNV-1a hash, used for the pod-template checksum annotation that rolls the
/// registry pods when their configuration (secret, environment) changes.
enum StableHash {
    static func hex(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
