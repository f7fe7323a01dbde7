import Foundation

extension RegistryV2Client {
    /// Uploads a blob monolithically (`POST` then `PUT ?digest=`) and returns its descriptor.
    @discardableResult
    public func uploadBlob(repository: String, data: Data) async throws -> BlobReference {
        let digest = Self.sha256Digest(data)
        let start = try await send(.POST, "/v2/\(repository)/blobs/uploads/", body: Data(), repository: repository)
        guard start.status == 202 else { throw statusError(start, "blob upload to \(repository)", repository: repository) }
        guard let location = start.headers.first(name: "Location"), let path = LinkHeader.pathAndQuery(location) else {
            throw RegistryError(code: .badResponse, message: "blob upload to \(repository) returned no Location", repository: repository, url: start.url)
        }
        let separator = path.contains("?") ? "&" : "?"
        let finish = try await send(
            .PUT, path + separator + "digest=" + digest, headers: [("Content-Type", "application/octet-stream")], body: data, repository: repository)
        guard finish.status == 201 else { throw statusError(finish, "blob upload to \(repository)", repository: repository) }
        return BlobReference(digest: digest, size: Int64(data.count))
    }

    /// Stores a manifest under a tag or its digest and returns its digest.
    @discardableResult
    public func putManifest(repository: String, reference: String, mediaType: String, body: Data) async throws -> String {
        let response = try await send(
            .PUT, "/v2/\(repository)/manifests/\(reference)", headers: [("Content-Type", mediaType)], body: body, repository: repository)
        guard response.status == 201 else { throw statusError(response, "manifest push to \(repository):\(reference)", repository: repository) }
        return response.headers.first(name: "Docker-Content-Digest") ?? Self.sha256Digest(body)
    }
}
