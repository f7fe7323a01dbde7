import Foundation

extension JSONValue {
    /// Parses JSON bytes into a tree.
    ///
    /// Decoding a tree through `Decodable` has to try each JSON type in turn and every miss throws,
    /// which made tree conversion dominate the operator's and the simulator's CPU time; the parser
    /// knows each value's type while it parses.
    public static func parse(_ data: Data) throws -> JSONValue {
        do {
            return try JSONValueParser.parse(data)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description))
        }
    }
}
