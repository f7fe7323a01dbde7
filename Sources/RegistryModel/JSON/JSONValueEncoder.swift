import Foundation

/// Encodes `Encodable` values straight into a `JSONValue` tree (no bytes in between), with RFC 3339
/// dates — what converting typed Kubernetes objects and policies to trees needs, many times per
/// reconcile.
struct JSONValueEncoder {
    static func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        if let tree = value as? JSONValue { return tree }
        if let date = value as? Date { return .string(RFC3339.format(date)) }
        let root = Node()
        try box(value, into: root, codingPath: [])
        return root.resolved
    }

    /// A slot in the tree being built; containers fill it in as values are encoded.
    fileprivate final class Node {
        var value: JSONValue?
        var members: [String: Node]?
        var elements: [Node]?

        /// The finished value.
        var resolved: JSONValue {
            if let members { return .object(members.compactMapValues { $0.resolvedIfSet }) }
            if let elements { return .array(elements.map(\.resolved)) }
            return value ?? .null
        }

        var resolvedIfSet: JSONValue? {
            if members != nil || elements != nil || value != nil { return resolved }
            return nil
        }
    }

    fileprivate struct Encoder: Swift.Encoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if node.members == nil { node.members = [:] }
            return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if node.elements == nil { node.elements = [] }
            return UnkeyedContainer(node: node, codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { SingleValue(node: node, codingPath: codingPath) }
    }

    /// Encodes a value into a node, handling dates and trees directly.
    fileprivate static func box<T: Encodable>(_ value: T, into node: Node, codingPath: [any CodingKey]) throws {
        if let tree = value as? JSONValue {
            node.value = tree
        } else if let date = value as? Date {
            node.value = .string(RFC3339.format(date))
        } else {
            try value.encode(to: Encoder(node: node, codingPath: codingPath))
            if node.members == nil, node.elements == nil, node.value == nil { node.members = [:] }
        }
    }

    fileprivate struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        let codingPath: [any CodingKey]

        private func child(_ key: Key) -> Node {
            let child = Node()
            node.members![key.stringValue] = child
            return child
        }

        mutating func encodeNil(forKey key: Key) throws { child(key).value = .null }
        mutating func encode(_ value: Bool, forKey key: Key) throws { child(key).value = .bool(value) }
        mutating func encode(_ value: String, forKey key: Key) throws { child(key).value = .string(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { child(key).value = .double(value) }
        mutating func encode(_ value: Int, forKey key: Key) throws { child(key).value = .int(Int64(value)) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { child(key).value = .int(value) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try JSONValueEncoder.box(value, into: child(key), codingPath: codingPath + [key])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            Encoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            Encoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> any Swift.Encoder { Encoder(node: node, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Swift.Encoder { Encoder(node: child(key), codingPath: codingPath + [key]) }
    }

    fileprivate struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]
        var count: Int { node.elements?.count ?? 0 }

        private func append() -> Node {
            let child = Node()
            node.elements!.append(child)
            return child
        }

        mutating func encodeNil() throws { append().value = .null }
        mutating func encode(_ value: Bool) throws { append().value = .bool(value) }
        mutating func encode(_ value: String) throws { append().value = .string(value) }
        mutating func encode(_ value: Double) throws { append().value = .double(value) }
        mutating func encode(_ value: Int) throws { append().value = .int(Int64(value)) }
        mutating func encode(_ value: Int64) throws { append().value = .int(value) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try JSONValueEncoder.box(value, into: append(), codingPath: codingPath + [IndexKey(count)])
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            Encoder(node: append(), codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            Encoder(node: append(), codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> any Swift.Encoder { Encoder(node: append(), codingPath: codingPath) }
    }

    fileprivate struct SingleValue: SingleValueEncodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.value = .null }
        mutating func encode(_ value: Bool) throws { node.value = .bool(value) }
        mutating func encode(_ value: String) throws { node.value = .string(value) }
        mutating func encode(_ value: Double) throws { node.value = .double(value) }
        mutating func encode(_ value: Float) throws { node.value = .double(Double(value)) }
        mutating func encode(_ value: Int) throws { node.value = .int(Int64(value)) }
        mutating func encode(_ value: Int8) throws { node.value = .int(Int64(value)) }
        mutating func encode(_ value: Int16) throws { node.value = .int(Int64(value)) }
        mutating func encode(_ value: Int32) throws { node.value = .int(Int64(value)) }
        mutating func encode(_ value: Int64) throws { node.value = .int(value) }
        mutating func encode(_ value: UInt) throws { node.value = Int64(exactly: value).map { .int($0) } ?? .double(Double(value)) }
        mutating func encode(_ value: UInt8) throws { node.value = .int(Int64(value)) }
        mutating func encode(_ value: UInt16) throws { node.value = .int(Int64(value)) }
        mutating func encode(_ value: UInt32) throws { node.value = .int(Int64(value)) }
        mutating func encode(_ value: UInt64) throws { node.value = Int64(exactly: value).map { .int($0) } ?? .double(Double(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { try JSONValueEncoder.box(value, into: node, codingPath: codingPath) }
    }
}
