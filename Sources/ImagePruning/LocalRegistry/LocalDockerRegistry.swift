import Foundation
import Logging
import RegistryModel
import Synchronization

/// A throwaway distribution (`docker-registry`) process on a loopback port chosen by the kernel,
/// with its storage in a fresh temporary directory and deletes enabled. The benchmark and the
/// tests push synthetic images into it and prune them through the real API.
public final class LocalDockerRegistry: Sendable {
    /// Where Debian's `docker-registry` package installs distribution.
    public static let defaultBinary = "/usr/bin/docker-registry"

    /// The registry's URL.
    public let endpoint: RegistryEndpoint
    /// The temporary directory holding configuration, storage and log.
    public let directory: URL
    private let process: Mutex<Process>

    /// A server certificate and key (PEM files) to serve HTTPS instead of HTTP, and the CA that
    /// signed the certificate (to check that the registry answers).
    public struct TLSFiles: Sendable, Hashable {
        public var certificateFile: String
        public var keyFile: String
        public var certificateAuthorityFile: String
        public init(certificateFile: String, keyFile: String, certificateAuthorityFile: String) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.certificateAuthorityFile = certificateAuthorityFile
        }
    }

    private init(endpoint: RegistryEndpoint, directory: URL, process: sending Process) {
        self.endpoint = endpoint
        self.directory = directory
        self.process = Mutex(process)
    }

    /// Starts the registry and waits, up to `timeoutSeconds`, until `GET /v2/` answers.
    public static func start(
        binary: String = defaultBinary, tls: TLSFiles? = nil, timeoutSeconds: Double = 20, logger: Logger = Logger(label: "local-registry")
    ) async throws -> LocalDockerRegistry {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw RegistryError(code: .configuration, message: "\(binary) not found or not executable (install Debian's docker-registry package)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("regfleet-registry-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configFile = directory.appendingPathComponent("config.yml")
        let logFile = directory.appendingPathComponent("registry.log")
        try configuration(storage: directory.appendingPathComponent("data").path, tls: tls).write(to: configFile, atomically: true, encoding: .utf8)
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw RegistryError(code: .configuration, message: "cannot create \(logFile.path)")
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", configFile.path]
        let log = try FileHandle(forWritingTo: logFile)
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try? log.close()

        let deadline = ContinuousClock.now + .milliseconds(Int64(timeoutSeconds * 1000))
        var port: Int?
        while port == nil {
            port = listeningPort(in: logFile)
            if port != nil { break }
            guard process.isRunning, ContinuousClock.now < deadline else {
                let output = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                if process.isRunning { process.terminate() }
                try? FileManager.default.removeItem(at: directory)
                throw RegistryError(code: .configuration, message: "docker-registry did not start listening: \(output.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let endpoint = try RegistryEndpoint(parsing: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port!)")
        let registry = LocalDockerRegistry(endpoint: endpoint, directory: directory, process: process)
        do {
            try await registry.waitUntilAnswering(deadline: deadline, caFile: tls?.certificateAuthorityFile)
        } catch {
            await registry.stop()
            throw error
        }
        logger.debug("local registry started", metadata: ["url": "\(endpoint)"])
        return registry
    }

    /// The process id, e.g. to kill it from a test.
    public var processIdentifier: Int32 { process.withLock { $0.processIdentifier } }

    /// Stops the registry (SIGTERM) and removes its directory. The wait for it to exit runs on a thread of its
    /// own, not on one of the few that every task of the process shares.
    public func stop() async {
        _ = try? await BlockingCall.run { self.stopAndWait() }
        try? FileManager.default.removeItem(at: directory)
    }

    private func stopAndWait() {
        process.withLock { process in
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    /// Kills the registry at once (SIGKILL), as a crash would; the directory stays until `stop()`.
    public func kill() {
        process.withLock { process in
            guard process.isRunning else { return }
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private func waitUntilAnswering(deadline: ContinuousClock.Instant, caFile: String?) async throws {
        let client = try RegistryV2Client(configuration: RegistryClientConfiguration(endpoint: endpoint, certificateAuthorityFile: caFile, requestTimeoutSeconds: 2))
        var lastError: (any Error)? = RegistryError(code: .unreachable, message: "docker-registry at \(endpoint) did not answer in time")
        while ContinuousClock.now < deadline, !Task.isCancelled {
            do {
                try await client.ping()
                lastError = nil
                break
            } catch {
                lastError = error
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        try await client.shutdown()
        if let lastError { throw lastError }
    }

    private static func listeningPort(in logFile: URL) -> Int? {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8), let range = text.range(of: "listening on ") else { return nil }
        // `listening on 127.0.0.1:41057` or, with TLS, `listening on 127.0.0.1:41057, tls`.
        let address = text[range.upperBound...].prefix { !$0.isWhitespace && $0 != "\"" && $0 != "," }
        guard let colon = address.lastIndex(of: ":") else { return nil }
        return Int(address[address.index(after: colon)...])
    }

    private static func configuration(storage: String, tls: TLSFiles?) -> String {
        var text = """
            version: 0.1
            log:
              level: info
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: \(storage)
              delete:
                enabled: true
              cache:
                blobdescriptor: inmemory
            http:
              addr: 127.0.0.1:0
              secret: \(UUID().uuidString)

            """
        if let tls {
            text += """
                  tls:
                    certificate: \(tls.certificateFile)
                    key: \(tls.keyFile)

                """
        }
        return text
    }
}
