import FleetAPI
import FleetModel
import Foundation
import RegistryModel

/// Staged, health-gated rollouts: the engine decides, these only translate.
extension HubAPI {
    func createRollout(_ input: Operations.CreateRollout.Input) async throws -> Operations.CreateRollout.Output {
        var plan = switch input.body { case .json(let plan): plan }
        if input.query.dryRun == true { plan.dryRun = true }
        switch try await engine.create(plan, actor: caller.actor) {
        case .created(let rollout): return .created(.init(body: .json(rollout)))
        case .preview(let preview): return .ok(.init(body: .json(preview)))
        }
    }

    func listRollouts(_ input: Operations.ListRollouts.Input) async throws -> Operations.ListRollouts.Output {
        .ok(.init(body: .json(RolloutList(rollouts: try await engine.list()))))
    }

    func getRollout(_ input: Operations.GetRollout.Input) async throws -> Operations.GetRollout.Output {
        .ok(.init(body: .json(try await engine.get(input.path.id))))
    }

    func pauseRollout(_ input: Operations.PauseRollout.Input) async throws -> Operations.PauseRollout.Output {
        .ok(.init(body: .json(try await control(input.path.id, .pause))))
    }

    func resumeRollout(_ input: Operations.ResumeRollout.Input) async throws -> Operations.ResumeRollout.Output {
        .ok(.init(body: .json(try await control(input.path.id, .resume))))
    }

    func abortRollout(_ input: Operations.AbortRollout.Input) async throws -> Operations.AbortRollout.Output {
        .ok(.init(body: .json(try await control(input.path.id, .abort))))
    }

    func rollbackRollout(_ input: Operations.RollbackRollout.Input) async throws -> Operations.RollbackRollout.Output {
        .ok(.init(body: .json(try await control(input.path.id, .rollback))))
    }

    private func control(_ id: String, _ action: RolloutAction) async throws -> Rollout {
        try await engine.control(id, action: action, actor: caller.actor)
    }
}
