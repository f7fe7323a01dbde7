import Foundation

extension RegistryV2Client {
    /// Checks that the registry speaks Registry v2 and accepts the credentials (`GET /v2/`).
    public func ping() async throws {
        let response = try await send(.GET, "/v2/")
        guard response.status == 200 else { throw statusError(response, "ping of registry \(configuration.endpoint)", repository: nil) }
    }

    /// Every repository name, following the catalog's `Link` pagination.
    public func catalog() async throws -> [String] {
        struct Page: Decodable { var repositories: [String]? }
        var names: [String] = []
        var path: String? = "/v2/_catalog?n=\(configuration.pageSize)"
        while let current = path {
            let response = try await send(.GET, current)
            guard response.status == 200 else { throw statusError(response, "catalog listing", repository: nil) }
            names += try decode(Page.self, response, repository: nil).repositories ?? []
            path = LinkHeader.nextPath(response.headers["Link"])
        }
        return names
    }

    /// Every tag of a repository, following `Link` pagination (distribution 2.8 returns all tags
    /// in one page and ignores `n`; 3.x paginates). An empty repository has no tags.
    public func tags(repository: String) async throws -> [String] {
        struct Page: Decodable { var tags: [String]? }
        var tags: [String] = []
        var path: String? = "/v2/\(repository)/tags/list?n=\(configuration.pageSize)"
        while let current = path {
            let response = try await send(.GET, current, repository: repository)
            guard response.status == 200 else { throw statusError(response, "tag listing of \(repository)", repository: repository) }
            tags += try decode(Page.self, response, repository: repository).tags ?? []
            path = LinkHeader.nextPath(response.headers["Link"])
        }
        return tags
    }

    /// A manifest by tag or digest, exactly as stored. A digest reference is verified against
    /// the body.
    public func manifest(repository: String, reference: String) async throws -> FetchedManifest {
        let response = try await send(
            .GET, "/v2/\(repository)/manifests/\(reference)", headers: [("Accept", ManifestMediaType.acceptHeader)], repository: repository,
            maxBodyBytes: Self.maxManifestBytes)
        guard response.status == 200 else { throw statusError(response, "manifest \(repository):\(reference)", repository: repository) }
        let computed = Self.sha256Digest(response.body)
        if reference.hasPrefix("sha256:"), computed != reference {
            throw RegistryError(
                code: .badResponse, message: "manifest \(repository)@\(reference) has digest \(computed)", repository: repository, url: response.url)
        }
        let digest = response.headers.first(name: "Docker-Content-Digest") ?? computed
        return FetchedManifest(digest: digest, contentType: response.headers.first(name: "Content-Type"), body: response.body)
    }

    /// The digest a tag points at now (`HEAD`), or nil when the tag no longer exists.
    public func manifestDigest(repository: String, reference: String) async throws -> String? {
        let response = try await send(
            .HEAD, "/v2/\(repository)/manifests/\(reference)", headers: [("Accept", ManifestMediaType.acceptHeader)], repository: repository)
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw statusError(response, "manifest \(repository):\(reference)", repository: repository) }
        guard let digest = response.headers.first(name: "Docker-Content-Digest") else {
            throw RegistryError(
                code: .badResponse, message: "HEAD of \(repository):\(reference) returned no Docker-Content-Digest", repository: repository, url: response.url)
        }
        return digest
    }

    /// A blob's bytes (used for image configs, which carry the `created` time).
    public func blob(repository: String, digest: String) async throws -> Data {
        let response = try await send(.GET, "/v2/\(repository)/blobs/\(digest)", repository: repository)
        guard response.status == 200 else { throw statusError(response, "blob \(repository)@\(digest)", repository: repository) }
        return response.body
    }

    /// Deletes a manifest by digest; true when it was deleted, false when it was already gone.
    ///
    /// Observed with distribution 2.8 (see `RegistryV2ClientTests`): the DELETE (202) also
    /// removes every tag that pointed at the manifest, a second DELETE is 404
    /// `MANIFEST_UNKNOWN`, a DELETE by tag is refused (400 `DIGEST_INVALID`), and a repository
    /// whose last manifest is deleted stays in the catalog with no tags. Blobs stay on disk until
    /// the registry's garbage collection runs.
    @discardableResult
    public func deleteManifest(repository: String, digest: String) async throws -> Bool {
        let response = try await send(.DELETE, "/v2/\(repository)/manifests/\(digest)", repository: repository)
        switch response.status {
        case 200, 202: return true
        case 404: return false
        default: throw statusError(response, "delete of \(repository)@\(digest)", repository: repository)
        }
    }
}
