import Foundation

/// A manifest as the registry returned it: its digest, its media type and its exact bytes (the
/// digest is over these bytes, so they are kept as received).
public struct FetchedManifest: Sendable, Hashable {
    /// `sha256:…` from `Docker-Content-Digest`, or computed from the body.
    public var digest: String
    /// The response's `Content-Type`.
    public var contentType: String?
    /// The body.
    public var body: Data

    public init(digest: String, contentType: String?, body: Data) {
        self.digest = digest
        self.contentType = contentType
        self.body = body
    }
}

/// A blob's digest and size: what a manifest descriptor says about a layer or config, and what
/// the blob accounting adds up.
public struct BlobReference: Sendable, Hashable, Codable {
    /// `sha256:…`
    public var digest: String
    /// Bytes.
    public var size: Int64

    public init(digest: String, size: Int64) {
        self.digest = digest
        self.size = size
    }
}
