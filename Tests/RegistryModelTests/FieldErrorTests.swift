import RegistryModel
import Testing

/// Field errors must keep their paths readable when validators nest them.
@Suite struct FieldErrorTests {
    /// A path, a prefix and the combined path.
    struct Prefix: Sendable, CustomTestStringConvertible {
        let path: String
        let prefix: String
        let expected: String
        var testDescription: String { "\(prefix) + \(path)" }
    }

    private static let prefixCases: [Prefix] = [
        Prefix(path: "replicas", prefix: "spec", expected: "spec.replicas"),
        Prefix(path: "", prefix: "spec.storage", expected: "spec.storage"),
        Prefix(path: "[0].key", prefix: "spec.tolerations", expected: "spec.tolerations[0].key"),
        Prefix(path: "replicas", prefix: "", expected: "replicas"),
    ]

    /// `prefixed` joins with a dot, except before an index or when either side is empty.
    @Test(arguments: prefixCases)
    func prefixed(_ testCase: Prefix) {
        let error = FieldError(path: testCase.path, message: "m").prefixed(testCase.prefix)
        #expect(error == FieldError(path: testCase.expected, message: "m"))
    }

    /// Descriptions put the path first; a document-level error is just its message.
    @Test func descriptions() {
        #expect(FieldError(path: "spec.replicas", message: "bad").description == "spec.replicas: bad")
        #expect(FieldError(path: "", message: "malformed JSON").description == "malformed JSON")
        let errors = ValidationErrors([FieldError(path: "a", message: "x"), FieldError(path: "b", message: "y")])
        #expect(errors.description == "a: x; b: y")
        #expect(errors.firstPath == "a")
        #expect(ValidationErrors([]).firstPath == nil)
        #expect(errors.prefixed("spec").errors.map(\.path) == ["spec.a", "spec.b"])
    }

    /// The collector keeps every problem in order and throws only when it has one.
    @Test func collector() throws {
        var collector = FieldErrorCollector()
        try collector.check()
        collector.add("a", "x")
        collector.merge([FieldError(path: "b", message: "y"), FieldError(path: "[1]", message: "z")], prefix: "list")
        #expect(collector.errors.map(\.path) == ["a", "list.b", "list[1]"])
        #expect(throws: ValidationErrors(collector.errors)) { try collector.check() }
    }
}
