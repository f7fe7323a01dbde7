import FleetModel
import Foundation
import Hummingbird
import RegistryModel

/// Fleet policies (standing rules by label selector), each cluster's effective policy, and change freezes.
enum FleetPolicyRoutes {
    static func register(_ routes: RouteRegistry, services: HubServices) {
        let limit = services.configuration.adminBodyLimit
        routes.add(.get, "/v1/fleet-policies", access: .admin) { request, context in
            try JSONResponse(FleetPolicyList(fleetPolicies: await services.fleetPolicies())).response(from: request, context: context)
        }
        routes.add(.get, "/v1/fleet-policies/:name", access: .admin) { request, context in
            try JSONResponse(await services.fleetPolicy(context.parameters.require("name"))).response(from: request, context: context)
        }
        routes.add(.put, "/v1/fleet-policies/:name", access: .admin) { request, context in
            var request = request
            let spec = try await request.decodeStrict(FleetPolicySpec.self, limit: limit)
            let dryRun = request.uri.queryParameters.get("dryRun") == "true"
            switch try await services.applyFleetPolicy(context.parameters.require("name"), spec: spec, dryRun: dryRun, actor: context.caller.actor) {
            case .preview(let preview):
                return try JSONResponse(preview).response(from: request, context: context)
            case .applied(let written):
                let status: HTTPResponse.Status = written.changed && written.policy.generation == 1 ? .created : .ok
                return try JSONResponse(written.policy, status: status).response(from: request, context: context)
            }
        }
        routes.add(.delete, "/v1/fleet-policies/:name", access: .admin) { request, context in
            try JSONResponse(await services.deleteFleetPolicy(context.parameters.require("name"), actor: context.caller.actor))
                .response(from: request, context: context)
        }
        routes.add(.get, "/v1/clusters/:name/policy/effective", access: .admin) { request, context in
            try JSONResponse(await services.effectivePolicy(cluster: context.parameters.require("name"))).response(from: request, context: context)
        }
        routes.add(.get, "/v1/freezes", access: .admin) { request, context in
            try JSONResponse(FreezeList(freezes: await services.freezes())).response(from: request, context: context)
        }
        routes.add(.put, "/v1/freezes/:name", access: .admin) { request, context in
            var request = request
            let body = try await request.decodeStrict(FreezeRequest.self, limit: limit)
            let freeze = try await services.putFreeze(context.parameters.require("name"), request: body, actor: context.caller.actor)
            return try JSONResponse(freeze).response(from: request, context: context)
        }
        routes.add(.delete, "/v1/freezes/:name", access: .admin) { request, context in
            try JSONResponse(await services.deleteFreeze(context.parameters.require("name"), actor: context.caller.actor))
                .response(from: request, context: context)
        }
    }
}
