import RegistryModel
import Testing

/// `DNSNames` must accept exactly the names the Kubernetes API server accepts.
@Suite struct DNSNamesTests {
    /// A name and whether a rule accepts it.
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let input: String
        let valid: Bool
        var testDescription: String { name }
    }

    private static func labels(_ lengths: [Int]) -> String {
        lengths.map { String(repeating: "a", count: $0) }.joined(separator: ".")
    }

    private static let labelCases: [Case] = [
        Case(name: "single letter", input: "a", valid: true),
        Case(name: "with dash", input: "my-cluster", valid: true),
        Case(name: "leading digit", input: "1a", valid: true),
        Case(name: "all digits", input: "123", valid: true),
        Case(name: "63 characters", input: String(repeating: "a", count: 63), valid: true),
        Case(name: "64 characters", input: String(repeating: "a", count: 64), valid: false),
        Case(name: "empty", input: "", valid: false),
        Case(name: "uppercase", input: "Cluster", valid: false),
        Case(name: "leading dash", input: "-a", valid: false),
        Case(name: "trailing dash", input: "a-", valid: false),
        Case(name: "dot", input: "a.b", valid: false),
        Case(name: "underscore", input: "a_b", valid: false),
        Case(name: "non-ASCII", input: "café", valid: false),
    ]

    /// `isLabel` follows RFC 1123 labels.
    @Test(arguments: labelCases)
    func label(_ testCase: Case) {
        #expect(DNSNames.isLabel(testCase.input) == testCase.valid)
    }

    private static let subdomainCases: [Case] = [
        Case(name: "single label", input: "cluster", valid: true),
        Case(name: "dotted", input: "eu-1.prod.example.com", valid: true),
        Case(name: "253 characters", input: labels([63, 63, 63, 61]), valid: true),
        Case(name: "254 characters", input: labels([63, 63, 63, 62]), valid: false),
        Case(name: "empty", input: "", valid: false),
        Case(name: "empty label", input: "a..b", valid: false),
        Case(name: "leading dot", input: ".a", valid: false),
        Case(name: "trailing dot", input: "a.", valid: false),
        Case(name: "uppercase label", input: "a.B", valid: false),
        Case(name: "label with leading dash", input: "a.-b", valid: false),
        Case(name: "label with trailing dash", input: "a-.b", valid: false),
    ]

    /// `isSubdomain` follows RFC 1123 subdomains, at most 253 characters.
    @Test(arguments: subdomainCases)
    func subdomain(_ testCase: Case) {
        #expect(DNSNames.isSubdomain(testCase.input) == testCase.valid)
    }

    private static let labelKeyCases: [Case] = [
        Case(name: "plain", input: "env", valid: true),
        Case(name: "prefixed", input: "app.kubernetes.io/name", valid: true),
        Case(name: "mixed case name part", input: "My_Key.v1", valid: true),
        Case(name: "63-character name", input: String(repeating: "k", count: 63), valid: true),
        Case(name: "64-character name", input: String(repeating: "k", count: 64), valid: false),
        Case(name: "253-character prefix", input: labels([63, 63, 63, 61]) + "/k", valid: true),
        Case(name: "254-character prefix", input: labels([63, 63, 63, 62]) + "/k", valid: false),
        Case(name: "uppercase prefix", input: "Example.com/k", valid: false),
        Case(name: "empty", input: "", valid: false),
        Case(name: "empty prefix", input: "/name", valid: false),
        Case(name: "empty name", input: "example.com/", valid: false),
        Case(name: "two slashes", input: "a/b/c", valid: false),
        Case(name: "leading dash", input: "-env", valid: false),
        Case(name: "trailing dot", input: "env.", valid: false),
        Case(name: "space", input: "my env", valid: false),
    ]

    /// `isLabelKey` accepts an optional subdomain prefix and a qualified name.
    @Test(arguments: labelKeyCases)
    func labelKey(_ testCase: Case) {
        #expect(DNSNames.isLabelKey(testCase.input) == testCase.valid)
    }

    private static let labelValueCases: [Case] = [
        Case(name: "empty", input: "", valid: true),
        Case(name: "plain", input: "prod", valid: true),
        Case(name: "mixed", input: "Prod_1.2-x", valid: true),
        Case(name: "63 characters", input: String(repeating: "v", count: 63), valid: true),
        Case(name: "64 characters", input: String(repeating: "v", count: 64), valid: false),
        Case(name: "leading dash", input: "-x", valid: false),
        Case(name: "trailing underscore", input: "x_", valid: false),
        Case(name: "space", input: "a b", valid: false),
        Case(name: "slash", input: "a/b", valid: false),
    ]

    /// `isLabelValue` accepts empty or a qualified name part of at most 63 characters.
    @Test(arguments: labelValueCases)
    func labelValue(_ testCase: Case) {
        #expect(DNSNames.isLabelValue(testCase.input) == testCase.valid)
    }

    /// `validateLabels` reports each bad key and value at `<path>.<key>`, in key order.
    @Test func validateLabelsReportsEachProblem() {
        let errors = DNSNames.validateLabels(["good": "v", "-bad": "ok", "zone": "eu west", "-worse": "x y"], path: "labels")
        #expect(
            errors == [
                FieldError(path: "labels.-bad", message: #"invalid label key "-bad""#),
                FieldError(path: "labels.-worse", message: #"invalid label key "-worse""#),
                FieldError(path: "labels.-worse", message: #"invalid label value "x y""#),
                FieldError(path: "labels.zone", message: #"invalid label value "eu west""#),
            ])
        #expect(DNSNames.validateLabels(["kubernetes.io/os": "linux"], path: "labels") == [])
    }

    /// The messages quote the name and say what a valid one looks like.
    @Test func messagesQuoteTheName() {
        #expect(DNSNames.labelMessage("Bad").hasPrefix(#""Bad" is not a valid DNS-1123 label"#))
        #expect(DNSNames.subdomainMessage("Bad").hasPrefix(#""Bad" is not a valid DNS-1123 subdomain"#))
    }
}
