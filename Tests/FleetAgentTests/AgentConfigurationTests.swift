import FleetAgent
import Foundation
import Testing

struct AgentConfigurationTests {
    static func valid() -> AgentConfiguration {
        AgentConfiguration(hubURL: "https://127.0.0.1:8443", cluster: "edge-1", caFile: "/etc/regfleet/ca.crt", stateDirectory: "/var/lib/regfleet", bootstrapToken: "t")
    }

    /// A configuration as the CLI builds it from correct flags passes validation.
    @Test func validConfigurationPasses() throws {
        try Self.valid().validate()
        var withFile = Self.valid()
        withFile.bootstrapToken = nil
        withFile.tokenFile = "/run/secrets/token"
        try withFile.validate()
    }

    /// Several replicas' URLs, comma-separated, are each checked and kept in order.
    @Test func severalHubReplicasAreAccepted() throws {
        var configuration = Self.valid()
        configuration.hubURL = "https://hub-0:8443, https://hub-1:8443,https://hub-2:8443/"
        try configuration.validate()
        #expect(configuration.hubURLs == ["https://hub-0:8443", "https://hub-1:8443", "https://hub-2:8443/"])
        #expect(HubEndpoints(configuration.hubURLs).urls.last == "https://hub-2:8443")
    }

    /// A failure moves the agent to the next replica once, however many loops report it, and wraps around.
    @Test func endpointsRotateOncePerFailure() {
        let endpoints = HubEndpoints(["https://a:1", "https://b:1", "https://c:1"])
        #expect(endpoints.current == "https://a:1")
        #expect(endpoints.failed("https://a:1") == "https://b:1")
        #expect(endpoints.failed("https://a:1") == "https://b:1", "a second loop's failure on a does not skip b")
        #expect(endpoints.failed("https://b:1") == "https://c:1")
        #expect(endpoints.failed("https://c:1") == "https://a:1")
        let single = HubEndpoints(["https://only:1"])
        #expect(single.failed("https://only:1") == "https://only:1")
    }

    /// One bad flag and the field its error must name.
    struct BadFlag: Sendable, CustomTestStringConvertible {
        let name: String
        let field: String
        let change: @Sendable (inout AgentConfiguration) -> Void
        var testDescription: String { name }

        init(_ name: String, _ field: String, _ change: @escaping @Sendable (inout AgentConfiguration) -> Void) {
            self.name = name
            self.field = field
            self.change = change
        }
    }

    static let badFlags: [BadFlag] = [
        BadFlag("cluster name with upper case", "cluster") { $0.cluster = "Edge_1" },
        BadFlag("empty cluster name", "cluster") { $0.cluster = "" },
        BadFlag("plain http hub", "hub") { $0.hubURL = "http://hub:8443" },
        BadFlag("hub with a path", "hub") { $0.hubURL = "https://hub:8443/v1" },
        BadFlag("second replica over plain http", "hub") { $0.hubURL = "https://hub-0:8443,http://hub-1:8443" },
        BadFlag("a replica named twice", "hub") { $0.hubURL = "https://hub-0:8443,https://hub-0:8443" },
        BadFlag("only commas", "hub") { $0.hubURL = " , " },
        BadFlag("both token sources", "bootstrap-token") { $0.tokenFile = "/tmp/token" },
        BadFlag("blank token", "bootstrap-token") { $0.bootstrapToken = "  " },
        BadFlag("no CA file", "ca-file") { $0.caFile = "" },
        BadFlag("no state directory", "state-dir") { $0.stateDirectory = "" },
        BadFlag("zero report interval", "report-interval") { $0.reportInterval = 0 },
        BadFlag("empty queue", "report-queue-limit") { $0.reportQueueLimit = 0 },
        BadFlag("renewal at the end of life", "renewal-fraction") { $0.renewalFraction = 1 },
    ]

    /// Each bad flag is refused with `invalidConfiguration` naming that flag.
    @Test(arguments: badFlags)
    func badConfigurationIsRefused(_ bad: BadFlag) {
        var configuration = Self.valid()
        bad.change(&configuration)
        do throws(AgentError) {
            try configuration.validate()
            Issue.record("\(bad.name) was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.field == bad.field, "\(bad.name): \(error)")
            #expect(!error.message.isEmpty)
        }
    }

    /// Without a token flag the agent cannot enroll, and says which flags would help.
    @Test func missingTokenIsAClearError() {
        var configuration = Self.valid()
        configuration.bootstrapToken = nil
        do throws(AgentError) {
            _ = try configuration.resolveBootstrapToken()
            Issue.record("a missing token was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.field == "bootstrap-token")
            #expect(error.message.contains("--token-file"))
        }
    }

    /// A token file is read and trimmed; an empty one is refused naming the file.
    @Test func tokenFileIsReadAndTrimmed() async throws {
        try await withTemporaryDirectory { directory in
            try FileManager.default.createDirectory(atPath: directory.root, withIntermediateDirectories: true)
            var configuration = Self.valid()
            configuration.bootstrapToken = nil
            configuration.tokenFile = directory.path("token")
            try "  secret-token\n".write(toFile: directory.path("token"), atomically: true, encoding: .utf8)
            #expect(try configuration.resolveBootstrapToken() == "secret-token")
            try "\n".write(toFile: directory.path("token"), atomically: true, encoding: .utf8)
            #expect(throws: AgentError(code: .invalidConfiguration, message: "")) { try configuration.resolveBootstrapToken() }
        }
    }
}
