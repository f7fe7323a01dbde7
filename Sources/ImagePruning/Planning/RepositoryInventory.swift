import Foundation

/// One manifest of a repository as the planner sees it.
public struct ManifestRecord: Sendable, Hashable {
    /// `sha256:…`
    public var digest: String
    /// One of `ManifestMediaType.supported`.
    public var mediaType: String
    /// From the image config; for a list/index, its newest child's. Nil when unknown, which
    /// orders it oldest.
    public var created: Date?
    /// Bytes of the manifest itself (it is a blob in the registry's storage too).
    public var size: Int64
    /// Config and layers of an image; empty for a list/index.
    public var blobs: [BlobReference]
    /// Digests of the manifests a list/index contains; empty for an image.
    public var children: [String]

    public init(digest: String, mediaType: String, created: Date?, size: Int64, blobs: [BlobReference] = [], children: [String] = []) {
        self.digest = digest
        self.mediaType = mediaType
        self.created = created
        self.size = size
        self.blobs = blobs
        self.children = children
    }

    /// True for a manifest list or image index.
    public var isIndex: Bool { ManifestMediaType.isIndex(mediaType) || !children.isEmpty }

    /// Every blob a registry garbage collection keeps for this manifest: the manifest itself,
    /// its config and its layers.
    public var storedBlobs: [BlobReference] { [BlobReference(digest: digest, size: size)] + blobs }
}

/// What one repository holds: its tags and the manifests they reach (a Registry v2 API lists
/// no untagged manifests, so those are the tagged ones and the entries of tagged indexes).
public struct RepositoryInventory: Sendable, Hashable {
    /// `team/app`
    public var name: String
    /// Tag → digest.
    public var tags: [String: String]
    /// Digest → manifest.
    public var manifests: [String: ManifestRecord]

    public init(name: String, tags: [String: String], manifests: [String: ManifestRecord]) {
        self.name = name
        self.tags = tags
        self.manifests = manifests
    }

    /// Builds an inventory from manifests, keyed by digest.
    public init(name: String, tags: [String: String], manifests: [ManifestRecord]) {
        self.init(name: name, tags: tags, manifests: Dictionary(manifests.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first }))
    }
}
