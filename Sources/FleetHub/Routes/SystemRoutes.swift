import FleetAPI
import FleetStore
import Foundation
import Hummingbird
import RegistryModel

/// Liveness, readiness, the OpenAPI document and metrics: no client certificate needed.
enum SystemRoutes {
    static func register(_ routes: RouteRegistry, services: HubServices) {
        routes.add(.get, "/healthz", access: .anyone) { _, _ in
            textResponse("ok\n", contentType: "text/plain")
        }
        routes.add(.get, "/readyz", access: .anyone) { _, _ in
            guard services.store.ingestStatistics.queued < 100_000 else {
                throw HubError(.unavailable, "report queue is saturated")
            }
            // A round trip to the database: a replica that cannot reach it leaves the Service.
            try await storeCall { () async throws(StoreError) in try await services.store.ping() }
            return textResponse("ready\n", contentType: "text/plain")
        }
        routes.add(.get, "/v1/openapi.yaml", access: .anyone) { _, _ in
            textResponse(OpenAPIDocument.yaml, contentType: "application/yaml")
        }
        routes.add(.get, "/metrics", access: .anyone) { _, _ in
            try await services.refreshFleetMetrics()
            return textResponse(services.metrics.render(), contentType: "text/plain; version=0.0.4")
        }
    }

    static func textResponse(_ text: String, contentType: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
