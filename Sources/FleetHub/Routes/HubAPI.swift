import FleetAPI
import FleetModel
import Foundation
import OpenAPIRuntime
import RegistryModel

/// The hub's side of the generated server interface: one method per operation of the document, each
/// a thin call into `HubServices` or the rollout engine. Adding an endpoint is an edit of openapi.yaml,
/// `scripts/generate-api.sh` and one method here (the compiler asks for it). Access, strict body decoding
/// and error bodies are `HubServerTransport`'s; a handler reports failure by throwing `HubError`.
struct HubAPI: APIProtocol {
    let services: HubServices
    /// Nil on the dashboard listener, which serves no rollout operation.
    let rollouts: RolloutEngine?

    /// Who called: an admin, an agent (with its cluster) or anyone, as the transport established it.
    var caller: Caller { RequestScope.current.caller }

    /// The engine, which every rollout operation needs.
    var engine: RolloutEngine {
        get throws {
            guard let rollouts else { throw HubError(.notFound, "rollouts are not served on this listener") }
            return rollouts
        }
    }
}

extension LabelSelector {
    /// `?selector=env=prod,region in (eu)`; 400 naming the parameter when it does not parse.
    init(query text: String?) throws(HubError) {
        guard let text else {
            self = .everything
            return
        }
        do {
            self = try LabelSelector(parsing: text)
        } catch {
            throw HubError(.badRequest, error.message, field: "selector")
        }
    }
}

extension HTTPBody {
    /// A text answer (HTML, YAML, Prometheus exposition).
    convenience init(text: String) {
        self.init(Array(text.utf8))
    }
}
