import Foundation

extension JSONValue {
    /// Parses JSON bytes into a tree.
    ///
    /// Decoding a tree through `Decodable` has to try each JSON type in turn and every miss throws,
    /// which made tree conversion dominate the operator's and the simulator's CPU time;
    /// `JSONSerialization` knows each value's type while it parses.
    public static func parse(_ data: Data) throws -> JSONValue {
        try JSONValue(foundationObject: JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    /// Converts the object graph `JSONSerialization` produces.
    init(foundationObject object: Any) throws {
        switch object {
        case let string as String:
            self = .string(string)
        case let number as NSNumber:
            // Booleans arrive as NSNumber with Objective-C type "c"; integers as "i"/"q"/"l"/"s";
            // everything else is a double.
            switch String(cString: number.objCType) {
            case "c", "B": self = .bool(number.boolValue)
            case "d", "f": self = number.doubleValue.rounded() == number.doubleValue && abs(number.doubleValue) < 9.2e18
                ? .int(number.int64Value) : .double(number.doubleValue)
            default: self = .int(number.int64Value)
            }
        case let array as [Any]:
            self = .array(try array.map { try JSONValue(foundationObject: $0) })
        case let dictionary as [String: Any]:
            self = .object(try dictionary.mapValues { try JSONValue(foundationObject: $0) })
        case is NSNull:
            self = .null
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unsupported JSON value \(type(of: object))"))
        }
    }
}
