import FleetAPI
import FleetModel
import Foundation
import RegistryModel

/// The admin API: tokens, certificates, clusters, labels, policies, prune results and the audit log.
extension HubAPI {
    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        let body = switch input.body { case .json(let body): body }
        return .created(.init(body: .json(try await services.createToken(body, actor: caller.actor))))
    }

    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        .ok(.init(body: .json(TokenList(tokens: try await services.tokens(cluster: input.query.cluster)))))
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        try await services.revokeToken(id: input.path.id, actor: caller.actor)
        return .noContent(.init())
    }

    func revokeCertificate(_ input: Operations.RevokeCertificate.Input) async throws -> Operations.RevokeCertificate.Output {
        let body = switch input.body { case .json(let body): body }
        return .ok(.init(body: .json(try await services.revokeCertificate(body, caller: caller))))
    }

    func listClusters(_ input: Operations.ListClusters.Input) async throws -> Operations.ListClusters.Output {
        let query = input.query
        // Without limit and continue the whole list, as before paging existed.
        guard let limit = query.limit ?? (query._continue == nil ? nil : 500) else {
            let summaries = try await services.clusterSummaries(selector: try LabelSelector(query: query.selector))
            return .ok(.init(body: .json(ClusterList(clusters: summaries))))
        }
        let page = try await services.clusterPage(selector: query.selector ?? "", limit: limit, continueToken: query._continue)
        return .ok(.init(body: .json(page)))
    }

    func getCluster(_ input: Operations.GetCluster.Input) async throws -> Operations.GetCluster.Output {
        .ok(.init(body: .json(try await services.clusterDetail(input.path.name))))
    }

    func deleteCluster(_ input: Operations.DeleteCluster.Input) async throws -> Operations.DeleteCluster.Output {
        let revoked = try await services.deleteCluster(input.path.name, actor: caller.actor)
        return .ok(.init(body: .json(ClusterDeletion(revokedSerials: revoked))))
    }

    func setClusterLabels(_ input: Operations.SetClusterLabels.Input) async throws -> Operations.SetClusterLabels.Output {
        let body = switch input.body { case .json(let body): body }
        return .ok(.init(body: .json(try await services.setLabels(cluster: input.path.name, labels: body.labels, actor: caller.actor))))
    }

    func getPolicy(_ input: Operations.GetPolicy.Input) async throws -> Operations.GetPolicy.Output {
        .ok(.init(body: .json(try await services.policy(cluster: input.path.name))))
    }

    func putPolicy(_ input: Operations.PutPolicy.Input) async throws -> Operations.PutPolicy.Output {
        let body = switch input.body { case .json(let body): body }
        return .ok(.init(body: .json(try await services.putPolicy(cluster: input.path.name, request: body, actor: caller.actor).document)))
    }

    func listPruneResults(_ input: Operations.ListPruneResults.Input) async throws -> Operations.ListPruneResults.Output {
        let query = input.query
        return .ok(.init(body: .json(try await services.pruneResults(cluster: query.cluster, since: query.since, limit: query.limit ?? 100))))
    }

    func listAudit(_ input: Operations.ListAudit.Input) async throws -> Operations.ListAudit.Output {
        let query = input.query
        let entries = try await services.audit(limit: query.limit ?? 100, since: query.since, actor: query.actor)
        return .ok(.init(body: .json(AuditLog(entries: entries))))
    }

    func fleetHealth(_ input: Operations.FleetHealth.Input) async throws -> Operations.FleetHealth.Output {
        .ok(.init(body: .json(try await services.health(selector: try LabelSelector(query: input.query.selector)))))
    }
}
