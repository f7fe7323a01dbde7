import KubeClient
import RegistryModel

/// The registry CRDs (`Config`, `ImagePruner`) are validated by decoding them as the RegistryModel
/// types and running their `validate()`, so the simulated server refuses exactly what the model does.
enum RegistryCRDValidation {
    /// Causes for a Config.
    static func config(_ object: KubeObject) -> [KubeError.Cause] {
        causes(object) { tree throws(ValidationErrors) in
            let config = try decode(Config.self, tree)
            try config.validate()
        }
    }

    /// Causes for an ImagePruner.
    static func imagePruner(_ object: KubeObject) -> [KubeError.Cause] {
        causes(object) { tree throws(ValidationErrors) in
            let pruner = try decode(ImagePruner.self, tree)
            try pruner.validate()
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ tree: JSONValue) throws(ValidationErrors) -> T {
        do {
            return try JSONCoding.value(type, from: tree)
        } catch let error as DecodingError {
            throw ValidationErrors([StrictJSON.fieldError(from: error)])
        } catch {
            throw ValidationErrors([FieldError(path: "", message: "\(error)")])
        }
    }

    /// Metadata problems are reported by the generic checks, so model errors on `metadata.*` are skipped.
    private static func causes(_ object: KubeObject, _ check: (JSONValue) throws(ValidationErrors) -> Void) -> [KubeError.Cause] {
        do {
            try check(object.objectTree)
            return []
        } catch {
            return error.errors.filter { !$0.path.hasPrefix("metadata") }.map(FieldCause.from)
        }
    }
}
