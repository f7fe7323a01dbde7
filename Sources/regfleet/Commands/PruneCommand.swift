import ArgumentParser
import Foundation
import ImagePruning
import KubeREST
import Logging
import RegistryModel

/// `regfleet prune`: the image pruner the `image-pruner` CronJob runs against the Registry v2
/// API. Flags follow `oc adm prune images`; without `--confirm` it is a dry run.
struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete registry images that no retention rule keeps (a dry run unless --confirm).",
        discussion: """
            Keeps images younger than --keep-younger-than, the newest --keep-tag-revisions per repository, \
            images referenced by digest, children of kept indexes, and images that in-use tags point at. \
            Image references come from --references-file (a JSON array of image strings); \
            --no-cluster-references prunes by age and revision only.
            """
    )

    @Option(name: .customLong("registry-url"), help: "Registry to prune: [http(s)://]host[:port].")
    var registryURL: String?

    @Option(name: .customLong("keep-tag-revisions"), help: "Keep this many newest images per repository.")
    var keepTagRevisions: Int = 3

    @Option(name: .customLong("keep-younger-than"), help: "Keep images younger than this Go duration (e.g. 60m, 24h).")
    var keepYoungerThan: String = "60m"

    @Option(
        name: .customLong("ignore-invalid-refs"), defaultAsFlag: "true",
        help: "Skip unparsable image references instead of aborting (true|false; the flag alone means true).")
    var ignoreInvalidRefs: String? = nil

    @Option(name: .customLong("certificate-authority"), help: "PEM CA bundle that signs the registry's certificate.")
    var certificateAuthority: String?

    @Option(help: "Registry user name (basic auth).")
    var username: String?

    @Option(help: "Registry password (basic auth).")
    var password: String?

    @Option(help: "Bearer token for the registry.")
    var token: String?

    @Flag(help: "Delete for real; without it nothing is changed.")
    var confirm = false

    @Option(name: .shortAndLong, help: "Report format: table or json.")
    var output: String = "table"

    @Option(name: .customLong("registry-alias"), help: "Another host[:port] that image references use for this registry (repeatable).")
    var registryAliases: [String] = []

    @Option(name: .customLong("references-file"), help: "JSON array of the image references in use.")
    var referencesFile: String?

    @Flag(name: .customLong("no-cluster-references"), help: "Read no image references (only age and revisions protect images).")
    var noClusterReferences = false

    @Option(
        name: .customLong("result-configmap"),
        help: "Record the report in this ConfigMap (NAMESPACE/NAME, key report.json) for the operator and the agent; needs --kubeconfig or --in-cluster.")
    var resultConfigMap: String?

    @Option(name: .customLong("loglevel"), help: "Verbosity as oc adm prune takes it: 0-2 info, 3-5 debug, 6+ trace.")
    var verbosity: Int?

    @OptionGroup var kube: KubeConnectionOptions

    @OptionGroup var logging: LoggingOptions

    /// The flags as the library validates them.
    var arguments: PruneArguments {
        PruneArguments(
            registryURL: registryURL, keepTagRevisions: keepTagRevisions, keepYoungerThan: keepYoungerThan, ignoreInvalidRefs: ignoreInvalidRefs,
            certificateAuthority: certificateAuthority, username: username, password: password, token: token, confirm: confirm, output: output,
            registryAliases: registryAliases, referencesFile: referencesFile, noClusterReferences: noClusterReferences)
    }

    func validate() throws {
        if let resultConfigMap {
            let parts = resultConfigMap.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, DNSNames.isLabel(String(parts[0])), DNSNames.isSubdomain(String(parts[1])) else {
                throw ValidationError("--result-configmap must be NAMESPACE/NAME, got \"\(resultConfigMap)\"")
            }
            guard kube.isSet else { throw ValidationError("--result-configmap needs --kubeconfig FILE or --in-cluster") }
        }
        if let verbosity, verbosity < 0 { throw ValidationError("--loglevel must not be negative, got \(verbosity)") }
    }

    func run() async throws {
        let configuration = try arguments.validated()
        var logging = logging
        if let verbosity { logging.logLevel = verbosity >= 6 ? .trace : verbosity >= 3 ? .debug : .info }
        let logger = logging.makeLogger("prune")
        let kubernetes = kube.isSet ? try kube.makeClient(logger: logger) : nil
        do {
            try await prune(configuration, kubernetes: kubernetes, logger: logger)
        } catch {
            try? await kubernetes?.shutdown()
            throw error
        }
        try? await kubernetes?.shutdown()
    }

    private func prune(_ configuration: PruneConfiguration, kubernetes: RESTClient?, logger: Logger) async throws {
        let references = try referenceProvider(configuration, kubernetes: kubernetes, logger: logger)
        let progress = PruneProgressLine()
        let report = try await RegistryPruner.run(configuration: configuration, references: references, logger: logger, progress: { progress.show($0) })
        progress.finish()
        switch configuration.output {
        case .table: print(report.tableDescription)
        case .json: print(String(decoding: try JSONCoding.encode(report, pretty: true), as: UTF8.self))
        }
        if let resultConfigMap, let kubernetes {
            let parts = resultConfigMap.split(separator: "/").map(String.init)
            try await PruneResultRecorder.record(report, namespace: parts[0], name: parts[1], api: kubernetes)
            logger.info("prune report recorded", metadata: ["configmap": "\(resultConfigMap)"])
        }
        if !report.succeeded { throw ExitCode.failure }
    }

    /// Where image references come from: the cluster (through the API server), a file, or nowhere.
    private func referenceProvider(_ configuration: PruneConfiguration, kubernetes: RESTClient?, logger: Logger) throws -> any ImageReferenceProvider {
        switch configuration.references {
        case .file(let path):
            return ReferencesFile(path: path)
        case .none:
            logger.warning("no image references read (--no-cluster-references): only age and revisions protect images")
            return NoImageReferences()
        case .cluster:
            guard let kubernetes else {
                throw RegistryError(
                    code: .invalidArgument,
                    message: "image references in use come from the cluster: pass --kubeconfig FILE or --in-cluster (or --references-file FILE, or --no-cluster-references)")
            }
            return ImageReferenceCollector(api: kubernetes, keepYoungerThan: configuration.run.keepYoungerThan, logger: logger)
        }
    }
}
