/// The images a cluster uses from the pruned registry, by repository: digests that references
/// pin and tags that references follow.
public struct ImagesInUse: Sendable, Hashable {
    /// Repository → digests named by `…@sha256:…` references.
    public var digests: [String: Set<String>]
    /// Repository → tags named by `…:tag` references (`latest` when none is written).
    public var tags: [String: Set<String>]

    public init(digests: [String: Set<String>] = [:], tags: [String: Set<String>] = [:]) {
        self.digests = digests
        self.tags = tags
    }

    /// Nothing in use.
    public static let none = ImagesInUse()

    /// Records one reference (whatever its domain; filtering by registry happens in `resolve`).
    public mutating func add(_ reference: ImageReference) {
        if let digest = reference.digest {
            digests[reference.path, default: []].insert(digest)
        } else if let tag = reference.effectiveTag {
            tags[reference.path, default: []].insert(tag)
        }
    }

    /// Parses references and keeps those on the pruned registry (`registryDomains`: its
    /// `host[:port]` spellings and aliases). An invalid reference aborts with a message that
    /// names it and its source, unless `ignoreInvalid`; `skipped` then lists it.
    public static func resolve(
        _ occurrences: [ImageReferenceOccurrence], registryDomains: Set<String>, ignoreInvalid: Bool
    ) throws(RegistryError) -> (images: ImagesInUse, skipped: [ImageReferenceOccurrence]) {
        let domains = Set(registryDomains.map { $0.lowercased() })
        var images = ImagesInUse()
        var skipped: [ImageReferenceOccurrence] = []
        for occurrence in occurrences {
            let reference: ImageReference
            do {
                reference = try ImageReference(parsing: occurrence.image)
            } catch {
                guard ignoreInvalid else {
                    throw RegistryError(
                        code: .invalidReference,
                        message: "\(error.message) in \(occurrence.source); no changes made (pass --ignore-invalid-refs to skip invalid references)")
                }
                skipped.append(occurrence)
                continue
            }
            if domains.contains(reference.domain) { images.add(reference) }
        }
        return (images, skipped)
    }
}

/// One image string found somewhere, with where it was found, so an invalid one can be traced.
public struct ImageReferenceOccurrence: Sendable, Hashable, Codable {
    /// The image exactly as written.
    public var image: String
    /// E.g. `pod shop/web-1 container app`, or the references file's path.
    public var source: String

    public init(image: String, source: String) {
        self.image = image
        self.source = source
    }
}
