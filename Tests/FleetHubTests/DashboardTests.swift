import FleetClient
import FleetHub
import FleetModel
import Foundation
import RegistryModel
import Testing

@Suite struct DashboardTests {
    /// Renders a page in headless Chromium (Debian's package) and returns the DOM it built.
    static func renderInChromium(_ url: String, screenshot: String? = nil, virtualTime: Int? = nil, width: Int = 1280) async throws -> String {
        let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("headless Chromium is not installed (scripts/install-deps.sh installs Debian's chromium)")
            throw CancellationError()
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        var arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=\(profile.path)",
            "--window-size=\(width),900",
        ]
        // Lets the page's timers (its live refresh) run before the DOM is dumped.
        if let virtualTime { arguments.append("--virtual-time-budget=\(virtualTime)") }
        if let screenshot { arguments.append("--screenshot=\(screenshot)") } else { arguments.append("--dump-dom") }
        let command = arguments + [url]
        let (status, data) = try await ChildProcess.run(binary, command, standardError: .discarded)
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

    /// The cluster page (linked from the table) shows state, conditions, workloads and each policy field with
    /// its source; the rollout page (linked from the rollouts table) shows waves, each cluster's state and
    /// the time left; unknown names get a 404 page; a bad selector keeps the rest of the front page.
    @Test func clusterAndRolloutPagesDrillDown() async throws {
        try await withHub(dashboard: true) { (hub: HubFixture) async throws in
            _ = try await hub.admin.applyFleetPolicy(
                "prod", FleetPolicySpec(selector: "env=prod", template: FleetPolicy(pruner: PrunerPolicy(schedule: "0 3 * * *"))))
            let agents = try await FleetResponder.enroll(hub, count: 3) { ["env": $0 == 0 ? "prod" : "dev"] }
            let responder = FleetResponder(hub: hub, agents: agents) { name, _ in name == "c01" ? .degraded : .healthy }
            try await responder.report()
            guard case .created(let rollout) = try await hub.server.rollouts.create(RolloutEngineTests.plan(canary: nil, deadline: 900), actor: "admin/test")
            else { throw HubError(.internalError, "expected a rollout") }
            try await hub.server.rollouts.tick()
            let port = try #require(hub.server.dashboardPort)
            let base = "http://127.0.0.1:\(port)"
            let front = try await Self.renderInChromium(base + "/")
            #expect(front.contains("href=\"/clusters/c01\""))
            #expect(front.contains("href=\"/rollouts/\(rollout.id)\""))

            let cluster = try await Self.renderInChromium(base + "/clusters/c01")
            #expect(cluster.contains("<title>c01 — RegistryFleet</title>"))
            #expect(cluster.contains("ImagePullFailed"))
            #expect(cluster.contains("cannot pull image"))
            #expect(cluster.contains("id=\"reports\""))
            let prod = try await Self.renderInChromium(base + "/clusters/c00")
            #expect(prod.contains("fleet-policy/prod"), "the policy table names each field's source")

            let page = try await Self.renderInChromium(base + "/rollouts/\(rollout.id)")
            #expect(page.contains("id=\"waves\""))
            #expect(page.contains("href=\"/clusters/c02\""))
            #expect(page.contains("deadline in "), "an applying cluster shows its time left")

            let missing = try await hub.admin.connection.send(.GET, "/clusters/nope")
            #expect(missing.status == 404)
            #expect(String(decoding: missing.body, as: UTF8.self).contains("No cluster nope"))
            #expect(try await hub.admin.connection.send(.GET, "/rollouts/nope").status == 404)

            let bad = try await Self.renderInChromium(base + "/?selector=env%20in%20(")
            #expect(bad.contains("class=\"error\""))
            #expect(bad.contains(rollout.id), "a bad selector keeps the rollouts section")
        }
    }

    /// The front page updates in place: its live sections are fetched again while the page stays loaded
    /// (the counter grows, the typed search stays and still filters), sorting and the pruning window are links
    /// and options, ages are human, and the page lays out at phone width.
    @Test func frontPageUpdatesLiveAndKeepsTheFilter() async throws {
        try await withHub(dashboard: true) { (hub: HubFixture) async throws in
            let agents = try await FleetResponder.enroll(hub, count: 3)
            try await FleetResponder(hub: hub, agents: agents) { _, _ in .healthy }.report()
            hub.clock.advance(by: 125)
            let port = try #require(hub.server.dashboardPort)
            let dom = try await Self.renderInChromium("http://127.0.0.1:\(port)/?q=c02&sort=state&window=7d", virtualTime: 12_000, width: 420)
            let updates = dom.range(of: #"data-updates="(\d+)""#, options: .regularExpression).map { String(dom[$0]).filter(\.isNumber) }
            #expect((updates.flatMap { Int($0) } ?? 0) >= 1, "the live sections were fetched again: \(updates ?? "none")")
            #expect(dom.contains("id=\"search\" name=\"q\" value=\"c02\""), "the filter input keeps its text")
            #expect(dom.contains(">c02</a>"))
            #expect(!dom.contains(">c01</a>"), "the search still filters after the update")
            #expect(dom.contains("2m ago"), "ages read as people say them")
            #expect(dom.contains("reclaimable by pruning, last 7d"))
            #expect(dom.contains("href=\"/?sort=name&amp;q=c02&amp;window=7d\""), "sort links keep the filters")
            let source = String(decoding: try await hub.admin.connection.send(.GET, "/").body, as: UTF8.self)
            #expect(!source.contains("http-equiv=\"refresh\""), "no full-page reload")
        }
    }
}
