import FleetHub
import Foundation
import Testing
import Yams

@Suite struct OpenAPIDocumentTests {
    /// Every registered route is in the OpenAPI document with its method, and nothing else is; open routes declare no security.
    @Test func documentMatchesRoutes() async throws {
        let hub = try await HubFixture.start()
        let routes = buildHubRouter(services: hub.services, rollouts: hub.server.rollouts).routes
        await hub.stop()
        let document = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var documented: Set<String> = []
        for (path, operations) in paths {
            for (method, operation) in operations {
                documented.insert("\(method.uppercased()) \(path)")
                let security = (operation as? [String: Any])?["security"] as? [Any]
                let route = routes.first { $0.method == method.uppercased() && Self.openAPIPath($0.path) == path }
                if route?.access == .anyone { #expect(security?.isEmpty == true, "\(method) \(path) should declare security: []") }
                if route?.access == .agent { #expect(security != nil && security?.isEmpty == false, "\(method) \(path) should declare the agent certificate") }
            }
        }
        let registered = Set(routes.map { "\($0.method) \(Self.openAPIPath($0.path))" })
        #expect(registered == documented, "missing: \(registered.subtracting(documented)), extra: \(documented.subtracting(registered))")
    }

    static func openAPIPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }
}
