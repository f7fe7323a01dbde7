import Foundation
import KubeClient
import RegistryModel

/// The aggregator's availability check: an APIService is Available when its Service exists and
/// selects at least one Ready pod (reason `Passed`), else False with `ServiceNotFound` or
/// `MissingEndpoints`. APIServices without a service are `Local` and always available.
enum APIServiceController {
    /// Updates the Available condition of every APIService.
    static func reconcile(_ server: inout APIServer, _ round: inout ControllerRound) {
        let apiServices = server.store.items(.apiServices)
        guard !apiServices.isEmpty else { return }
        for apiService in apiServices where !apiService.isTerminating {
            let (status, reason, message) = availability(of: apiService, server)
            var conditions = ConditionList(apiService.field("status", "conditions"))
            conditions.set("Available", status, reason: reason, message: message, now: round.now)
            var newStatus = apiService.status ?? .object([:])
            newStatus["conditions"] = conditions.json
            server.writeStatus(.apiServices, apiService.key, newStatus)
        }
    }

    /// Available's status, reason and message for an APIService, from the Service and its pods now.
    static func availability(of apiService: KubeObject, _ server: APIServer) -> (String, String, String) {
        guard let reference = apiService.field("spec", "service"), let name = reference["name"]?.stringValue else {
            return ("True", "Local", "Local APIServices are always available")
        }
        let namespace = reference["namespace"]?.stringValue ?? ""
        guard let service = server.store.object(.services, ObjectKey(namespace: namespace, name: name)) else {
            return ("False", "ServiceNotFound", "service/\(name) in \"\(namespace)\" is not present")
        }
        let selector = service.field("spec", "selector")?.stringMap ?? [:]
        let portName = service.field("spec", "ports")?.arrayValue?.first?["name"]?.stringValue ?? ""
        let hasEndpoint =
            !selector.isEmpty
            && server.store.items(.pods, namespace: namespace).contains { pod in
                !pod.isTerminating && pod.isPodReady && LabelSelector(matchLabels: selector).matches(pod.labels)
            }
        guard hasEndpoint else {
            return ("False", "MissingEndpoints", "endpoints for service/\(name) in \"\(namespace)\" have no addresses with port name \"\(portName)\"")
        }
        return ("True", "Passed", "all checks passed")
    }
}
