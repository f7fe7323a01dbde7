import FleetPKI
import Testing

struct ServerNamesTests {
    /// IP literals become IP addresses, everything else DNS names, in order and without duplicates.
    @Test func sortsNamesAndAddresses() throws {
        let names = try ServerNames(parsing: ["localhost", "127.0.0.1", "::1", "hub.example.com", " localhost ", "0:0::1"])
        #expect(names.dnsNames == ["localhost", "hub.example.com"])
        #expect(names.ipAddresses == ["127.0.0.1", "::1"])
    }

    /// Entries that are neither a DNS-1123 subdomain nor an IP literal are refused, naming the entry.
    @Test(arguments: ["Hub.Example.com", "hub_1", "bad..name", "127.0.0.256", "-hub", "*.example.com"])
    func refusesBadNames(_ entry: String) {
        let error = #expect(throws: PKIError.self) { try ServerNames(parsing: ["localhost", entry]) }
        #expect(error?.code == .invalidName)
        #expect(error?.message.contains("\"\(entry)\"") == true)
    }

    /// A server certificate without names is refused.
    @Test func refusesEmptyList() {
        #expect(throws: PKIError(code: .invalidName, message: "")) { try ServerNames(parsing: []) }
    }
}
