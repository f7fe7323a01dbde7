import RegistryModel
import Testing

/// `GoDuration` must read and print durations exactly as Go's `time` package does.
@Suite struct GoDurationTests {
    /// A duration text and its length in nanoseconds.
    struct Parse: Sendable, CustomTestStringConvertible {
        let text: String
        let nanoseconds: Int64
        var testDescription: String { text.isEmpty ? "(empty)" : text }
    }

    private static let parseCases: [Parse] = [
        Parse(text: "60m", nanoseconds: 3_600_000_000_000),
        Parse(text: "1h30m", nanoseconds: 5_400_000_000_000),
        Parse(text: "1.5h", nanoseconds: 5_400_000_000_000),
        Parse(text: "1.15h", nanoseconds: 4_140_000_000_000),
        Parse(text: "2.3s", nanoseconds: 2_300_000_000),
        Parse(text: "300ms", nanoseconds: 300_000_000),
        Parse(text: "2h45m0s", nanoseconds: 9_900_000_000_000),
        Parse(text: "90s", nanoseconds: 90_000_000_000),
        Parse(text: ".5s", nanoseconds: 500_000_000),
        Parse(text: "0", nanoseconds: 0),
        Parse(text: "0s", nanoseconds: 0),
        Parse(text: "-0", nanoseconds: 0),
        Parse(text: "-5m", nanoseconds: -300_000_000_000),
        Parse(text: "+5m", nanoseconds: 300_000_000_000),
        Parse(text: "1ns", nanoseconds: 1),
        Parse(text: "1us", nanoseconds: 1_000),
        Parse(text: "1\u{00B5}s", nanoseconds: 1_000),
        Parse(text: "1\u{03BC}s", nanoseconds: 1_000),
        Parse(text: "1h1m1s1ms1us1ns", nanoseconds: 3_661_001_001_001),
    ]

    /// Every unit and form Go accepts parses to the exact number of nanoseconds.
    @Test(arguments: parseCases)
    func parses(_ testCase: Parse) throws {
        #expect(try GoDuration(parsing: testCase.text).nanoseconds == testCase.nanoseconds)
    }

    /// A text Go refuses and why.
    struct Invalid: Sendable, CustomTestStringConvertible {
        let text: String
        let why: String
        var testDescription: String { text.isEmpty ? "(empty)" : text }
    }

    private static let invalidCases: [Invalid] = [
        Invalid(text: "60", why: "missing unit after 60"),
        Invalid(text: "1h30", why: "missing unit after 30"),
        Invalid(text: "m", why: "expected a number"),
        Invalid(text: "5x", why: #"unknown unit "x""#),
        Invalid(text: "3d", why: #"unknown unit "d""#),
        Invalid(text: "1h 30m", why: #"unknown unit "h ""#),
        Invalid(text: "", why: "empty"),
        Invalid(text: "-", why: "empty"),
        Invalid(text: ".s", why: "expected a number"),
        Invalid(text: "1..5s", why: "expected a number"),
    ]

    /// Invalid texts fail with a message that quotes the input and shows the expected syntax.
    @Test(arguments: invalidCases)
    func refuses(_ testCase: Invalid) {
        #expect(
            throws: FieldError(
                path: "", message: "invalid duration \"\(testCase.text)\": \(testCase.why) (use Go syntax such as 60m, 1h30m or 90s)")
        ) {
            try GoDuration(parsing: testCase.text)
        }
    }

    /// A length and Go's canonical text for it.
    struct Canonical: Sendable, CustomTestStringConvertible {
        let nanoseconds: Int64
        let text: String
        var testDescription: String { text }
    }

    private static let canonicalCases: [Canonical] = [
        Canonical(nanoseconds: 0, text: "0s"),
        Canonical(nanoseconds: 1, text: "1ns"),
        Canonical(nanoseconds: 1_500, text: "1.5µs"),
        Canonical(nanoseconds: 500_000_000, text: "500ms"),
        Canonical(nanoseconds: 1_500_000, text: "1.5ms"),
        Canonical(nanoseconds: 1_000_000_000, text: "1s"),
        Canonical(nanoseconds: 1_500_000_000, text: "1.5s"),
        Canonical(nanoseconds: 90_000_000_000, text: "1m30s"),
        Canonical(nanoseconds: 3_600_000_000_000, text: "1h0m0s"),
        Canonical(nanoseconds: 9_900_000_000_000, text: "2h45m0s"),
        Canonical(nanoseconds: 3_601_000_000_000, text: "1h0m1s"),
        Canonical(nanoseconds: 4_140_000_000_000, text: "1h9m0s"),
        Canonical(nanoseconds: -300_000_000_000, text: "-5m0s"),
        Canonical(nanoseconds: -1_500, text: "-1.5µs"),
        Canonical(nanoseconds: 100_000_000_000_001, text: "27h46m40.000000001s"),
    ]

    /// `description` is Go's `Duration.String()`.
    @Test(arguments: canonicalCases)
    func printsLikeGo(_ testCase: Canonical) {
        #expect(GoDuration(nanoseconds: testCase.nanoseconds).description == testCase.text)
    }

    /// Printing then parsing gives back the same duration.
    @Test(arguments: canonicalCases)
    func canonicalTextParsesBack(_ testCase: Canonical) throws {
        #expect(try GoDuration(parsing: testCase.text).nanoseconds == testCase.nanoseconds)
    }

    /// Durations order by length and convert to seconds.
    @Test func comparesAndConverts() throws {
        #expect(try GoDuration(parsing: "59m") < GoDuration(parsing: "1h"))
        #expect(try GoDuration(parsing: "-1s") < GoDuration(parsing: "0"))
        #expect(try GoDuration(parsing: "1m30s").seconds == 90)
        #expect(GoDuration(seconds: 2.5).nanoseconds == 2_500_000_000)
    }
}
