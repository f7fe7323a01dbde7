import ImagePruning
import Testing

/// Parsing image references with the Docker reference grammar.
@Suite struct ImageReferenceTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    /// A valid reference and what it must parse to.
    struct Valid: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var domain: String
        var path: String
        var tag: String?
        var digest: String?
        var effectiveTag: String?
        var testDescription: String { name }
    }

    static let valid: [Valid] = [
        Valid(name: "docker hub short name", text: "nginx", domain: "docker.io", path: "library/nginx", effectiveTag: "latest"),
        Valid(name: "docker hub user image with tag", text: "bitnami/redis:7.2", domain: "docker.io", path: "bitnami/redis", tag: "7.2", effectiveTag: "7.2"),
        Valid(
            name: "registry with port, nested path", text: "image-registry.image-registry-system.svc:5000/team/app:v1",
            domain: "image-registry.image-registry-system.svc:5000", path: "team/app", tag: "v1", effectiveTag: "v1"),
        Valid(name: "localhost registry", text: "localhost/app", domain: "localhost", path: "app", effectiveTag: "latest"),
        Valid(name: "digest only", text: "127.0.0.1:5000/a/b@\(digest)", domain: "127.0.0.1:5000", path: "a/b", digest: digest),
        Valid(
            name: "tag and digest: digest wins", text: "reg.example.com/a/b:v2@\(digest)", domain: "reg.example.com", path: "a/b", tag: "v2",
            digest: digest),
        Valid(name: "upper-case domain", text: "Registry.Example.com/app:v1", domain: "registry.example.com", path: "app", tag: "v1", effectiveTag: "v1"),
        Valid(name: "IPv6 domain", text: "[::1]:5000/app:v1", domain: "[::1]:5000", path: "app", tag: "v1", effectiveTag: "v1"),
        Valid(name: "separators in path", text: "reg.io/my_team/app-x.y__z:1.0-rc_1", domain: "reg.io", path: "my_team/app-x.y__z", tag: "1.0-rc_1", effectiveTag: "1.0-rc_1"),
        Valid(name: "index.docker.io is docker.io", text: "index.docker.io/library/busybox", domain: "docker.io", path: "library/busybox", effectiveTag: "latest"),
    ]

    /// Valid references parse into domain, repository path, tag and digest.
    @Test(arguments: valid) func validReferencesParse(_ case: Valid) throws {
        let reference = try ImageReference(parsing: `case`.text)
        #expect(reference.domain == `case`.domain)
        #expect(reference.path == `case`.path)
        #expect(reference.tag == `case`.tag)
        #expect(reference.digest == `case`.digest)
        #expect(reference.effectiveTag == `case`.effectiveTag)
    }

    /// An invalid reference and a word its error message must contain.
    struct Invalid: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var because: String
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(name: "empty", text: "", because: "empty"),
        Invalid(name: "trailing space", text: "reg.io/app:v1 ", because: "bad tag"),
        Invalid(name: "upper-case repository", text: "reg.io/Team/App", because: "lowercase"),
        Invalid(name: "empty tag", text: "reg.io/app:", because: "bad tag"),
        Invalid(name: "short digest", text: "reg.io/app@sha256:abc", because: "bad digest"),
        Invalid(name: "unknown digest algorithm", text: "reg.io/app@md5:\(String(repeating: "a", count: 32))", because: "bad digest"),
        Invalid(name: "upper-case digest hex", text: "reg.io/app@sha256:\(String(repeating: "AB", count: 32))", because: "bad digest"),
        Invalid(name: "empty path component", text: "reg.io//app", because: "bad path component"),
        Invalid(name: "leading dash", text: "reg.io/-app", because: "bad path component"),
        Invalid(name: "no name", text: ":v1", because: "no repository name"),
        Invalid(name: "bad port", text: "reg.io:50x0/app", because: "bad registry host"),
        Invalid(name: "tag too long", text: "app:" + String(repeating: "t", count: 129), because: "bad tag"),
        Invalid(name: "space inside", text: "reg.io/my app", because: "bad path component"),
    ]

    /// Invalid references are refused with `invalidReference` and a message naming the fault.
    @Test(arguments: invalid) func invalidReferencesAreRefused(_ case: Invalid) {
        let error = #expect(throws: RegistryError.self) { _ = try ImageReference(parsing: `case`.text) }
        #expect(error?.code == .invalidReference)
        #expect(error?.message.contains(`case`.because) == true, "\(error?.message ?? "")")
    }
}
