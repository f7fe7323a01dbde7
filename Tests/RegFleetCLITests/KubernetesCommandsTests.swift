import Foundation
import KubeClient
import KubeREST
import Logging
import RegistryModel
import Testing

/// `regfleet sim-apiserver` and `regfleet operator --kubeconfig` as real processes: the server
/// writes a kubeconfig that works, the operator converges the cluster through it and both stop
/// cleanly on SIGTERM; a malformed kubeconfig fails with one error line naming the problem.
@Suite struct KubernetesCommandsTests {
    static let logger = Logger(label: "regfleet.cli-tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` with a client for a kubeconfig, shutting the client down afterwards.
    static func withClient(_ path: String, _ body: (RESTClient) async throws -> Void) async throws {
        let client = try RESTClient(configuration: KubeConfig.load(path: path), retryPolicy: .never, logger: logger)
        do {
            try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// The simulated API server serves HTTPS with the kubeconfig it wrote, and the operator run
    /// with that kubeconfig brings Config/cluster to Available=True, Progressing=False, Degraded=False.
    @Test func operatorConvergesThroughSimAPIServer() async throws {
        let directory = try temporaryDirectory("kube-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let server = try RegFleetProcess(
            ["sim-apiserver", "--listen", "127.0.0.1:0", "--nodes", "2", "--write-kubeconfig", kubeconfig], in: directory)
        try await server.waitForOutput("wrote \(kubeconfig)")
        #expect(server.standardOutput.contains("listening on https://127.0.0.1:"))
        let mode = try FileManager.default.attributesOfItem(atPath: kubeconfig)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let operatorProcess = try RegFleetProcess(["operator", "--kubeconfig", kubeconfig], in: directory)
        try await Self.withClient(kubeconfig) { client in
            #expect(try await client.list(.nodes, namespace: nil, options: ListOptions()).items.count == 2)
            let deadline = ContinuousClock.now + .seconds(60)
            var healthy = false
            while !healthy && ContinuousClock.now < deadline && operatorProcess.process.isRunning {
                if let config = try await client.getIfExists(Config.self, name: RegistryNames.singleton) {
                    let conditions = config.status?.conditions ?? []
                    healthy = conditions.has("Available", .true) && conditions.has("Progressing", .false) && conditions.has("Degraded", .false)
                }
                if !healthy { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(healthy, "operator stderr: \(operatorProcess.standardError.suffix(2000))")
        }
        operatorProcess.signal(SIGTERM)
        #expect(try await operatorProcess.wait() == 0)
        #expect(operatorProcess.standardError.contains("operator stopped"))
        server.signal(SIGTERM)
        #expect(try await server.wait() == 0)
    }

    /// `regfleet operator uninstall` through a kubeconfig removes what the operator created, the CRDs
    /// and the namespace, prints what it deleted and exits 0.
    @Test func uninstallThroughSimAPIServer() async throws {
        let directory = try temporaryDirectory("kube-uninstall")
        defer { try? FileManager.default.removeItem(at: directory) }
        let kubeconfig = directory.appendingPathComponent("kubeconfig").path
        let server = try RegFleetProcess(
            ["sim-apiserver", "--listen", "127.0.0.1:0", "--nodes", "2", "--write-kubeconfig", kubeconfig], in: directory)
        try await server.waitForOutput("wrote \(kubeconfig)")
        let operatorProcess = try RegFleetProcess(["operator", "--kubeconfig", kubeconfig], in: directory)
        try await Self.withClient(kubeconfig) { client in
            let deadline = ContinuousClock.now + .seconds(60)
            var running = false
            while !running && ContinuousClock.now < deadline && operatorProcess.process.isRunning {
                running = try await client.getIfExists(.apiServices, namespace: nil, name: RegistryNames.apiService) != nil
                if !running { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(running, "operator stderr: \(operatorProcess.standardError.suffix(2000))")
        }
        operatorProcess.signal(SIGTERM)
        #expect(try await operatorProcess.wait() == 0)

        let result = try await RegFleetProcess.run(["operator", "uninstall", "--kubeconfig", kubeconfig, "--timeout", "30s"], in: directory)
        #expect(result.status == 0, "stderr: \(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("deleted  APIService/\(RegistryNames.apiService)"))
        #expect(result.stdout.contains("uninstalled; nothing left behind"))
        try await Self.withClient(kubeconfig) { client in
            let namespace = try await client.getIfExists(.namespaces, namespace: nil, name: RegistryNames.namespace)
            let apiService = try await client.getIfExists(.apiServices, namespace: nil, name: RegistryNames.apiService)
            let definition = try await client.getIfExists(.customResourceDefinitions, namespace: nil, name: ResourceType.configs.definitionName)
            #expect(namespace == nil)
            #expect(apiService == nil)
            #expect(definition == nil)
        }
        server.signal(SIGTERM)
        #expect(try await server.wait() == 0)
    }

    /// A malformed kubeconfig stops the operator before it starts, with one error line naming the
    /// file, the context and the field.
    @Test func malformedKubeconfigFailsClearly() async throws {
        let directory = try temporaryDirectory("kube-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("broken.yaml").path
        try Data(
            """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: dev
              cluster:
                server: 127.0.0.1:6443
            contexts:
            - name: dev
              context: {cluster: dev}
            """.utf8
        ).write(to: URL(fileURLWithPath: path))
        let result = try await RegFleetProcess.run(["operator", "--kubeconfig", path], in: directory)
        #expect(result.status != 0)
        let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errorLines.count == 1, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "kubeconfig \(path): context \"dev\": clusters[dev].cluster.server: \"127.0.0.1:6443\" is not an http:// or https:// URL with a host"),
            "\(result.stderr)")
    }

    /// Conflicting cluster choices are refused before anything runs.
    @Test func clusterChoicesExcludeEachOther() async throws {
        let directory = try temporaryDirectory("kube-cli")
        defer { try? FileManager.default.removeItem(at: directory) }
        let both = try await RegFleetProcess.run(["operator", "--simulated", "--in-cluster"], in: directory)
        #expect(both.status != 0)
        #expect(both.stderr.contains("choose a cluster"), "\(both.stderr)")
        let outside = try await RegFleetProcess.run(["operator", "--in-cluster"], in: directory, environment: ["KUBERNETES_SERVICE_HOST": ""])
        #expect(outside.status != 0)
        #expect(outside.stderr.contains("KUBERNETES_SERVICE_HOST"), "\(outside.stderr)")
    }
}
