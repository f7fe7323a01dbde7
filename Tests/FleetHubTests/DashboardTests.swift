import FleetClient
import FleetHub
import Foundation
import RegistryModel
import Testing

@Suite struct DashboardTests {
    /// Renders a page in headless Chromium (Debian's package) and returns the DOM it built.
    static func renderInChromium(_ url: String, screenshot: String? = nil) async throws -> String {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("headless Chromium is not installed (scripts/install-deps.sh installs Debian's chromium)")
            throw CancellationError()
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        var arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(profile.path)",
            "--window-size=1280,900",
        ]
        if let screenshot { arguments.append("--screenshot=\(screenshot)") } else { arguments.append("--dump-dom") }
        let command = arguments + [url]
        // Chromium takes seconds; waiting for it must not hold one of the cooperative threads.
        let (data, status) = try await BlockingCall.run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = command
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (data, process.terminationStatus)
        }
        #expect(status == 0)
        return String(decoding: data, as: UTF8.self)
    }

    /// The dashboard, opened in a real browser without a client certificate, shows an injected Degraded cluster with its reason, counts, and filters by state and label.
    @Test func showsDegradedClusterInBrowser() async throws {
        try await withHub(dashboard: true) { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 4) { ["env": $0 < 2 ? "prod" : "staging"] }
            let responder = FleetResponder(hub: hub, agents: agents) { name, _ in name == "c01" ? .degraded : .healthy }
            try await responder.report()
            let port = try #require(hub.server.dashboardPort)
            let dom = try await Self.renderInChromium("http://127.0.0.1:\(port)/")
            #expect(dom.contains("<title>RegistryFleet — 4 clusters</title>"))
            let degradedRow = try #require(dom.components(separatedBy: "<tr").first { $0.contains("data-state=\"Degraded\"") })
            #expect(degradedRow.contains("c01"))
            #expect(degradedRow.contains("ImagePullFailed"))
            #expect(degradedRow.contains("cannot pull image"))
            #expect(dom.components(separatedBy: "data-state=\"Healthy\"").count - 1 == 3)
            let source = String(decoding: try await hub.admin.connection.send(.GET, "/").body, as: UTF8.self)
            for external in ["http://", "https://", "src=", "<link", "@import", "url("] {
                #expect(!source.contains(external), "the page loads something from elsewhere: \(external)")
            }

            let filtered = try await Self.renderInChromium("http://127.0.0.1:\(port)/?state=Degraded")
            #expect(filtered.contains("c01"))
            #expect(!filtered.contains("data-state=\"Healthy\""))
            let staging = try await Self.renderInChromium("http://127.0.0.1:\(port)/?selector=env%3Dstaging")
            #expect(staging.contains(">c02<") && staging.contains(">c03<"))
            #expect(!staging.contains(">c01<"))
        }
    }

    /// On the mutual-TLS listener the dashboard is an admin route; the dashboard listener serves only read-only routes.
    @Test func dashboardAccess() async throws {
        try await withHub(dashboard: true) { (hub: HubFixture) async throws in
            #expect(try await hub.anonymous.send(.GET, "/").status == 401)
            #expect(try await hub.admin.connection.send(.GET, "/").status == 200)
            let port = try #require(hub.server.dashboardPort)
            let plain = try HubConnection(baseURL: "http://127.0.0.1:\(port)", caCertificatePEM: try hub.pki.loadCACertificatePEM(), clientCertificatePEM: nil, clientKeyPEM: nil)
            _ = hub.track(plain)
            #expect(try await plain.send(.GET, "/v1/health").status == 200)
            #expect(try await plain.send(.GET, "/v1/clusters").status == 404)
            #expect(try await plain.send(.PUT, "/v1/clusters/x/policy", body: Data("{}".utf8)).status == 404)
        }
    }
}
