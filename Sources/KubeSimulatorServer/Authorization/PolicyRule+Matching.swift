import KubeClient

/// RBAC rule evaluation as kube-apiserver's rule resolver does it.
extension PolicyRule {
    /// Whether this rule allows `verb` on `resource` (with subresource, as `configs/status`) in
    /// `group`, for the object `name` (empty when the request names none).
    func allows(verb: String, group: String, resource: String, name: String) -> Bool {
        Self.matches(verbs, verb) && Self.matches(apiGroups ?? [], group) && Self.matches(resources ?? [], resource)
            && ((resourceNames ?? []).isEmpty || (!name.isEmpty && (resourceNames ?? []).contains(name)))
    }

    /// Every (group, resource, verb, name) this rule grants, one per combination, for the
    /// escalation check ("may the requester grant this?").
    var atomicRules: [PolicyRule] {
        let names: [String?] = (resourceNames ?? []).isEmpty ? [nil] : (resourceNames ?? []).map { $0 }
        var result: [PolicyRule] = []
        for group in apiGroups ?? [] {
            for resource in resources ?? [] {
                for verb in verbs {
                    for name in names {
                        result.append(PolicyRule(apiGroups: [group], resources: [resource], resourceNames: name.map { [$0] }, verbs: [verb]))
                    }
                }
            }
        }
        return result
    }

    /// Whether `held` rules together grant everything in this atomic rule.
    func isCovered(by held: [PolicyRule]) -> Bool {
        let group = apiGroups?.first ?? ""
        let resource = resources?.first ?? ""
        let verb = verbs.first ?? ""
        let name = resourceNames?.first
        return held.contains { rule in
            guard Self.matches(rule.verbs, verb), Self.matches(rule.apiGroups ?? [], group), Self.matches(rule.resources ?? [], resource) else {
                return false
            }
            let restricted = rule.resourceNames ?? []
            return restricted.isEmpty || (name.map { restricted.contains($0) } ?? false)
        }
    }

    /// The rule in the notation of the API server's escalation message.
    var escalationDescription: String {
        func list(_ values: [String]) -> String { "[" + values.map { "\"\($0)\"" }.joined(separator: " ") + "]" }
        var text = "{APIGroups:\(list(apiGroups ?? [])), Resources:\(list(resources ?? []))"
        if let names = resourceNames, !names.isEmpty { text += ", ResourceNames:\(list(names))" }
        return text + ", Verbs:\(list(verbs))}"
    }

    private static func matches(_ values: [String], _ wanted: String) -> Bool {
        values.contains(wanted) || values.contains("*")
    }
}
