import Foundation
import Logging

/// Reads one repository into a `RepositoryInventory` with as few requests as the API allows:
/// the tag list, one `GET` per tag (the answer carries both digest and body), one `GET` per
/// list/index entry not already seen, and one config `GET` per config digest not already seen in
/// the run.
struct InventoryScanner: Sendable {
    let client: RegistryV2Client
    let configTimes: ImageConfigTimes
    let logger: Logger

    /// A parsed manifest before its `created` time is known.
    private struct Parsed: Sendable {
        var digest: String
        var mediaType: String
        var size: Int64
        var config: BlobReference?
        var blobs: [BlobReference]
        var children: [String]
    }

    /// Reads a repository's tags and every manifest they reach; tags or entries that vanish
    /// meanwhile are left out.
    func scan(repository: String) async throws -> RepositoryInventory {
        let tagNames = try await client.tags(repository: repository)
        var tags: [String: String] = [:]
        var parsed: [String: Parsed] = [:]
        let fetchedByTag = try await fetchAll(tagNames, repository: repository)
        for (tag, fetched) in fetchedByTag {
            tags[tag] = fetched.digest
            if parsed[fetched.digest] == nil { parsed[fetched.digest] = try parse(fetched, repository: repository) }
        }
        var missing = Set(parsed.values.flatMap(\.children)).subtracting(parsed.keys)
        while !missing.isEmpty {
            for (digest, fetched) in try await fetchAll(Array(missing), repository: repository) {
                parsed[digest] = try parse(fetched, repository: repository)
            }
            let unfetchable = missing.subtracting(parsed.keys)
            if !unfetchable.isEmpty {
                logger.warning("index entries missing from repository", metadata: ["repository": "\(repository)", "digests": "\(unfetchable.sorted())"])
            }
            missing = Set(parsed.values.flatMap(\.children)).subtracting(parsed.keys).subtracting(unfetchable)
        }
        let created = try await configTimes(of: Array(parsed.values), repository: repository)
        var records: [String: ManifestRecord] = [:]
        func resolvedCreated(_ digest: String, visiting: Set<String>) -> Date? {
            guard let manifest = parsed[digest] else { return nil }
            guard !manifest.children.isEmpty else { return created[digest] ?? nil }
            return manifest.children.filter { !visiting.contains($0) }.compactMap { resolvedCreated($0, visiting: visiting.union([digest])) }.max()
        }
        for manifest in parsed.values {
            records[manifest.digest] = ManifestRecord(
                digest: manifest.digest, mediaType: manifest.mediaType, created: resolvedCreated(manifest.digest, visiting: []), size: manifest.size,
                blobs: manifest.blobs, children: manifest.children)
        }
        return RepositoryInventory(name: repository, tags: tags, manifests: records)
    }

    /// Fetches manifests by tag or digest concurrently; references that vanished meanwhile
    /// (404) are left out.
    private func fetchAll(_ references: [String], repository: String) async throws -> [(String, FetchedManifest)] {
        try await withThrowingTaskGroup(of: (String, FetchedManifest?).self) { group in
            for reference in references {
                group.addTask {
                    do {
                        return (reference, try await client.manifest(repository: repository, reference: reference))
                    } catch let error as RegistryError where error.code == .notFound {
                        return (reference, nil)
                    }
                }
            }
            var results: [(String, FetchedManifest)] = []
            for try await (reference, fetched) in group {
                if let fetched { results.append((reference, fetched)) }
            }
            return results
        }
    }

    private func parse(_ fetched: FetchedManifest, repository: String) throws -> Parsed {
        let url = "\(client.configuration.endpoint.baseURL)/v2/\(repository)/manifests/\(fetched.digest)"
        let (document, mediaType) = try ManifestDocument.parse(fetched.body, contentType: fetched.contentType, repository: repository, url: url)
        let config = document.config.map { BlobReference(digest: $0.digest, size: $0.size) }
        let layers = (document.layers ?? []).map { BlobReference(digest: $0.digest, size: $0.size) }
        return Parsed(
            digest: fetched.digest, mediaType: mediaType, size: Int64(fetched.body.count), config: config, blobs: (config.map { [$0] } ?? []) + layers,
            children: (document.manifests ?? []).map(\.digest))
    }

    /// `created` of each image manifest, by manifest digest; each config digest is fetched once.
    private func configTimes(of manifests: [Parsed], repository: String) async throws -> [String: Date?] {
        var manifestsByConfig: [String: [String]] = [:]
        for manifest in manifests {
            if let config = manifest.config { manifestsByConfig[config.digest, default: []].append(manifest.digest) }
        }
        return try await withThrowingTaskGroup(of: (String, Date?).self) { group in
            for configDigest in manifestsByConfig.keys {
                group.addTask {
                    (configDigest, try await configTimes.created(configDigest: configDigest, repository: repository, client: client))
                }
            }
            var result: [String: Date?] = [:]
            for try await (configDigest, created) in group {
                for digest in manifestsByConfig[configDigest] ?? [] { result[digest] = created }
            }
            return result
        }
    }
}
