import Foundation

/// The JSON encoders and decoders every module uses, so that dates and key order are the same on
/// the hub, the agent and the Kubernetes side.
public enum JSONCoding {
    /// Encodes with sorted keys and RFC 3339 dates (what Kubernetes and the hub API use).
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date))
        }
        return encoder
    }

    /// Decodes RFC 3339 dates with or without fractional seconds.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid RFC 3339 time \"\(text)\"")
            }
            return date
        }
        return decoder
    }

    /// Encodes a value to bytes.
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) throws -> Data {
        try encoder(pretty: pretty).encode(value)
    }

    /// Decodes a value from bytes.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if type == JSONValue.self {
            return try JSONValue.parse(data) as! T
        }
        return try decoder().decode(type, from: data)
    }

    /// Converts a Codable value to a JSON tree, without bytes in between.
    public static func tree<T: Encodable>(_ value: T) throws -> JSONValue {
        try JSONValueEncoder.encode(value)
    }

    /// Converts a JSON tree to a Codable value, without bytes in between.
    public static func value<T: Decodable>(_ type: T.Type, from tree: JSONValue) throws -> T {
        try JSONValueDecoder.decode(type, from: tree)
    }
}

/// RFC 3339 timestamps as Kubernetes writes them (`2026-11-26T06:45:50Z`).
public enum RFC3339 {
    private static let plain: Date.ISO8601FormatStyle = .iso8601
    private static let fractional: Date.ISO8601FormatStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Formats with whole seconds when the date has none, else with milliseconds.
    public static func format(_ date: Date) -> String {
        let whole = date.timeIntervalSince1970.rounded(.down) == date.timeIntervalSince1970
        return whole ? date.formatted(plain) : date.formatted(fractional)
    }

    /// Parses with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        (try? plain.parse(text)) ?? (try? fractional.parse(text))
    }
}
