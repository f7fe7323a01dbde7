@testable import FleetAgent
import Foundation
import RegistryModel
import Testing

struct MergePatchDiffTests {
    /// One diff case: from, to, and the patch expected (nil when equal).
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let from: JSONValue
        let to: JSONValue
        let patch: JSONValue?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "equal documents", from: ["a": "x", "b": ["c": 1]], to: ["a": "x", "b": ["c": 1]], patch: Optional.none),
        Case(name: "changed leaf only", from: ["a": "x", "n": 1], to: ["a": "x", "n": 3], patch: ["n": 3]),
        Case(name: "removed member", from: ["a": "x", "b": true], to: ["a": "x"], patch: ["b": .null]),
        Case(name: "added member", from: ["a": "x"], to: ["a": "x", "s": ["m": "Managed"]], patch: ["s": ["m": "Managed"]]),
        Case(name: "nested change keeps siblings", from: ["s": ["pvc": ["claim": "c"], "m": "Managed"]], to: ["s": ["pvc": ["claim": "c"], "m": "Unmanaged"]], patch: ["s": ["m": "Unmanaged"]]),
        Case(name: "array replaced whole", from: ["t": [1, 2]], to: ["t": [1]], patch: ["t": [1]]),
    ]

    /// The diff is the smallest merge patch, and applying it to the source yields the target.
    @Test(arguments: cases)
    func diffIsMinimalAndRoundTrips(_ diff: Case) {
        let patch = diff.from.mergePatch(to: diff.to)
        #expect(patch == diff.patch)
        #expect(diff.from.applyingMergePatch(patch ?? .object([:])) == diff.to)
    }
}
