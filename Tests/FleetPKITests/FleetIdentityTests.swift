import FleetPKI
import Testing

struct FleetIdentityTests {
    /// One URI to parse and what it must give.
    struct ParseCase: CustomTestStringConvertible, Sendable {
        let name: String
        let uri: String
        let expected: FleetIdentity?
        var testDescription: String { name }
    }

    static let parseCases: [ParseCase] = [
        ParseCase(name: "cluster", uri: "spiffe://regfleet/cluster/edge-1", expected: .cluster("edge-1")),
        ParseCase(name: "admin", uri: "spiffe://regfleet/admin/alice", expected: .admin("alice")),
        ParseCase(name: "hub", uri: "spiffe://regfleet/hub", expected: .hub),
        ParseCase(
            name: "63-character name", uri: "spiffe://regfleet/cluster/" + String(repeating: "a", count: 63),
            expected: .cluster(String(repeating: "a", count: 63))),
        ParseCase(name: "empty", uri: "", expected: nil),
        ParseCase(name: "wrong scheme", uri: "https://regfleet/cluster/edge-1", expected: nil),
        ParseCase(name: "wrong trust domain", uri: "spiffe://other/cluster/edge-1", expected: nil),
        ParseCase(name: "wrong role", uri: "spiffe://regfleet/operator/edge-1", expected: nil),
        ParseCase(name: "missing name", uri: "spiffe://regfleet/cluster", expected: nil),
        ParseCase(name: "empty name", uri: "spiffe://regfleet/cluster/", expected: nil),
        ParseCase(name: "extra path segment", uri: "spiffe://regfleet/cluster/edge-1/x", expected: nil),
        ParseCase(name: "hub with a name", uri: "spiffe://regfleet/hub/x", expected: nil),
        ParseCase(name: "uppercase name", uri: "spiffe://regfleet/cluster/Edge-1", expected: nil),
        ParseCase(name: "underscore in name", uri: "spiffe://regfleet/cluster/edge_1", expected: nil),
        ParseCase(name: "leading dash", uri: "spiffe://regfleet/cluster/-edge", expected: nil),
        ParseCase(name: "64-character name", uri: "spiffe://regfleet/cluster/" + String(repeating: "a", count: 64), expected: nil),
    ]

    /// Valid URIs parse to their identity and invalid ones throw invalidIdentity.
    @Test(arguments: parseCases)
    func parse(_ testCase: ParseCase) throws {
        if let expected = testCase.expected {
            #expect(try FleetIdentity(uri: testCase.uri) == expected)
        } else {
            #expect(throws: PKIError(code: .invalidIdentity, message: "")) { try FleetIdentity(uri: testCase.uri) }
        }
    }

    /// The URI an identity renders parses back to the same identity, with role, name and description.
    @Test(arguments: [FleetIdentity.cluster("edge-1"), .admin("alice"), .hub])
    func roundTrip(_ identity: FleetIdentity) throws {
        #expect(try FleetIdentity(uri: identity.uri) == identity)
        #expect(try FleetIdentity(role: identity.role, name: identity.name) == identity)
    }

    /// Role, name, URI and description are what the hub's middleware and logs rely on.
    @Test func accessors() {
        let identity = FleetIdentity.cluster("edge-1")
        #expect(identity.role == .cluster)
        #expect(identity.name == "edge-1")
        #expect(identity.uri == "spiffe://regfleet/cluster/edge-1")
        #expect(identity.description == "cluster/edge-1")
        #expect(FleetIdentity.admin("alice").description == "admin/alice")
    }

    /// A bad name gets a Kubernetes-style message naming the value.
    @Test func badNameMessage() {
        let error = #expect(throws: PKIError.self) { try FleetIdentity(role: .cluster, name: "Edge_1") }
        #expect(error?.code == .invalidIdentity)
        #expect(error?.message.contains("\"Edge_1\" is not a valid DNS-1123 label") == true)
    }

    /// The wrong-trust-domain message names both the expected and the given domain.
    @Test func trustDomainMessage() {
        let error = #expect(throws: PKIError.self) { try FleetIdentity(uri: "spiffe://other/cluster/a") }
        #expect(error?.message.contains("\"regfleet\", not \"other\"") == true)
    }
}
