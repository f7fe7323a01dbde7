import Foundation

/// Decodes `Decodable` values straight from a `JSONValue` tree (no bytes in between), with RFC 3339
/// dates, and optionally records which object members were read so that strict decoding can name
/// every member the type does not know — without encoding the value back.
struct JSONValueDecoder {
    /// Object members that were present and read, per object, for strict decoding.
    final class Usage {
        struct Entry {
            fileprivate var path: Path?
            var keys: [String]
            var used: Set<String>
        }
        var entries: [Entry] = []

        /// Dotted paths of members no decoder read.
        func unusedPaths() -> [String] {
            entries.flatMap { entry in
                guard entry.used.count < entry.keys.count else { return [String]() }
                let prefix = StrictJSON.path(Path.keys(entry.path))
                return entry.keys.filter { !entry.used.contains($0) }.map { prefix.isEmpty ? $0 : "\(prefix).\($0)" }
            }.sorted()
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from tree: JSONValue, usage: Usage? = nil) throws -> T {
        try Decoder(value: tree, path: nil, usage: usage).unbox(type)
    }

    /// A coding path as a chain from the leaf up, so descending costs one small allocation
    /// instead of copying an array; the array is built only when someone asks (errors).
    fileprivate final class Path {
        let parent: Path?
        let key: any CodingKey
        init(parent: Path?, key: any CodingKey) {
            self.parent = parent
            self.key = key
        }
        static func keys(_ path: Path?) -> [any CodingKey] {
            var keys: [any CodingKey] = []
            var node = path
            while let current = node {
                keys.append(current.key)
                node = current.parent
            }
            return keys.reversed()
        }
    }

