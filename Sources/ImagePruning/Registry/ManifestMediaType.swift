/// The manifest formats the pruner reads: Docker schema 2 images and manifest lists, OCI images
/// and indexes. Schema 1 is refused rather than guessed at, because deleting something whose
/// layers we cannot see would make the blob accounting wrong.
public enum ManifestMediaType {
    /// A Docker schema 2 image manifest.
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    /// A Docker manifest list (multi-arch image).
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    /// An OCI image manifest.
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    /// An OCI image index (multi-arch image).
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    /// The config blob media type of a Docker image.
    public static let dockerImageConfig = "application/vnd.docker.container.image.v1+json"
    /// The config blob media type of an OCI image.
    public static let ociImageConfig = "application/vnd.oci.image.config.v1+json"
    /// A gzip-compressed Docker layer.
    public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    /// A gzip-compressed OCI layer.
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar+gzip"

    /// Every manifest type the pruner understands, most specific first.
    public static let supported = [dockerManifest, dockerManifestList, ociManifest, ociIndex]

    /// The `Accept` header for manifest requests, so the registry returns each manifest as stored.
    static let acceptHeader = supported.joined(separator: ", ")

    /// True for manifest lists and indexes, whose entries are other manifests.
    public static func isIndex(_ mediaType: String) -> Bool {
        mediaType == dockerManifestList || mediaType == ociIndex
    }
}
