import FleetModel
import Foundation
import Hummingbird
import RegistryModel

/// Staged, health-gated rollouts.
enum RolloutRoutes {
    static func register(_ routes: RouteRegistry, services: HubServices, engine: RolloutEngine) {
        routes.add(.post, "/v1/rollouts", access: .admin) { request, context in
            var request = request
            var plan = try await request.decodeStrict(RolloutPlan.self, limit: services.configuration.adminBodyLimit)
            if request.uri.queryParameters.get("dryRun") == "true" { plan.dryRun = true }
            switch try await engine.create(plan, actor: context.caller.actor) {
            case .created(let rollout): return try JSONResponse(rollout, status: .created).response(from: request, context: context)
            case .preview(let preview): return try JSONResponse(preview).response(from: request, context: context)
            }
        }
        routes.add(.get, "/v1/rollouts", access: .admin) { request, context in
            try JSONResponse(RolloutList(rollouts: await engine.list())).response(from: request, context: context)
        }
        routes.add(.get, "/v1/rollouts/:id", access: .admin) { request, context in
            try JSONResponse(await engine.get(context.parameters.require("id"))).response(from: request, context: context)
        }
        for action in RolloutEngine.Action.allCases {
            routes.add(.post, "/v1/rollouts/:id/\(action.rawValue)", access: .admin) { request, context in
                let rollout = try await engine.control(context.parameters.require("id"), action: action, actor: context.caller.actor)
                return try JSONResponse(rollout).response(from: request, context: context)
            }
        }
    }
}