    fileprivate struct Decoder: Swift.Decoder {
        let value: JSONValue
        let path: Path?
        let usage: Usage?
        var codingPath: [any CodingKey] { Path.keys(path) }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            guard case .object(let members) = value else {
                throw DecodingError.typeMismatch([String: JSONValue].self, .init(codingPath: codingPath, debugDescription: "expected an object"))
            }
            var entryIndex: Int?
            if let usage {
                usage.entries.append(.init(path: path, keys: Array(members.keys), used: []))
                entryIndex = usage.entries.count - 1
            }
            return KeyedDecodingContainer(KeyedContainer<Key>(members: members, path: path, usage: usage, entryIndex: entryIndex))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            guard case .array(let elements) = value else {
                throw DecodingError.typeMismatch([JSONValue].self, .init(codingPath: codingPath, debugDescription: "expected an array"))
            }
            return UnkeyedContainer(elements: elements, path: path, usage: usage)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func unbox<T: Decodable>(_ type: T.Type) throws -> T {
            // Primitives directly: going through `T(from:)` would box this decoder into an
            // existential single-value container for every string and number.
            if type == String.self { return try decode(String.self) as! T }
            if type == Int.self { return try decode(Int.self) as! T }
            if type == Int64.self { return try decode(Int64.self) as! T }
            if type == Bool.self { return try decode(Bool.self) as! T }
            if type == Double.self { return try decode(Double.self) as! T }
            if type == JSONValue.self { return value as! T }
            if type == Date.self {
                let text = try decode(String.self)
                guard let date = RFC3339.parse(text) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "invalid RFC 3339 time \"\(text)\""))
                }
                return date as! T
            }
            return try T(from: self)
        }
    }

    fileprivate struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let members: [String: JSONValue]
        let path: Path?
        let usage: Usage?
        let entryIndex: Int?
        var codingPath: [any CodingKey] { Path.keys(path) }

        var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

        private func member(_ key: Key) throws -> JSONValue {
            guard let value = members[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no value for \(key.stringValue)"))
            }
            if let usage, let entryIndex { usage.entries[entryIndex].used.insert(key.stringValue) }
            return value
        }

        private func decoder(for key: Key) throws -> Decoder {
            Decoder(value: try member(key), path: Path(parent: path, key: key), usage: usage)
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            guard members[key.stringValue] != nil else { return true }
            return try member(key).isNull
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder(for: key).unbox(type) }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder(for: key).decode(type) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder(for: key).decode(type) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder(for: key).decode(type) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder(for: key).decode(type) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder(for: key).decode(type) }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let value = members[key.stringValue] else { return nil }
            if let usage, let entryIndex { usage.entries[entryIndex].used.insert(key.stringValue) }
            if value.isNull {
                // Strict decoding takes an optional field as "absent or a value", never an explicit
                // null: `"acknowledgeDataLoss": null` is a client bug, not a "no".
                guard usage != nil, type != JSONValue.self else { return nil }
                let reported: Any.Type = (type as? any PrimitiveBox.Type)?.valueType ?? type
                throw DecodingError.valueNotFound(reported, .init(codingPath: Path.keys(Path(parent: path, key: key)), debugDescription: "null"))
            }
            return try Decoder(value: value, path: Path(parent: path, key: key), usage: usage).unbox(type)
        }

        // The standard library's defaults for these go through `decodeNil(forKey:)` and would
        // take an explicit null as absent; routed through the generic one, strict decoding
        // refuses it.
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeIfPresent(Box<Bool>.self, forKey: key)?.value }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeIfPresent(Box<String>.self, forKey: key)?.value }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeIfPresent(Box<Double>.self, forKey: key)?.value }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeIfPresent(Box<Int>.self, forKey: key)?.value }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeIfPresent(Box<Int64>.self, forKey: key)?.value }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try decoder(for: key).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try decoder(for: key).unkeyedContainer() }

        func superDecoder() throws -> any Swift.Decoder {
            Decoder(value: .object(members), path: path, usage: nil)
        }

        func superDecoder(forKey key: Key) throws -> any Swift.Decoder { try decoder(for: key) }
    }

    fileprivate struct UnkeyedContainer: UnkeyedDecodingContainer {
        let elements: [JSONValue]
        let path: Path?
        let usage: Usage?
        var currentIndex = 0
        var codingPath: [any CodingKey] { Path.keys(path) }

        init(elements: [JSONValue], path: Path?, usage: Usage?) {
            self.elements = elements
            self.path = path
            self.usage = usage
        }

        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }

        private mutating func next() throws -> Decoder {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(JSONValue.self, .init(codingPath: codingPath, debugDescription: "no more elements"))
            }
            let decoder = Decoder(value: elements[currentIndex], path: Path(parent: path, key: IndexKey(currentIndex)), usage: usage)
            currentIndex += 1
            return decoder
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd, elements[currentIndex].isNull else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().unbox(type) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try next().container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

        mutating func superDecoder() throws -> any Swift.Decoder { try next() }
    }
}

/// A primitive decoded through the generic `decodeIfPresent`, so the primitive overloads share
/// its null handling; the error names the primitive, not the box.
private protocol PrimitiveBox { static var valueType: Any.Type { get } }

private struct Box<Value: Decodable>: Decodable, PrimitiveBox {
    static var valueType: Any.Type { Value.self }
    let value: Value
    init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Value.self) }
}

/// An array position in a coding path.
struct IndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String
    init(_ index: Int) {
        intValue = index
        stringValue = "Index \(index)"
    }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.init(intValue) }
}

extension JSONValueDecoder.Decoder: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNull }

    private func mismatch<T>(_ type: T.Type, _ expected: String) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "expected \(expected)"))
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let value) = value else { throw mismatch(type, "a boolean") }
        return value
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let value) = value else { throw mismatch(type, "a string") }
        return value
    }

    func decode(_ type: Double.Type) throws -> Double {
        guard let number = value.doubleValue else { throw mismatch(type, "a number") }
        return number
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard let number = value.intValue else { throw mismatch(type, "an integer") }
        guard let exact = T(exactly: number) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "\(number) does not fit in \(type)"))
        }
        return exact
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unbox(type) }
}
