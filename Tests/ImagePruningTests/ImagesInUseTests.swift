import ImagePruning
import Testing

/// Turning image strings into the digests and tags in use on the pruned registry.
@Suite struct ImagesInUseTests {
    static let digest = "sha256:" + String(repeating: "cd", count: 32)

    /// Only references to the registry's domains or aliases count: digest references by digest,
    /// tag references by tag (latest when none is written).
    @Test func onlyReferencesToThePrunedRegistryCount() throws {
        let occurrences = [
            "reg.local:5000/team/app@\(Self.digest)", "reg.local:5000/team/app:v1", "reg.local:5000/team/web",
            "image-registry.image-registry-system.svc:5000/team/app:v9", "other.io:5000/team/app:v2", "team/app:v3",
        ].map { ImageReferenceOccurrence(image: $0, source: "test") }
        let (images, skipped) = try ImagesInUse.resolve(
            occurrences, registryDomains: ["reg.local:5000", "Image-Registry.image-registry-system.svc:5000"], ignoreInvalid: false)
        #expect(skipped.isEmpty)
        #expect(images.digests == ["team/app": [Self.digest]])
        #expect(images.tags == ["team/app": ["v1", "v9"], "team/web": ["latest"]])
    }

    /// An invalid reference aborts with its source and "no changes made"; ignored, it is skipped
    /// and the rest still count.
    @Test func invalidReferenceAbortsUnlessIgnored() throws {
        let occurrences = [
            ImageReferenceOccurrence(image: "reg.local:5000/team/app:v1 ", source: "pod shop/web-1 container app"),
            ImageReferenceOccurrence(image: "reg.local:5000/team/app:v2", source: "deployment shop/web container app"),
        ]
        let error = #expect(throws: RegistryError.self) {
            _ = try ImagesInUse.resolve(occurrences, registryDomains: ["reg.local:5000"], ignoreInvalid: false)
        }
        #expect(error?.code == .invalidReference)
        #expect(error?.message.contains("pod shop/web-1 container app") == true)
        #expect(error?.message.contains("no changes made") == true)

        let (images, skipped) = try ImagesInUse.resolve(occurrences, registryDomains: ["reg.local:5000"], ignoreInvalid: true)
        #expect(skipped == [occurrences[0]])
        #expect(images.tags == ["team/app": ["v2"]])
    }

    /// The registry URL yields the `host:port` spellings references use, including the bare host
    /// when the port is the scheme's default.
    @Test func registryEndpointReferenceDomains() throws {
        #expect(try RegistryEndpoint(parsing: "https://image-registry.image-registry-system.svc:5000").referenceDomains == ["image-registry.image-registry-system.svc:5000"])
        #expect(try RegistryEndpoint(parsing: "https://reg.example.com").referenceDomains == ["reg.example.com", "reg.example.com:443"])
        #expect(try RegistryEndpoint(parsing: "http://REG.local:80").referenceDomains == ["reg.local", "reg.local:80"])
    }
}
