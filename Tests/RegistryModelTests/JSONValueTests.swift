import FleetModel
import Foundation
import RegistryModel
import Testing

/// `JSONValue` must carry any JSON document through decode and encode without changing it.
@Suite struct JSONValueTests {
    /// A JSON text and the tree it must decode to.
    struct RoundTrip: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        let value: JSONValue
        var testDescription: String { name }
    }

    private static let roundTripCases: [RoundTrip] = [
        RoundTrip(name: "integer", json: "7", value: .int(7)),
        RoundTrip(name: "negative integer", json: "-3", value: .int(-3)),
        RoundTrip(name: "integer beyond double precision", json: "9007199254740993", value: .int(9_007_199_254_740_993)),
        RoundTrip(name: "largest Int64", json: "9223372036854775807", value: .int(Int64.max)),
        RoundTrip(name: "fraction", json: "1.5", value: .double(1.5)),
        RoundTrip(name: "negative fraction", json: "-0.25", value: .double(-0.25)),
        RoundTrip(name: "huge exponent", json: "1e300", value: .double(1e300)),
        RoundTrip(name: "true", json: "true", value: .bool(true)),
        RoundTrip(name: "false", json: "false", value: .bool(false)),
        RoundTrip(name: "null", json: "null", value: .null),
        RoundTrip(name: "string with escapes", json: #""a\"b\\c\n é/""#, value: .string("a\"b\\c\n é/")),
        RoundTrip(name: "numeric string stays a string", json: #""1""#, value: .string("1")),
        RoundTrip(name: "mixed array", json: #"[1, 2.5, "x", true, null, [], {}]"#, value: [1, 2.5, "x", true, nil, [], [:]]),
        RoundTrip(
            name: "nested object", json: #"{"spec": {"replicas": 2, "ratio": 0.5, "tags": ["a"], "on": false, "gone": null}}"#,
            value: ["spec": ["replicas": 2, "ratio": 0.5, "tags": ["a"], "on": false, "gone": nil]]),
    ]

    /// Decoding gives the expected tree (ints stay ints, fractions stay doubles) and re-encoding
    /// gives it back unchanged.
    @Test(arguments: roundTripCases)
    func roundTrips(_ testCase: RoundTrip) throws {
        let decoded = try JSONCoding.decode(JSONValue.self, from: Fixtures.data(testCase.json))
        #expect(decoded == testCase.value)
        let again = try JSONCoding.decode(JSONValue.self, from: JSONCoding.encode(decoded))
        #expect(again == testCase.value)
    }

    /// An integral double may come back as an integer, but always as the same number.
    @Test func integralDoubleKeepsItsValue() throws {
        let again = try JSONCoding.decode(JSONValue.self, from: JSONCoding.encode(JSONValue.double(2.0)))
        #expect(again.semanticallyEquals(.double(2.0)))
        #expect(again.intValue == 2)
    }

    /// The typed accessors answer only for their own kind (numbers for both number kinds).
    @Test func accessors() {
        let object: JSONValue = ["a": 1]
        #expect(object.objectValue == ["a": .int(1)])
        #expect(JSONValue.array([1]).arrayValue == [.int(1)])
        #expect(JSONValue.string("s").stringValue == "s")
        #expect(JSONValue.bool(true).boolValue == true)
        #expect(JSONValue.int(3).intValue == 3)
        #expect(JSONValue.double(3.0).intValue == 3)
        #expect(JSONValue.double(3.5).intValue == nil)
        #expect(JSONValue.double(1e300).intValue == nil)
        #expect(JSONValue.int(3).doubleValue == 3.0)
        #expect(JSONValue.string("3").intValue == nil)
        #expect(JSONValue.int(1).stringValue == nil)
        #expect(object.arrayValue == nil)
        #expect(JSONValue.null.isNull)
        #expect(!JSONValue.int(0).isNull)
    }

    /// Member and path subscripts read nil for missing steps and create objects on write.
    @Test func subscripts() {
        var value: JSONValue = ["spec": ["replicas": 1]]
        #expect(value["spec"]?["replicas"] == 1)
        #expect(value["status"] == nil)
        #expect(value[path: ["spec", "replicas"]] == 1)
        #expect(value[path: ["spec", "missing", "deeper"]] == nil)
        value[path: ["spec", "storage", "pvc", "claim"]] = "c"
        #expect(value == ["spec": ["replicas": 1, "storage": ["pvc": ["claim": "c"]]]])
        value[path: ["spec", "replicas"]] = nil
        #expect(value == ["spec": ["storage": ["pvc": ["claim": "c"]]]])
        var scalar: JSONValue = 5
        scalar["key"] = "v"
        #expect(scalar == ["key": "v"])
    }

    /// Two trees and whether they are the same JSON document.
    struct Equality: Sendable, CustomTestStringConvertible {
        let name: String
        let lhs: JSONValue
        let rhs: JSONValue
        let equal: Bool
        var testDescription: String { name }
    }

    private static let equalities: [Equality] = [
        Equality(name: "1 and 1.0", lhs: 1, rhs: 1.0, equal: true),
        Equality(name: "1.0 and 1", lhs: 1.0, rhs: 1, equal: true),
        Equality(name: "1 and 1.5", lhs: 1, rhs: 1.5, equal: false),
        Equality(name: "numbers in arrays", lhs: [1, 2], rhs: [1.0, 2.0], equal: true),
        Equality(name: "numbers in objects", lhs: ["a": 1], rhs: ["a": 1.0], equal: true),
        Equality(name: "extra member", lhs: ["a": 1], rhs: ["a": 1, "b": 2], equal: false),
        Equality(name: "different member", lhs: ["a": 1], rhs: ["b": 1], equal: false),
        Equality(name: "array length", lhs: [1], rhs: [1, 1], equal: false),
        Equality(name: "number and string", lhs: 1, rhs: "1", equal: false),
        Equality(name: "bool and number", lhs: true, rhs: 1, equal: false),
        Equality(name: "null and null", lhs: nil, rhs: nil, equal: true),
    ]

    /// `semanticallyEquals` compares numbers by value, everything else exactly.
    @Test(arguments: equalities)
    func semanticEquality(_ testCase: Equality) {
        #expect(testCase.lhs.semanticallyEquals(testCase.rhs) == testCase.equal)
    }

    /// Codable values convert to trees and back through the shared coders.
    @Test func treeConversion() throws {
        let policy = FleetPolicy(registry: RegistryPolicy(managementState: .removed, replicas: 2))
        let tree = try JSONCoding.tree(policy)
        #expect(tree == ["registry": ["managementState": "Removed", "replicas": 2]])
        #expect(try JSONCoding.value(FleetPolicy.self, from: tree) == policy)
    }

    /// The shared encoder sorts keys and leaves slashes unescaped, so output is stable.
    @Test func encoderOutputIsStable() throws {
        let text = String(decoding: try JSONCoding.encode(["b": "x/y", "a": 1] as JSONValue), as: UTF8.self)
        #expect(text == #"{"a":1,"b":"x/y"}"#)
    }
}
