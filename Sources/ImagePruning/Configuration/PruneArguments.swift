import Foundation
import RegistryModel

/// The `regfleet prune` flags as typed on the command line (flags follow `oc adm prune images`).
/// `validated()` turns them into a `PruneConfiguration` or one error naming the flag, before
/// any request is sent.
public struct PruneArguments: Sendable, Hashable {
    /// `--registry-url`: `[http(s)://]host[:port]`.
    public var registryURL: String?
    /// `--keep-tag-revisions` (default 3).
    public var keepTagRevisions: Int
    /// `--keep-younger-than`, a Go duration (default `60m`).
    public var keepYoungerThan: String
    /// `true`/`false`; nil when the flag was not given (false, as in `oc adm prune images`).
    public var ignoreInvalidRefs: String?
    /// `--certificate-authority`: PEM CA bundle for an https registry.
    public var certificateAuthority: String?
    /// `--username` for basic auth.
    public var username: String?
    /// `--password` for basic auth.
    public var password: String?
    /// `--token`: a bearer token.
    public var token: String?
    /// `--confirm`: delete for real.
    public var confirm: Bool
    /// `--output`: `table` or `json`.
    public var output: String
    /// `--registry-alias`: more `host[:port]` names of the registry.
    public var registryAliases: [String]
    /// `--references-file`: JSON array of image strings in use.
    public var referencesFile: String?
    /// `--no-cluster-references`: read no references.
    public var noClusterReferences: Bool

    public init(
        registryURL: String? = nil, keepTagRevisions: Int = 3, keepYoungerThan: String = "60m", ignoreInvalidRefs: String? = nil,
        certificateAuthority: String? = nil, username: String? = nil, password: String? = nil, token: String? = nil, confirm: Bool = false,
        output: String = "table", registryAliases: [String] = [], referencesFile: String? = nil, noClusterReferences: Bool = false
    ) {
        self.registryURL = registryURL
        self.keepTagRevisions = keepTagRevisions
        self.keepYoungerThan = keepYoungerThan
        self.ignoreInvalidRefs = ignoreInvalidRefs
        self.certificateAuthority = certificateAuthority
        self.username = username
        self.password = password
        self.token = token
        self.confirm = confirm
        self.output = output
        self.registryAliases = registryAliases
        self.referencesFile = referencesFile
        self.noClusterReferences = noClusterReferences
    }

    /// Checks every flag; the first problem is thrown as `RegistryError.Code.invalidArgument`.
    public func validated() throws(RegistryError) -> PruneConfiguration {
        guard let registryURL, !registryURL.isEmpty else { throw .invalidArgument("--registry-url", "required") }
        let endpoint = try RegistryEndpoint(parsing: registryURL)
        guard keepTagRevisions >= 0 else { throw .invalidArgument("--keep-tag-revisions", "must be 0 or more, got \(keepTagRevisions)") }
        let keepYoungerThan: GoDuration
        do {
            keepYoungerThan = try GoDuration(parsing: self.keepYoungerThan)
        } catch {
            throw .invalidArgument("--keep-younger-than", error.message)
        }
        guard keepYoungerThan.nanoseconds >= 0 else { throw .invalidArgument("--keep-younger-than", "must not be negative, got \(self.keepYoungerThan)") }
        let ignoreInvalid: Bool
        switch ignoreInvalidRefs?.lowercased() {
        case nil, "false": ignoreInvalid = false
        case "true": ignoreInvalid = true
        case let other?: throw .invalidArgument("--ignore-invalid-refs", "must be true or false, got \"\(other)\"")
        }
        let credentials = try credentials()
        if let certificateAuthority {
            guard endpoint.scheme == "https" else { throw .invalidArgument("--certificate-authority", "only applies to an https registry URL") }
            guard FileManager.default.isReadableFile(atPath: certificateAuthority) else {
                throw .invalidArgument("--certificate-authority", "cannot read \(certificateAuthority)")
            }
        }
        guard let output = PruneOutputFormat(rawValue: output) else { throw .invalidArgument("--output", "must be table or json, got \"\(output)\"") }
        var domains = endpoint.referenceDomains
        for alias in registryAliases {
            guard ImageReference.isValidDomain(Substring(alias)) else { throw .invalidArgument("--registry-alias", "\"\(alias)\" is not a host[:port]") }
            domains.insert(alias.lowercased())
        }
        let references: ImageReferenceSource
        switch (referencesFile, noClusterReferences) {
        case (let path?, false):
            guard FileManager.default.isReadableFile(atPath: path) else { throw .invalidArgument("--references-file", "cannot read \(path)") }
            references = .file(path)
        case (nil, true): references = .none
        case (nil, false): references = .cluster
        case (_?, true): throw .invalidArgument("--references-file", "cannot be combined with --no-cluster-references")
        }
        return PruneConfiguration(
            client: RegistryClientConfiguration(endpoint: endpoint, credentials: credentials, certificateAuthorityFile: certificateAuthority),
            run: PruneRunOptions(keepTagRevisions: keepTagRevisions, keepYoungerThan: keepYoungerThan, confirm: confirm),
            ignoreInvalidReferences: ignoreInvalid, registryDomains: domains, references: references, output: output)
    }

    private func credentials() throws(RegistryError) -> RegistryCredentials {
        switch (username, password, token) {
        case (nil, nil, nil): return .none
        case (nil, nil, let token?):
            guard !token.isEmpty else { throw .invalidArgument("--token", "must not be empty") }
            return .bearer(token: token)
        case (let username?, let password?, nil):
            guard !username.isEmpty else { throw .invalidArgument("--username", "must not be empty") }
            return .basic(username: username, password: password)
        case (_, _, _?): throw .invalidArgument("--token", "cannot be combined with --username/--password")
        case (_?, nil, nil): throw .invalidArgument("--password", "required with --username")
        case (nil, _?, nil): throw .invalidArgument("--username", "required with --password")
        }
    }
}

/// How `regfleet prune` prints its report.
public enum PruneOutputFormat: String, Sendable, Hashable {
    case table
    case json
}

/// Where a run's image references come from.
public enum ImageReferenceSource: Sendable, Hashable {
    /// The cluster's workloads, through a `KubernetesAPI`.
    case cluster
    /// A JSON array of image strings.
    case file(String)
    /// None (logged as a warning: only age and revisions protect images).
    case none
}

/// A validated prune: the registry client, the run options and how to read references.
public struct PruneConfiguration: Sendable, Hashable {
    /// How to reach the registry.
    public var client: RegistryClientConfiguration
    /// Retention and confirm.
    public var run: PruneRunOptions
    /// Skip unparsable references instead of aborting.
    public var ignoreInvalidReferences: Bool
    /// `host[:port]` spellings that image references use for the pruned registry.
    public var registryDomains: Set<String>
    /// Where the references in use come from.
    public var references: ImageReferenceSource
    /// How the report is printed.
    public var output: PruneOutputFormat

    public init(
        client: RegistryClientConfiguration, run: PruneRunOptions, ignoreInvalidReferences: Bool, registryDomains: Set<String>,
        references: ImageReferenceSource, output: PruneOutputFormat
    ) {
        self.client = client
        self.run = run
        self.ignoreInvalidReferences = ignoreInvalidReferences
        self.registryDomains = registryDomains
        self.references = references
        self.output = output
    }
}
