import FleetAPI
import FleetModel
import Foundation
import RegistryModel

/// Fleet policies (standing rules by label selector), each cluster's effective policy, and change freezes.
extension HubAPI {
    func listFleetPolicies(_ input: Operations.ListFleetPolicies.Input) async throws -> Operations.ListFleetPolicies.Output {
        .ok(.init(body: .json(FleetPolicyList(fleetPolicies: try await services.fleetPolicies()))))
    }

    func getFleetPolicy(_ input: Operations.GetFleetPolicy.Input) async throws -> Operations.GetFleetPolicy.Output {
        .ok(.init(body: .json(try await services.fleetPolicy(input.path.name))))
    }

    func applyFleetPolicy(_ input: Operations.ApplyFleetPolicy.Input) async throws -> Operations.ApplyFleetPolicy.Output {
        let spec = switch input.body { case .json(let spec): spec }
        switch try await services.applyFleetPolicy(input.path.name, spec: spec, dryRun: input.query.dryRun ?? false, actor: caller.actor) {
        case .preview(let preview):
            return .ok(.init(body: .json(.preview(preview))))
        case .applied(let written) where written.changed && written.policy.generation == 1:
            return .created(.init(body: .json(written.policy)))
        case .applied(let written):
            return .ok(.init(body: .json(.stored(written.policy))))
        }
    }

    func deleteFleetPolicy(_ input: Operations.DeleteFleetPolicy.Input) async throws -> Operations.DeleteFleetPolicy.Output {
        .ok(.init(body: .json(try await services.deleteFleetPolicy(input.path.name, actor: caller.actor))))
    }

    func getEffectivePolicy(_ input: Operations.GetEffectivePolicy.Input) async throws -> Operations.GetEffectivePolicy.Output {
        .ok(.init(body: .json(try await services.effectivePolicy(cluster: input.path.name))))
    }

    func listFreezes(_ input: Operations.ListFreezes.Input) async throws -> Operations.ListFreezes.Output {
        .ok(.init(body: .json(FreezeList(freezes: try await services.freezes()))))
    }

    func putFreeze(_ input: Operations.PutFreeze.Input) async throws -> Operations.PutFreeze.Output {
        let body = switch input.body { case .json(let body): body }
        return .ok(.init(body: .json(try await services.putFreeze(input.path.name, request: body, actor: caller.actor))))
    }

    func deleteFreeze(_ input: Operations.DeleteFreeze.Input) async throws -> Operations.DeleteFreeze.Output {
        .ok(.init(body: .json(try await services.deleteFreeze(input.path.name, actor: caller.actor))))
    }
}
