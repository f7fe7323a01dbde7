import Foundation
import RegistryModel
import Synchronization

/// Pushes small, valid images through the Registry v2 API: a config with a chosen `created`
/// time and some layers, or a multi-arch index over such images. Layer blobs are uploaded once
/// per repository and then reused, as a real build cache would.
public final class SyntheticImagePusher: Sendable {
    /// An image pushed: its manifest digest and what it holds.
    public struct PushedImage: Sendable, Hashable {
        public var digest: String
        public var mediaType: String
        public var manifestSize: Int64
        public var config: BlobReference?
        public var layers: [BlobReference]
    }

    private let client: RegistryV2Client
    private let uploaded = Mutex<Set<String>>([])

    public init(client: RegistryV2Client) {
        self.client = client
    }

    /// Pushes an image whose config says `created`; `name` makes its config unique even when two
    /// images share a time. Tagged with `tag`, or stored by digest only when nil.
    @discardableResult
    public func pushImage(
        repository: String, tag: String?, created: Date, name: String, layers: [Data], architecture: String = "amd64",
        oci: Bool = false
    ) async throws -> PushedImage {
        var layerReferences: [BlobReference] = []
        for layer in layers {
            let digest = RegistryV2Client.sha256Digest(layer)
            if uploaded.withLock({ $0.contains(repository + "@" + digest) }) {
                layerReferences.append(BlobReference(digest: digest, size: Int64(layer.count)))
            } else {
                layerReferences.append(try await client.uploadBlob(repository: repository, data: layer))
                _ = uploaded.withLock { $0.insert(repository + "@" + digest) }
            }
        }
        let config: [String: Any] = [
            "architecture": architecture, "os": "linux", "created": RFC3339.format(created),
            "config": ["Labels": ["regfleet.synthetic": name]],
            "rootfs": ["type": "layers", "diff_ids": layerReferences.map(\.digest)],
        ]
        let configBody = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys])
        let configReference = try await client.uploadBlob(repository: repository, data: configBody)
        let mediaType = oci ? ManifestMediaType.ociManifest : ManifestMediaType.dockerManifest
        let manifest: [String: Any] = [
            "schemaVersion": 2, "mediaType": mediaType,
            "config": [
                "mediaType": oci ? ManifestMediaType.ociImageConfig : ManifestMediaType.dockerImageConfig, "size": configReference.size,
                "digest": configReference.digest,
            ],
            "layers": layerReferences.map {
                ["mediaType": oci ? ManifestMediaType.ociLayer : ManifestMediaType.dockerLayer, "size": $0.size, "digest": $0.digest] as [String: Any]
            },
        ]
        let body = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys])
        let digest = try await client.putManifest(
            repository: repository, reference: tag ?? RegistryV2Client.sha256Digest(body), mediaType: mediaType, body: body)
        return PushedImage(digest: digest, mediaType: mediaType, manifestSize: Int64(body.count), config: configReference, layers: layerReferences)
    }

    /// Pushes a manifest list (or OCI index) over images already in the repository.
    @discardableResult
    public func pushIndex(repository: String, tag: String?, images: [PushedImage], oci: Bool = false) async throws -> PushedImage {
        let mediaType = oci ? ManifestMediaType.ociIndex : ManifestMediaType.dockerManifestList
        let index: [String: Any] = [
            "schemaVersion": 2, "mediaType": mediaType,
            "manifests": images.enumerated().map { position, image in
                [
                    "mediaType": image.mediaType, "size": image.manifestSize, "digest": image.digest,
                    "platform": ["architecture": "arch\(position)", "os": "linux"],
                ] as [String: Any]
            },
        ]
        let body = try JSONSerialization.data(withJSONObject: index, options: [.sortedKeys])
        let digest = try await client.putManifest(
            repository: repository, reference: tag ?? RegistryV2Client.sha256Digest(body), mediaType: mediaType, body: body)
        return PushedImage(digest: digest, mediaType: mediaType, manifestSize: Int64(body.count), config: nil, layers: [])
    }

    /// Points `tag` at an existing manifest (what `docker tag` + `docker push` does).
    public func tag(repository: String, tag: String, digest: String) async throws {
        let manifest = try await client.manifest(repository: repository, reference: digest)
        let mediaType = manifest.contentType.map(ManifestDocument.baseType) ?? ManifestMediaType.dockerManifest
        try await client.putManifest(repository: repository, reference: tag, mediaType: mediaType, body: manifest.body)
    }
}
