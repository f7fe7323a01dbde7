import Foundation
import ImagePruning
import RegistryModel
import Testing

/// `regfleet prune` argument validation, which runs before any request.
@Suite struct PruneArgumentsTests {
    /// A bad set of flags and the flag its error must name.
    struct Bad: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: PruneArguments
        var flag: String
        var testDescription: String { name }
    }

    static let url = "https://image-registry.image-registry-system.svc:5000"

    static let bad: [Bad] = [
        Bad(name: "missing URL", arguments: PruneArguments(noClusterReferences: true), flag: "--registry-url"),
        Bad(name: "URL with a path", arguments: PruneArguments(registryURL: "https://reg.io/v2", noClusterReferences: true), flag: "--registry-url"),
        Bad(name: "URL with a query", arguments: PruneArguments(registryURL: "https://reg.io?x=1", noClusterReferences: true), flag: "--registry-url"),
        Bad(name: "URL with an ftp scheme", arguments: PruneArguments(registryURL: "ftp://reg.io", noClusterReferences: true), flag: "--registry-url"),
        Bad(name: "URL with a bad port", arguments: PruneArguments(registryURL: "reg.io:99999", noClusterReferences: true), flag: "--registry-url"),
        Bad(name: "negative revisions", arguments: PruneArguments(registryURL: url, keepTagRevisions: -1, noClusterReferences: true), flag: "--keep-tag-revisions"),
        Bad(name: "bad duration", arguments: PruneArguments(registryURL: url, keepYoungerThan: "an hour", noClusterReferences: true), flag: "--keep-younger-than"),
        Bad(name: "negative duration", arguments: PruneArguments(registryURL: url, keepYoungerThan: "-5m", noClusterReferences: true), flag: "--keep-younger-than"),
        Bad(name: "ignore-invalid-refs not a bool", arguments: PruneArguments(registryURL: url, ignoreInvalidRefs: "maybe", noClusterReferences: true), flag: "--ignore-invalid-refs"),
        Bad(name: "username without password", arguments: PruneArguments(registryURL: url, username: "u", noClusterReferences: true), flag: "--password"),
        Bad(name: "token with username", arguments: PruneArguments(registryURL: url, username: "u", password: "p", token: "t", noClusterReferences: true), flag: "--token"),
        Bad(name: "unknown output", arguments: PruneArguments(registryURL: url, output: "yaml", noClusterReferences: true), flag: "--output"),
        Bad(name: "CA for http", arguments: PruneArguments(registryURL: "http://reg.io:5000", certificateAuthority: "/etc/hostname", noClusterReferences: true), flag: "--certificate-authority"),
        Bad(name: "missing CA file", arguments: PruneArguments(registryURL: url, certificateAuthority: "/nonexistent/ca.crt", noClusterReferences: true), flag: "--certificate-authority"),
        Bad(name: "bad alias", arguments: PruneArguments(registryURL: url, registryAliases: ["not a host"], noClusterReferences: true), flag: "--registry-alias"),
        Bad(name: "missing references file", arguments: PruneArguments(registryURL: url, referencesFile: "/nonexistent/refs.json"), flag: "--references-file"),
        Bad(name: "references file and no references", arguments: PruneArguments(registryURL: url, referencesFile: "/etc/hostname", noClusterReferences: true), flag: "--references-file"),
    ]

    /// Each bad set of flags is one `invalidArgument` error naming the flag.
    @Test(arguments: bad) func badArgumentsAreRefused(_ case: Bad) {
        let error = #expect(throws: RegistryError.self) { _ = try `case`.arguments.validated() }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix(`case`.flag) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\n") == false)
    }

    /// The CronJob's flags validate into the configuration the run uses.
    @Test func cronJobArgumentsValidate() throws {
        let configuration = try PruneArguments(
            registryURL: Self.url, keepTagRevisions: 5, keepYoungerThan: "2h", ignoreInvalidRefs: "true", token: "sa-token", confirm: true,
            output: "json", registryAliases: ["registry.example.com"], noClusterReferences: true
        ).validated()
        #expect(configuration.client.endpoint.baseURL == Self.url)
        #expect(configuration.client.credentials == .bearer(token: "sa-token"))
        #expect(configuration.run == PruneRunOptions(keepTagRevisions: 5, keepYoungerThan: GoDuration(nanoseconds: 7_200_000_000_000), confirm: true))
        #expect(configuration.ignoreInvalidReferences)
        #expect(configuration.registryDomains == ["image-registry.image-registry-system.svc:5000", "registry.example.com"])
        #expect(configuration.references == .none)
        #expect(configuration.output == .json)
    }

    /// Defaults follow `oc adm prune images`: https, 3 revisions, 60 minutes, invalid references
    /// abort, dry run; without a references flag the cluster is the source.
    @Test func defaults() throws {
        let configuration = try PruneArguments(registryURL: "reg.io:5000").validated()
        #expect(configuration.client.endpoint.scheme == "https")
        #expect(configuration.run == PruneRunOptions(keepTagRevisions: 3, keepYoungerThan: GoDuration(nanoseconds: 3_600_000_000_000), confirm: false))
        #expect(configuration.ignoreInvalidReferences == false)
        #expect(configuration.references == .cluster)
        #expect(configuration.output == .table)
        #expect(configuration.client.credentials == .none)
    }
}
