import Foundation
import OpenAPIRuntime
import RegistryModel

extension Configuration {
    /// The hub API's JSON, for the server and the client alike: RFC 3339 dates and sorted keys, as
    /// `JSONCoding` writes them.
    public static let hubAPI = Configuration(dateTranscoder: RFC3339Transcoder(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])
}

/// RFC 3339 with or without fractional seconds, as `JSONCoding` reads and writes dates.
struct RFC3339Transcoder: DateTranscoder {
    struct InvalidTime: Error, CustomStringConvertible {
        var text: String
        var description: String { "invalid RFC 3339 time \"\(text)\"" }
    }

    func encode(_ date: Date) throws -> String { RFC3339.format(date) }

    func decode(_ text: String) throws -> Date {
        guard let date = RFC3339.parse(text) else { throw InvalidTime(text: text) }
        return date
    }
}
