import FleetModel
import Foundation
import RegistryModel
import Testing

/// `StrictJSON` must refuse what a type does not know, naming the field, and accept everything it does.
@Suite struct StrictJSONTests {
    /// One JSON text that is not a document a decoder can read.
    struct Malformed: Sendable, CustomTestStringConvertible {
        let name: String
        let json: String
        var testDescription: String { name }
    }

    private static let malformed: [Malformed] = [
        Malformed(name: "truncated object", json: #"{"spec": "#),
        Malformed(name: "missing value", json: #"{"a": }"#),
        Malformed(name: "bare words", json: "not json"),
        Malformed(name: "empty input", json: ""),
        Malformed(name: "single-quoted string", json: "{'a': 1}"),
    ]

    /// Malformed JSON gives exactly one document-level error that says so.
    @Test(arguments: malformed)
    func malformedJSONIsOneError(_ testCase: Malformed) {
        let errors = Fixtures.strictErrors(FleetPolicy.self, testCase.json)
        #expect(errors.count == 1)
        #expect(errors.first?.path == "")
        #expect(errors.first?.message.hasPrefix("malformed JSON") == true)
    }

    /// One document with members the target type does not have.
    struct Unknown: Sendable, CustomTestStringConvertible {
        let name: String
        let decode: @Sendable (String) -> [FieldError]
        let json: String
        let paths: [String]
        var testDescription: String { name }
    }

    private static let unknown: [Unknown] = [
        Unknown(
            name: "misspelled pruner field",
            decode: { Fixtures.strictErrors(ImagePruner.self, $0) },
            json: #"{"apiVersion":"v","kind":"ImagePruner","metadata":{"name":"cluster"},"spec":{"keepTagRevision":3}}"#,
            paths: ["spec.keepTagRevision"]),
        Unknown(
            name: "nested policy field",
            decode: { Fixtures.strictErrors(FleetPolicy.self, $0) },
            json: #"{"registry":{"storage":{"managementState":"Managed","foo":1}}}"#,
            paths: ["registry.storage.foo"]),
        Unknown(
            name: "array element member",
            decode: { Fixtures.strictErrors(Config.self, $0) },
            json: #"{"apiVersion":"v","kind":"Config","metadata":{"name":"cluster"},"spec":{"replicas":1,"tolerations":[{"key":"a"},{"key":"b","bogus":true}]}}"#,
            paths: ["spec.tolerations[1].bogus"]),
        Unknown(
            name: "first array element",
            decode: { Fixtures.strictErrors(Config.self, $0) },
            json: #"{"apiVersion":"v","kind":"Config","metadata":{"name":"cluster"},"spec":{"replicas":1,"tolerations":[{"bogus":1}]}}"#,
            paths: ["spec.tolerations[0].bogus"]),
        Unknown(
            name: "top-level member",
            decode: { Fixtures.strictErrors(FleetPolicy.self, $0) },
            json: #"{"registry":{},"extra":"x"}"#,
            paths: ["extra"]),
        Unknown(
            name: "several at once, sorted",
            decode: { Fixtures.strictErrors(FleetPolicy.self, $0) },
            json: #"{"pruner":{"zeta":1,"alpha":2,"schedule":"@daily"},"registry":{"replica":2}}"#,
            paths: ["pruner.alpha", "pruner.zeta", "registry.replica"]),
        Unknown(
            name: "unknown object reported once, not its members",
            decode: { Fixtures.strictErrors(FleetPolicy.self, $0) },
            json: #"{"registry":{"extra":{"a":1,"b":{"c":2}}}}"#,
            paths: ["registry.extra"]),
        Unknown(
            name: "storage backend in the hub storage policy",
            decode: { Fixtures.strictErrors(FleetPolicy.self, $0) },
            json: #"{"registry":{"storage":{"pvc":{"claim":"x"}}}}"#,
            paths: ["registry.storage.pvc"]),
    ]

    /// Unknown members are reported with their full paths and nothing else.
    @Test(arguments: unknown)
    func unknownFieldsAreReportedWithPaths(_ testCase: Unknown) {
        let errors = testCase.decode(testCase.json)
        #expect(errors.map(\.path) == testCase.paths)
        #expect(errors.allSatisfy { $0.message == "unknown field" })
    }

    /// One document with a value of the wrong JSON type.
    struct Mismatch: Sendable, CustomTestStringConvertible {
        let name: String
        let decode: @Sendable (String) -> [FieldError]
        let json: String
        let path: String
        let message: String
        var testDescription: String { name }
    }

    private static let mismatches: [Mismatch] = [
        Mismatch(
            name: "replicas as string",
            decode: { Fixtures.strictErrors(Config.self, $0) },
            json: #"{"apiVersion":"v","kind":"Config","metadata":{"name":"cluster"},"spec":{"replicas":"two"}}"#,
            path: "spec.replicas", message: "expected an integer"),
        Mismatch(
            name: "keepTagRevisions as string",
            decode: { Fixtures.strictErrors(ImagePruner.self, $0) },
            json: #"{"apiVersion":"v","kind":"ImagePruner","metadata":{"name":"cluster"},"spec":{"keepTagRevisions":"3"}}"#,
            path: "spec.keepTagRevisions", message: "expected an integer"),
        Mismatch(
            name: "policy replicas as boolean",
            decode: { Fixtures.strictErrors(FleetPolicy.self, $0) },
            json: #"{"registry":{"replicas":true}}"#,
            path: "registry.replicas", message: "expected an integer"),
        Mismatch(
            name: "toleration seconds in an array element",
            decode: { Fixtures.strictErrors(Config.self, $0) },
            json: #"{"apiVersion":"v","kind":"Config","metadata":{"name":"cluster"},"spec":{"replicas":1,"tolerations":[{"tolerationSeconds":"x"}]}}"#,
            path: "spec.tolerations[0].tolerationSeconds", message: "expected an integer"),
        Mismatch(
            name: "boolean as string",
            decode: { Fixtures.strictErrors(FleetPolicy.self, $0) },
            json: #"{"registry":{"readOnly":"yes"}}"#,
            path: "registry.readOnly", message: "expected a boolean"),
        Mismatch(
            name: "string as number",
            decode: { Fixtures.strictErrors(FleetPolicy.self, $0) },
            json: #"{"pruner":{"schedule":5}}"#,
            path: "pruner.schedule", message: "expected a string"),
    ]

    /// A value of the wrong type names its path and the type that was expected.
    @Test(arguments: mismatches)
    func typeMismatchNamesPathAndType(_ testCase: Mismatch) {
        let errors = testCase.decode(testCase.json)
        #expect(errors == [FieldError(path: testCase.path, message: testCase.message)])
    }

    /// A Config without `spec.replicas` is refused the way the CRD refuses it.
    @Test func missingReplicasIsRequired() {
        let errors = Fixtures.strictErrors(
            Config.self, #"{"apiVersion":"v","kind":"Config","metadata":{"name":"cluster"},"spec":{"managementState":"Managed"}}"#)
        #expect(errors == [FieldError(path: "spec.replicas", message: "required field is missing")])
    }

    /// A complete Config decodes to exactly the value it describes, with managementState defaulted.
    @Test func validConfigDecodes() throws {
        let json = #"""
            {"apiVersion":"imageregistry.operator.alauda.io/v1","kind":"Config",
             "metadata":{"name":"cluster","generation":4,"labels":{"a":"b"}},
             "spec":{"replicas":2,"logLevel":"Debug","storage":{"managementState":"Unmanaged","s3":{"bucket":"b","region":"eu"}},
                     "requests":{"read":{"maxRunning":5,"maxWaitInQueue":"30s"}},"tolerations":[{"key":"k","operator":"Exists"}],
                     "nodeSelector":{"kubernetes.io/os":"linux"}},
             "status":{"observedGeneration":4,"readyReplicas":2,
                       "conditions":[{"type":"Available","status":"True","reason":"Ready","lastTransitionTime":"2026-03-14T10:00:00Z"}]}}
            """#
        let config = try StrictJSON.decode(Config.self, from: Fixtures.data(json))
        var metadata = ObjectMeta(name: "cluster", labels: ["a": "b"])
        metadata.generation = 4
        let expected = Config(
            metadata: metadata,
            spec: ConfigSpec(
                managementState: .managed, replicas: 2,
                storage: StorageSpec(managementState: .unmanaged, s3: S3Storage(bucket: "b", region: "eu")), logLevel: "Debug",
                requests: RequestsSpec(read: RequestLimits(maxRunning: 5, maxWaitInQueue: "30s")),
                nodeSelector: ["kubernetes.io/os": "linux"], tolerations: [Toleration(key: "k", operator: "Exists")]),
            status: ConfigStatus(
                observedGeneration: 4,
                conditions: [
                    Condition(type: "Available", status: .true, reason: "Ready", lastTransitionTime: Fixtures.time("2026-03-14T10:00:00Z"))
                ],
                readyReplicas: 2))
        #expect(config == expected)
    }

    /// A complete ImagePruner, including free-form affinity, decodes without complaint.
    @Test func validImagePrunerDecodes() throws {
        let json = #"""
            {"apiVersion":"imageregistry.operator.alauda.io/v1","kind":"ImagePruner","metadata":{"name":"cluster"},
             "spec":{"schedule":"@daily","keepTagRevisions":5,"keepYoungerThanDuration":"2h","suspend":false,
                     "affinity":{"nodeAffinity":{"weights":[1,2.5]}}}}
            """#
        let pruner = try StrictJSON.decode(ImagePruner.self, from: Fixtures.data(json))
        #expect(pruner.spec.schedule == "@daily")
        #expect(pruner.spec.keepTagRevisions == 5)
        #expect(pruner.spec.affinity == ["nodeAffinity": ["weights": [1, 2.5]]])
    }

    /// An explicit null is refused with its path: an optional field is absent or has a value, so
    /// `"acknowledgeDataLoss": null` cannot be read as either.
    @Test func explicitNullsAreRefused() throws {
        for (json, path) in [
            (#"{"registry":{"replicas":null,"logLevel":"Debug"}}"#, "registry.replicas"),
            (#"{"registry":{"logLevel":"Debug"},"pruner":null}"#, "pruner"),
            (#"{"registry":{"storage":null}}"#, "registry.storage"),
        ] {
            #expect(throws: ValidationErrors.self) { try StrictJSON.decode(FleetPolicy.self, from: Fixtures.data(json)) }
            do {
                _ = try StrictJSON.decode(FleetPolicy.self, from: Fixtures.data(json))
            } catch {
                #expect(error.errors.map(\.path) == [path])
                #expect(error.errors.first?.message.hasSuffix("got null") == true)
            }
        }
    }

    /// A free-form value (a JSONValue field) may still hold null.
    @Test func nullInsideFreeFormValuesIsKept() throws {
        let json = #"{"apiVersion":"imageregistry.operator.alauda.io/v1","kind":"ImagePruner","metadata":{"name":"cluster"},"spec":{"affinity":{"x":null}}}"#
        let pruner = try StrictJSON.decode(ImagePruner.self, from: Fixtures.data(json))
        #expect(pruner.spec.affinity == ["x": nil])
    }

    /// A member named twice is malformed JSON, wherever it is.
    @Test func duplicateMembersAreRefused() throws {
        for json in [#"{"registry":{"replicas":1},"registry":{"replicas":5}}"#, #"{"registry":{"replicas":1,"replicas":5}}"#] {
            do {
                _ = try StrictJSON.decode(FleetPolicy.self, from: Fixtures.data(json))
                Issue.record("accepted \(json)")
            } catch {
                #expect(error.errors.first?.message.contains("duplicate member") == true, "\(error)")
            }
        }
    }

    /// The tree entry point applies the same checks as the bytes entry point.
    @Test func treeInputIsCheckedToo() throws {
        #expect(try StrictJSON.decode(FleetPolicy.self, from: ["registry": ["replicas": 3]]) == FleetPolicy(registry: RegistryPolicy(replicas: 3)))
        #expect(throws: ValidationErrors([FieldError(path: "registry.replica", message: "unknown field")])) {
            try StrictJSON.decode(FleetPolicy.self, from: ["registry": ["replica": 3]])
        }
    }
}
