import RegistryModel
import Testing

/// `LabelSelector` must parse and match like the Kubernetes API server.
@Suite struct LabelSelectorTests {
    /// A selector, a label set and whether the selector selects it.
    struct Match: Sendable, CustomTestStringConvertible {
        let name: String
        let selector: String
        let labels: [String: String]
        let matches: Bool
        var testDescription: String { name }
    }

    private static let matchCases: [Match] = [
        Match(name: "= equal", selector: "env=prod", labels: ["env": "prod"], matches: true),
        Match(name: "= different", selector: "env=prod", labels: ["env": "dev"], matches: false),
        Match(name: "= absent", selector: "env=prod", labels: [:], matches: false),
        Match(name: "== equal", selector: "env==prod", labels: ["env": "prod"], matches: true),
        Match(name: "== different", selector: "env==prod", labels: ["env": "dev"], matches: false),
        Match(name: "!= different", selector: "env!=prod", labels: ["env": "dev"], matches: true),
        Match(name: "!= equal", selector: "env!=prod", labels: ["env": "prod"], matches: false),
        Match(name: "!= absent", selector: "env!=prod", labels: [:], matches: true),
        Match(name: "in member", selector: "region in (eu,us)", labels: ["region": "us"], matches: true),
        Match(name: "in non-member", selector: "region in (eu,us)", labels: ["region": "ap"], matches: false),
        Match(name: "in absent", selector: "region in (eu,us)", labels: [:], matches: false),
        Match(name: "notin non-member", selector: "region notin (eu,us)", labels: ["region": "ap"], matches: true),
        Match(name: "notin member", selector: "region notin (eu,us)", labels: ["region": "eu"], matches: false),
        Match(name: "notin absent", selector: "region notin (eu,us)", labels: [:], matches: true),
        Match(name: "exists present", selector: "canary", labels: ["canary": ""], matches: true),
        Match(name: "exists absent", selector: "canary", labels: ["other": "x"], matches: false),
        Match(name: "!key absent", selector: "!legacy", labels: ["env": "prod"], matches: true),
        Match(name: "!key present", selector: "!legacy", labels: ["legacy": "true"], matches: false),
        Match(name: "empty value", selector: "env=", labels: ["env": ""], matches: true),
        Match(name: "prefixed key", selector: "app.kubernetes.io/name=registry", labels: ["app.kubernetes.io/name": "registry"], matches: true),
        Match(
            name: "whitespace everywhere", selector: "  env = prod ,  tier  in  ( web , api ) , ! legacy ",
            labels: ["env": "prod", "tier": "api"], matches: true),
        Match(name: "all must hold", selector: "env=prod,tier=web", labels: ["env": "prod", "tier": "db"], matches: false),
        Match(
            name: "every kind at once", selector: "env=prod,tier!=db,region in (eu,us),!legacy,canary",
            labels: ["env": "prod", "tier": "web", "region": "eu", "canary": "1"], matches: true),
        Match(name: "empty selector", selector: "", labels: ["any": "thing"], matches: true),
        Match(name: "blank selector", selector: "   ", labels: [:], matches: true),
    ]

    /// `matches` applies each operator with the API server's semantics.
    @Test(arguments: matchCases)
    func matches(_ testCase: Match) throws {
        let selector = try LabelSelector(parsing: testCase.selector)
        #expect(selector.matches(testCase.labels) == testCase.matches)
    }

    /// A selector text and the requirements it must parse to.
    struct Parse: Sendable, CustomTestStringConvertible {
        let selector: String
        let requirements: [LabelSelector.Requirement]
        var testDescription: String { selector.isEmpty ? "(empty)" : selector }
    }

    private static let parseCases: [Parse] = [
        Parse(selector: "env=prod", requirements: [.equals("env", "prod")]),
        Parse(selector: "env==prod", requirements: [.equals("env", "prod")]),
        Parse(selector: "env!=prod", requirements: [.notEquals("env", "prod")]),
        Parse(selector: "env in (a, b)", requirements: [.in("env", ["a", "b"])]),
        Parse(selector: "env notin (a)", requirements: [.notIn("env", ["a"])]),
        Parse(selector: "canary", requirements: [.exists("canary")]),
        Parse(selector: "!legacy", requirements: [.doesNotExist("legacy")]),
        Parse(selector: "b=2,a=1", requirements: [.equals("b", "2"), .equals("a", "1")]),
        Parse(selector: "", requirements: []),
    ]

    /// Parsing keeps the requirements in the order written.
    @Test(arguments: parseCases)
    func parses(_ testCase: Parse) throws {
        #expect(try LabelSelector(parsing: testCase.selector).requirements == testCase.requirements)
    }

    /// The printed form parses back to the same selector.
    @Test func descriptionRoundTrips() throws {
        let selector = try LabelSelector(parsing: "env=prod, tier!=db, region in (us, eu), x notin (b,a), canary, !legacy")
        #expect(selector.description == "env=prod,tier!=db,region in (eu,us),x notin (a,b),canary,!legacy")
        #expect(try LabelSelector(parsing: selector.description) == selector)
    }

    /// `matchLabels` builds equality requirements in key order; `everything` selects all.
    @Test func matchLabelsAndEverything() {
        #expect(LabelSelector(matchLabels: ["b": "2", "a": "1"]).requirements == [.equals("a", "1"), .equals("b", "2")])
        #expect(LabelSelector(matchLabels: ["a": "1"]).matches(["a": "1", "b": "2"]))
        #expect(!LabelSelector(matchLabels: ["a": "1"]).matches(["a": "2"]))
        #expect(LabelSelector.everything.matches([:]))
    }

    /// A selector text the API server refuses and what the message must say.
    struct Invalid: Sendable, CustomTestStringConvertible {
        let selector: String
        let why: String
        var testDescription: String { selector }
    }

    private static let invalidCases: [Invalid] = [
        Invalid(selector: "=prod", why: #""" is not a valid label key"#),
        Invalid(selector: "-env=prod", why: #""-env" is not a valid label key"#),
        Invalid(selector: "env=pr od", why: #""pr od" is not a valid label value"#),
        Invalid(selector: "env=a=b", why: #""a=b" is not a valid label value"#),
        Invalid(selector: "env in ()", why: "empty value set"),
        Invalid(selector: "env in a", why: "value set must be in parentheses"),
        Invalid(selector: "env in (a", why: "value set must be in parentheses"),
        Invalid(selector: "env in", why: #"missing value set after "in""#),
        Invalid(selector: "env notin", why: #"missing value set after "notin""#),
        Invalid(selector: "env in (a b)", why: #""a b" is not a valid label value"#),
        Invalid(selector: "a b c", why: #"cannot parse "a b c""#),
        Invalid(selector: "!", why: #""" is not a valid label key"#),
        Invalid(selector: "env=prod,Bad Key", why: #"cannot parse "Bad Key""#),
    ]

    /// Invalid selectors fail with `invalid label selector "<text>": <why>`.
    @Test(arguments: invalidCases)
    func refuses(_ testCase: Invalid) {
        #expect(throws: FieldError(path: "", message: "invalid label selector \"\(testCase.selector)\": \(testCase.why)")) {
            try LabelSelector(parsing: testCase.selector)
        }
    }
}
