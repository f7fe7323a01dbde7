/// The blobs a registry garbage collection would reclaim after some manifests are deleted:
/// those held by a deleted manifest and by no remaining one, in any repository (storage is
/// shared by digest across repositories).
///
/// Only manifests the pruner can see count as remaining; untagged manifests that the Registry v2
/// API does not list may still hold some of these blobs.
public struct BlobAccounting: Sendable, Hashable, Codable {
    /// Distinct blobs no remaining manifest refers to (manifests, configs, layers).
    public var unreferencedBlobs: Int
    /// Their bytes.
    public var reclaimableBytes: Int64

    public init(unreferencedBlobs: Int = 0, reclaimableBytes: Int64 = 0) {
        self.unreferencedBlobs = unreferencedBlobs
        self.reclaimableBytes = reclaimableBytes
    }

    /// Accounts for deleting `deleted` (repository → digests) from `inventory`.
    public static func after(deleting deleted: [String: Set<String>], from inventory: [RepositoryInventory]) -> BlobAccounting {
        var remaining: Set<String> = []
        var released: [String: Int64] = [:]
        for repository in inventory {
            let gone = deleted[repository.name] ?? []
            for manifest in repository.manifests.values {
                if gone.contains(manifest.digest) {
                    for blob in manifest.storedBlobs { released[blob.digest] = blob.size }
                } else {
                    for blob in manifest.storedBlobs { remaining.insert(blob.digest) }
                }
            }
        }
        var result = BlobAccounting()
        for (digest, size) in released where !remaining.contains(digest) {
            result.unreferencedBlobs += 1
            result.reclaimableBytes += size
        }
        return result
    }
}
