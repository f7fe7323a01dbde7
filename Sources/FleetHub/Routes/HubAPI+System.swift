import FleetAPI
import OpenAPIRuntime
import FleetStore
import Foundation
import RegistryModel

/// Liveness, readiness, the OpenAPI document and metrics: no client certificate needed.
extension HubAPI {
    func liveness(_ input: Operations.Liveness.Input) async throws -> Operations.Liveness.Output {
        .ok(.init(body: .plainText(HTTPBody(text: "ok\n"))))
    }

    func readiness(_ input: Operations.Readiness.Input) async throws -> Operations.Readiness.Output {
        guard services.store.ingestStatistics.queued < 100_000 else {
            throw HubError(.unavailable, "report queue is saturated")
        }
        // A round trip to the database: a replica that cannot reach it leaves the Service.
        try await storeCall { () async throws(StoreError) in try await services.store.ping() }
        return .ok(.init(body: .plainText(HTTPBody(text: "ready\n"))))
    }

    func openAPIDocument(_ input: Operations.OpenAPIDocument.Input) async throws -> Operations.OpenAPIDocument.Output {
        .ok(.init(body: .yaml(HTTPBody(text: OpenAPIDocument.yaml))))
    }

    func metrics(_ input: Operations.Metrics.Input) async throws -> Operations.Metrics.Output {
        try await services.refreshFleetMetrics()
        return .ok(.init(body: .plainText(HTTPBody(text: services.metrics.render()))))
    }
}
