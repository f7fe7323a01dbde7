import KubeClient

/// The failures a test or the demo has asked a `SimulatedCluster` to produce.
struct FaultInjection: Sendable {
    /// Random API errors for some verbs and resources.
    struct APIErrors: Sendable {
        var rate: Double
        var status: Int
        var verbs: Set<APIVerb>
        var resources: Set<ResourceType>?
    }

    /// Jobs in a namespace whose name starts with a prefix fail.
    struct JobFailure: Sendable, Hashable {
        var namespace: String
        var namePrefix: String
        var message: String
    }

    /// The API error rule, if any.
    var apiErrors: APIErrors?
    /// Set while clients cannot reach the API server: why their connections fail.
    var unreachable: String?
    /// Delay before each client request is served.
    var latency: Duration = .zero
    /// Messages by Deployment (namespace and name) whose pods cannot pull their images.
    var imagePullFailures: [ObjectKey: String] = [:]
    /// Rules that fail Jobs by namespace and name prefix.
    var jobFailures: [JobFailure] = []
    /// Draws for API errors, separate from name generation so a fault schedule does not depend
    /// on how many objects were created.
    var random: SeededRandom

    /// The injected error for one client request, if this request is chosen to fail.
    mutating func apiError(_ verb: APIVerb, _ resource: ResourceType) -> KubeError? {
        if let unreachable { return Self.unreachableError(unreachable) }
        guard let errors = apiErrors, errors.verbs.contains(verb), errors.resources?.contains(resource) ?? true else { return nil }
        guard random.unitInterval() < errors.rate else { return nil }
        switch errors.status {
        case 409:
            return KubeError(
                code: .conflict, status: 409,
                message:
                    "Operation cannot be fulfilled on \(resource.qualifiedPlural): the object has been modified; "
                    + "please apply your changes to the latest version and try again (injected)"
            )
        case 429:
            return KubeError(
                code: .tooManyRequests, status: 429, message: "Too many requests, please try again later. (injected)", retryAfterSeconds: 1)
        default:
            return KubeError(
                code: KubeError.code(forStatus: errors.status, reason: nil), status: errors.status,
                message: "Internal error occurred: injected failure (HTTP \(errors.status))")
        }
    }

    /// What a client sees when it cannot reach the API server: a transport error without an HTTP status, worded
    /// as the REST client words one.
    static func unreachableError(_ reason: String) -> KubeError {
        KubeError(code: .transport, status: 0, message: "cannot reach the API server: \(reason)")
    }

    /// The injected failure message for a Job, if any rule matches it.
    func jobFailure(namespace: String, name: String) -> String? {
        jobFailures.first { $0.namespace == namespace && name.hasPrefix($0.namePrefix) }?.message
    }
}
