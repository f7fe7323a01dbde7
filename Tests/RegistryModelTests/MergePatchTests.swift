import RegistryModel
import Testing

/// JSON merge patch and the desired-state comparison reconcilers use to decide whether to write.
@Suite struct MergePatchTests {
    /// One row of RFC 7386 Appendix A.
    struct Patch: Sendable, CustomTestStringConvertible {
        let name: String
        let original: String
        let patch: String
        let result: String
        var testDescription: String { name }
    }

    private static let rfcExamples: [Patch] = [
        Patch(name: "replace member", original: #"{"a":"b"}"#, patch: #"{"a":"c"}"#, result: #"{"a":"c"}"#),
        Patch(name: "add member", original: #"{"a":"b"}"#, patch: #"{"b":"c"}"#, result: #"{"a":"b","b":"c"}"#),
        Patch(name: "null removes", original: #"{"a":"b"}"#, patch: #"{"a":null}"#, result: "{}"),
        Patch(name: "null removes one of two", original: #"{"a":"b","b":"c"}"#, patch: #"{"a":null}"#, result: #"{"b":"c"}"#),
        Patch(name: "string replaces array", original: #"{"a":["b"]}"#, patch: #"{"a":"c"}"#, result: #"{"a":"c"}"#),
        Patch(name: "array replaces string", original: #"{"a":"c"}"#, patch: #"{"a":["b"]}"#, result: #"{"a":["b"]}"#),
        Patch(
            name: "nested merge with removal", original: #"{"a":{"b":"c"}}"#, patch: #"{"a":{"b":"d","c":null}}"#,
            result: #"{"a":{"b":"d"}}"#),
        Patch(name: "array replaced whole", original: #"{"a":[{"b":"c"}]}"#, patch: #"{"a":[1]}"#, result: #"{"a":[1]}"#),
        Patch(name: "array document", original: #"["a","b"]"#, patch: #"["c","d"]"#, result: #"["c","d"]"#),
        Patch(name: "array patch replaces object", original: #"{"a":"b"}"#, patch: #"["c"]"#, result: #"["c"]"#),
        Patch(name: "null patch", original: #"{"a":"foo"}"#, patch: "null", result: "null"),
        Patch(name: "string patch", original: #"{"a":"foo"}"#, patch: #""bar""#, result: #""bar""#),
        Patch(name: "null in original kept", original: #"{"e":null}"#, patch: #"{"a":1}"#, result: #"{"e":null,"a":1}"#),
        Patch(name: "object patch on array", original: "[1,2]", patch: #"{"a":"b","c":null}"#, result: #"{"a":"b"}"#),
        Patch(name: "nested nulls create empty objects", original: "{}", patch: #"{"a":{"bb":{"ccc":null}}}"#, result: #"{"a":{"bb":{}}}"#),
    ]

    /// `applyingMergePatch` gives the result RFC 7386 Appendix A lists.
    @Test(arguments: rfcExamples)
    func rfc7386(_ testCase: Patch) {
        let original = Fixtures.json(testCase.original)
        let result = original.applyingMergePatch(Fixtures.json(testCase.patch))
        #expect(result == Fixtures.json(testCase.result))
        #expect(original == Fixtures.json(testCase.original))
    }

    /// A live object, the desired fields and whether the live object already has them.
    struct Contains: Sendable, CustomTestStringConvertible {
        let name: String
        let actual: JSONValue
        let desired: JSONValue
        let contains: Bool
        var testDescription: String { name }
    }

    private static let containsCases: [Contains] = [
        Contains(name: "extra server fields ignored", actual: ["a": 1, "status": ["ready": true], "uid": "x"], desired: ["a": 1], contains: true),
        Contains(name: "different value", actual: ["a": 1], desired: ["a": 2], contains: false),
        Contains(name: "desired member missing", actual: ["b": 1], desired: ["a": 1], contains: false),
        Contains(name: "nested subset", actual: ["spec": ["replicas": 2, "paused": false]], desired: ["spec": ["replicas": 2]], contains: true),
        Contains(name: "nested difference", actual: ["spec": ["replicas": 2]], desired: ["spec": ["replicas": 3]], contains: false),
        Contains(
            name: "array elements compared as subsets", actual: ["c": [["name": "x", "image": "i", "tty": false]]],
            desired: ["c": [["name": "x", "image": "i"]]], contains: true),
        Contains(name: "array element differs", actual: ["c": [["name": "x"]]], desired: ["c": [["name": "y"]]], contains: false),
        Contains(name: "array longer than desired", actual: ["a": [1, 2]], desired: ["a": [1]], contains: false),
        Contains(name: "array shorter than desired", actual: ["a": [1]], desired: ["a": [1, 2]], contains: false),
        Contains(name: "array order matters", actual: ["a": [2, 1]], desired: ["a": [1, 2]], contains: false),
        Contains(name: "null desired, member absent", actual: ["a": 1], desired: ["b": nil], contains: true),
        Contains(name: "null desired, member null", actual: ["b": nil], desired: ["b": nil], contains: true),
        Contains(name: "null desired, member present", actual: ["b": 2], desired: ["b": nil], contains: false),
        Contains(name: "empty object desired, server omitted it", actual: [:], desired: ["labels": [:]], contains: true),
        Contains(name: "empty array desired, server omitted it", actual: [:], desired: ["args": []], contains: true),
        Contains(name: "non-empty object desired, absent", actual: [:], desired: ["labels": ["a": "b"]], contains: false),
        Contains(name: "1 and 1.0", actual: ["r": 1], desired: ["r": 1.0], contains: true),
        Contains(name: "1.0 and 1", actual: ["r": 1.0], desired: ["r": 1], contains: true),
        Contains(name: "string and number", actual: ["r": "1"], desired: ["r": 1], contains: false),
        Contains(name: "object where scalar desired", actual: ["r": ["x": 1]], desired: ["r": 1], contains: false),
        Contains(name: "empty desired", actual: ["a": 1], desired: [:], contains: true),
    ]

    /// `contains(desired:)` ignores server-only fields, compares arrays elementwise and treats null as absent.
    @Test(arguments: containsCases)
    func containsDesired(_ testCase: Contains) {
        #expect(testCase.actual.contains(desired: testCase.desired) == testCase.contains)
    }

    /// `leafPaths` lists every set member in key order, with array indexes and empty containers.
    @Test func leafPaths() {
        let tree: JSONValue = [
            "spec": [
                "storage": ["pvc": ["claim": "x"]], "replicas": 2, "tolerations": [["key": "a"], "b"], "empty": [:], "list": [],
                "gone": nil,
            ]
        ]
        #expect(
            tree.leafPaths() == [
                "spec.empty", "spec.gone", "spec.list", "spec.replicas", "spec.storage.pvc.claim", "spec.tolerations[0].key", "spec.tolerations[1]",
            ])
        #expect(JSONValue.object([:]).leafPaths() == [])
        #expect(tree.leafPaths(prefix: "root") == tree.leafPaths().map { "root.\($0)" })
    }

    /// Only `{}` and `[]` count as empty containers.
    @Test func emptyContainers() {
        #expect(JSONValue.object([:]).isEmptyContainer)
        #expect(JSONValue.array([]).isEmptyContainer)
        #expect(!JSONValue.object(["a": 1]).isEmptyContainer)
        #expect(!JSONValue.string("").isEmptyContainer)
        #expect(!JSONValue.null.isEmptyContainer)
    }
}
