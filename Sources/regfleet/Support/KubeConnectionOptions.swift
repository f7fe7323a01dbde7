import ArgumentParser
import KubeREST
import Logging

/// How a command reaches a real Kubernetes API server: a kubeconfig file (and context), or the
/// service account of the pod it runs in. Shared by the commands that run against a cluster.
struct KubeConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Run against the cluster of this kubeconfig file.")
    var kubeconfig: String?

    @Option(name: .long, help: "The kubeconfig context to use (default: its current-context).")
    var context: String?

    @Flag(name: .customLong("in-cluster"), help: "Run against the cluster this pod runs in, with its service account.")
    var inCluster = false

    /// Whether a real cluster was chosen.
    var isSet: Bool { kubeconfig != nil || inCluster }

    func validate() throws {
        if kubeconfig != nil && inCluster { throw ValidationError("choose one of --kubeconfig FILE and --in-cluster") }
        if context != nil && kubeconfig == nil { throw ValidationError("--context needs --kubeconfig FILE") }
    }

    /// The resolved configuration; a bad kubeconfig fails with an error naming file, context and field.
    func configuration() throws -> KubeConfig {
        if let kubeconfig { return try KubeConfig.load(path: kubeconfig, context: context) }
        return try KubeConfig.inCluster()
    }

    /// A client for the chosen cluster; the caller shuts it down.
    func makeClient(logger: Logger) throws -> RESTClient {
        try RESTClient(configuration: configuration(), logger: logger)
    }
}
