import Foundation

/// The parts of a manifest body the pruner needs: config and layers of an image, or the entries
/// of a list/index.
struct ManifestDocument: Decodable {
    /// A content descriptor (`mediaType`, `digest`, `size`).
    struct Descriptor: Decodable {
        var mediaType: String?
        var digest: String
        var size: Int64
    }

    var schemaVersion: Int?
    var mediaType: String?
    var config: Descriptor?
    var layers: [Descriptor]?
    var manifests: [Descriptor]?

    /// Decodes a body and settles its media type from the response's `Content-Type`, the body's
    /// own `mediaType`, or its shape (OCI bodies may omit `mediaType`).
    static func parse(_ body: Data, contentType: String?, repository: String, url: String) throws(RegistryError) -> (ManifestDocument, String) {
        let document: ManifestDocument
        do {
            document = try JSONDecoder().decode(ManifestDocument.self, from: body)
        } catch {
            throw RegistryError(code: .badResponse, message: "manifest in \(repository) is not valid: \(error)", repository: repository, url: url)
        }
        guard document.schemaVersion == 2 else {
            throw RegistryError(
                code: .unsupportedMediaType, message: "unsupported manifest schema version \(document.schemaVersion ?? 0) in \(repository)",
                repository: repository, url: url)
        }
        let headerType = contentType.map(Self.baseType).flatMap { ManifestMediaType.supported.contains($0) ? $0 : nil }
        let shapeType = document.manifests != nil ? ManifestMediaType.ociIndex : (document.config != nil ? ManifestMediaType.ociManifest : nil)
        guard let mediaType = headerType ?? document.mediaType ?? shapeType, ManifestMediaType.supported.contains(mediaType) else {
            throw RegistryError(
                code: .unsupportedMediaType, message: "unsupported manifest type \(document.mediaType ?? contentType ?? "unknown") in \(repository)",
                repository: repository, url: url)
        }
        return (document, mediaType)
    }

    /// `application/json; charset=utf-8` → `application/json`.
    static func baseType(_ contentType: String) -> String {
        contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }
}
