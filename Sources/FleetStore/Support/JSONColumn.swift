import Foundation
import RegistryModel

/// Encodes and decodes JSON columns with the wire encoding (`JSONCoding`), so a stored row reads
/// exactly like the API body it came from.
enum JSONColumn {
    /// The value as JSON text.
    static func text<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONCoding.encode(value), as: UTF8.self)
    }

    /// The value stored in a JSON column.
    static func value<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONCoding.decode(type, from: Data(text.utf8))
    }

    /// The value as JSON text, a failure being the store's `database` error about `what`.
    static func encoded<T: Encodable>(_ value: T, _ what: String) throws(StoreError) -> String {
        do {
            return try text(value)
        } catch {
            throw StoreError.database("encode \(what)", error)
        }
    }
}
