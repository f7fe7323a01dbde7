import Foundation

/// Where a prune learns which images are in use: the cluster (`ImageReferenceCollector`), a
/// file, or nowhere. The CLI picks one; everything after is the same.
public protocol ImageReferenceProvider: Sendable {
    /// Every image string in use, with where it was found.
    func imageReferences() async throws -> [ImageReferenceOccurrence]
}

/// References from a JSON file holding an array of image strings, for runs outside a cluster.
public struct ReferencesFile: ImageReferenceProvider {
    /// The file's path.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func imageReferences() async throws -> [ImageReferenceOccurrence] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw RegistryError(code: .configuration, message: "--references-file: cannot read \(path): \(error.localizedDescription)")
        }
        guard let images = try? JSONDecoder().decode([String].self, from: data) else {
            throw RegistryError(code: .configuration, message: "--references-file: \(path) is not a JSON array of image reference strings")
        }
        return images.enumerated().map { ImageReferenceOccurrence(image: $1, source: "\(path)[\($0)]") }
    }
}

/// No references at all: every image is judged by age and revision only.
public struct NoImageReferences: ImageReferenceProvider {
    public init() {}

    public func imageReferences() async throws -> [ImageReferenceOccurrence] { [] }
}
