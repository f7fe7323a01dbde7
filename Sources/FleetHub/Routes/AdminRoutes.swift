import FleetModel
import Foundation
import Hummingbird
import RegistryModel

/// The admin API: tokens, clusters, labels, policies, prune results and the audit log.
enum AdminRoutes {
    static func register(_ routes: RouteRegistry, services: HubServices) {
        let limit = services.configuration.adminBodyLimit
        routes.add(.post, "/v1/tokens", access: .admin) { request, context in
            var request = request
            let body = try await request.decodeStrict(TokenRequest.self, limit: limit)
            return try JSONResponse(await services.createToken(body, actor: context.caller.actor), status: .created).response(from: request, context: context)
        }
        routes.add(.get, "/v1/tokens", access: .admin) { request, context in
            let cluster = request.uri.queryParameters.get("cluster")
            return try JSONResponse(TokenList(tokens: await services.tokens(cluster: cluster))).response(from: request, context: context)
        }
        routes.add(.delete, "/v1/tokens/:id", access: .admin) { request, context in
            try await services.revokeToken(id: context.parameters.require("id"), actor: context.caller.actor)
            return Response(status: .noContent)
        }
        routes.add(.post, "/v1/certificates/revoke", access: .admin) { request, context in
            var request = request
            let body = try await request.decodeStrict(CertificateRevocationRequest.self, limit: limit)
            let revoked = try await services.revokeCertificate(body, caller: context.caller)
            return try JSONResponse(revoked).response(from: request, context: context)
        }
        routes.add(.get, "/v1/clusters", access: .admin) { request, context in
            let query = request.uri.queryParameters
            let continueToken = query.get("continue")
            // Without limit and continue the whole list, as before paging existed.
            guard let limit = try query.integer("limit") ?? (continueToken == nil ? nil : 500) else {
                let selector = try labelSelector(request)
                return try JSONResponse(ClusterList(clusters: await services.clusterSummaries(selector: selector))).response(from: request, context: context)
            }
            let page = try await services.clusterPage(
                selector: query.get("selector") ?? "", limit: Int(clamping: limit), continueToken: continueToken)
            return try JSONResponse(page).response(from: request, context: context)
        }
        routes.add(.get, "/v1/clusters/:name", access: .admin) { request, context in
            try JSONResponse(await services.clusterDetail(context.parameters.require("name"))).response(from: request, context: context)
        }
        routes.add(.delete, "/v1/clusters/:name", access: .admin) { request, context in
            let revoked = try await services.deleteCluster(context.parameters.require("name"), actor: context.caller.actor)
            return try JSONResponse(["revokedSerials": revoked]).response(from: request, context: context)
        }
        routes.add(.put, "/v1/clusters/:name/labels", access: .admin) { request, context in
            var request = request
            let body = try await request.decodeStrict(LabelsUpdate.self, limit: limit)
            let summary = try await services.setLabels(cluster: context.parameters.require("name"), labels: body.labels, actor: context.caller.actor)
            return try JSONResponse(summary).response(from: request, context: context)
        }
        routes.add(.get, "/v1/clusters/:name/policy", access: .admin) { request, context in
            try JSONResponse(await services.policy(cluster: context.parameters.require("name"))).response(from: request, context: context)
        }
        routes.add(.put, "/v1/clusters/:name/policy", access: .admin) { request, context in
            var request = request
            let body = try await request.decodeStrict(PolicyUpdateRequest.self, limit: limit)
            let update = try await services.putPolicy(cluster: context.parameters.require("name"), request: body, actor: context.caller.actor)
            return try JSONResponse(update.document).response(from: request, context: context)
        }
        routes.add(.get, "/v1/prune-results", access: .admin) { request, context in
            let query = request.uri.queryParameters
            let results = try await services.pruneResults(
                cluster: query.get("cluster"), since: try query.time("since"), limit: Int(clamping: try query.integer("limit") ?? 100))
            return try JSONResponse(results).response(from: request, context: context)
        }
        routes.add(.get, "/v1/audit", access: .admin) { request, context in
            let query = request.uri.queryParameters
            let entries = try await services.audit(limit: Int(try query.integer("limit") ?? 100), since: try query.time("since"), actor: query.get("actor"))
            return try JSONResponse(["entries": entries]).response(from: request, context: context)
        }
    }

    /// `?selector=env=prod,region in (eu)`; 400 naming the parameter when it does not parse.
    static func labelSelector(_ request: Request) throws -> LabelSelector {
        guard let text = request.uri.queryParameters.get("selector") else { return .everything }
        do {
            return try LabelSelector(parsing: text)
        } catch {
            throw HubError(.badRequest, error.message, field: "selector")
        }
    }
}
