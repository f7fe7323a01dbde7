import Foundation
import Hummingbird
import RegistryModel

/// `GET /v1/health`: fleet counts and unhealthy clusters.
enum HealthRoutes {
    static func register(_ routes: RouteRegistry, services: HubServices, access: RouteAccess = .admin) {
        routes.add(.get, "/v1/health", access: access) { request, context in
            let selector = try AdminRoutes.labelSelector(request)
            return try JSONResponse(await services.health(selector: selector)).response(from: request, context: context)
        }
    }
}
