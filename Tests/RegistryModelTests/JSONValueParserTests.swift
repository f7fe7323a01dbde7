import Foundation
import Testing
@testable import RegistryModel

@Suite struct JSONValueParserTests {
    static let documents: [String] = [
        #"{}"#, #"[]"#, #"null"#, #"true"#, #"false"#, #"0"#, #"-0"#, #"42"#, #"-17"#, #"3.25"#, #"-1e-3"#, #"6.02E23"#, #"1.0"#,
        #"9223372036854775807"#, #"-9223372036854775808"#, #"1e300"#,
        #""plain""#, #""quote \" backslash \\ slash \/ controls \b\f\n\r\t""#, #""unicode \u00e9 \u4e2d \ud83d\ude00""#, #""émoji 😀 raw""#,
        #"{"a":1,"b":[true,false,null],"c":{"d":"e","f":[{"g":-2.5}]}}"#,
        "  {\n\t\"spaced\" : [ 1 , 2 ] ,\r\n \"x\":{ } }  ",
        #"[[[[[[[[[[1]]]]]]]]]]"#,
        #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x","labels":{"app":"x"}},"spec":{"replicas":3}}"#,
    ]

    /// The parser agrees with Foundation's JSON decoder on every document.
    @Test(arguments: documents) func agreesWithFoundation(_ text: String) throws {
        let ours = try JSONValue.parse(Data(text.utf8))
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours.semanticallyEquals(foundation), "\(ours) vs \(foundation)")
    }

    static let invalid: [String] = [
        "", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"unterminated",
        "\"bad escape \\x\"", "\"\\u12\"", "\"\\ud800\"", "\"tab\tinside\"", "[1] [2]", "{\"a\":1}}",
    ]

    /// Malformed documents are refused with a message and an offset, never half-parsed.
    @Test(arguments: invalid) func refusesMalformed(_ text: String) {
        #expect(throws: DecodingError.self) { try JSONValue.parse(Data(text.utf8)) }
    }

    /// Deep nesting is refused instead of exhausting the stack.
    @Test func refusesDeepNesting() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: DecodingError.self) { try JSONValue.parse(Data(text.utf8)) }
    }

    /// Trees built without bytes in between round-trip typed values, dates included.
    @Test func treeConversionRoundTrips() throws {
        let report = PruneReport(
            registryURL: "https://r", dryRun: true, startedAt: Date(timeIntervalSince1970: 1_700_000_000.5),
            finishedAt: Date(timeIntervalSince1970: 1_700_000_010), keptByRule: ["young": 2], deleted: 1, reclaimableBytes: 1 << 40,
            errors: [PruneError(repository: nil, message: "x")])
        let tree = try JSONCoding.tree(report)
        #expect(tree["startedAt"] == "2023-11-14T22:13:20.500Z")
        #expect(tree["errors"]?.arrayValue?.first?["repository"] == nil)
        #expect(try JSONCoding.value(PruneReport.self, from: tree) == report)
        let bytes = try JSONCoding.decode(PruneReport.self, from: JSONCoding.encode(report))
        #expect(bytes == report)
    }
}
