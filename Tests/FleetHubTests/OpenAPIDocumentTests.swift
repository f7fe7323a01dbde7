import FleetAPI
import FleetHub
import Crypto
import Foundation
import Testing
import Yams

@Suite struct OpenAPIDocumentTests {
    /// Every registered route is in the OpenAPI document with its method, and nothing else is; open routes declare no security.
    @Test func documentMatchesRoutes() async throws {
        let hub = try await HubFixture.start()
        let routes = try buildHubRouter(services: hub.services, rollouts: hub.server.rollouts).routes
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

/// The generated code and the served document come from the document and configuration in the tree.
@Suite struct GeneratedAPICodeTests {
    static let api = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/FleetAPI").standardized

    /// Editing openapi.yaml or the generator's configuration without running scripts/generate-api.sh fails here.
    @Test func generatedCodeIsFromTheDocumentInTheTree() throws {
        let document = try Data(contentsOf: Self.api.appendingPathComponent("openapi.yaml"))
        let configuration = try Data(contentsOf: Self.api.appendingPathComponent("openapi-generator-config.yaml"))
        let stale = "Sources/FleetAPI/Generated is stale: run scripts/generate-api.sh"
        #expect(Self.hex(SHA256.hash(data: document)) == OpenAPIDocument.generatedFrom.document, "\(stale)")
        #expect(Self.hex(SHA256.hash(data: configuration)) == OpenAPIDocument.generatedFrom.configuration, "\(stale)")
        #expect(OpenAPIDocument.yaml + "\n" == String(decoding: document, as: UTF8.self), "\(stale)")
    }

    /// Every operation has an id (the generated client's method name) and every JSON body is a named schema,
    /// so it decodes into a model type, not an anonymous generated one.
    @Test func everyOperationIsNamedAndEveryJSONBodyIsAComponent() throws {
        let document = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for (path, operations) in paths {
            for (method, value) in operations {
                let operation = try #require(value as? [String: Any])
                #expect(operation["operationId"] is String, "\(method) \(path) has no operationId")
                var bodies: [(String, Any)] = []
                if let body = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any] { bodies.append(("request", body)) }
                for (status, response) in operation["responses"] as? [String: Any] ?? [:] {
                    if let content = (response as? [String: Any])?["content"] as? [String: Any] { bodies.append((status, content)) }
                }
                for (which, content) in bodies {
                    guard let json = (content as? [String: Any])?["application/json"] as? [String: Any] else { continue }
                    let reference = (json["schema"] as? [String: Any])?["$ref"] as? String
                    #expect(reference?.hasPrefix("#/components/schemas/") == true, "\(method) \(path) \(which): the JSON body is not a named schema")
                }
            }
        }
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
