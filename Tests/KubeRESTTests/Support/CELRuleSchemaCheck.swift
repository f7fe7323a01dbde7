import Foundation
import RegistryModel

/// What the API server refuses when it evaluates a CRD's `x-kubernetes-validations` rules: a
/// rule that reads a field declared `type: object` with neither `properties`,
/// `additionalProperties` nor `x-kubernetes-preserve-unknown-fields: true` fails with "invalid
/// object type, expected either Properties or AdditionalProperties with Allows=true", so every
/// object using that field is rejected with the rule's message. The simulator does not run CEL,
/// so this structural check stands in for it (see the KubeSimulator documentation).
enum CELRuleSchemaCheck {
    /// One field a rule reads that the API server cannot give the rule a type for.
    struct Problem: Hashable, CustomStringConvertible {
        var rulePath: String
        var rule: String
        var field: String
        var description: String { "\(rulePath): rule \"\(rule)\" reads \(field), an object schema without properties" }
    }

    /// Every problem in an openAPIV3Schema.
    static func problems(in schema: JSONValue, path: String = "") -> [Problem] {
        var found: [Problem] = []
        for rule in (schema["x-kubernetes-validations"]?.arrayValue ?? []).compactMap({ $0["rule"]?.stringValue }) {
            for chain in fieldChains(in: rule) {
                var node = schema
                var fieldPath = path
                for field in chain {
                    guard let child = node[path: ["properties", field]] else { break }
                    fieldPath += ".\(field)"
                    if isOpaqueObject(child) { found.append(Problem(rulePath: path.isEmpty ? "." : path, rule: rule, field: fieldPath)) }
                    node = child
                }
            }
        }
        for (name, child) in (schema["properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            found += problems(in: child, path: "\(path).\(name)")
        }
        if let items = schema["items"] { found += problems(in: items, path: "\(path)[]") }
        if let additional = schema["additionalProperties"], additional.objectValue != nil { found += problems(in: additional, path: "\(path){}") }
        return found
    }

    /// An object schema the CEL type system cannot represent.
    static func isOpaqueObject(_ schema: JSONValue) -> Bool {
        guard schema["type"]?.stringValue == "object" else { return false }
        let hasProperties = !(schema["properties"]?.objectValue ?? [:]).isEmpty
        let additional = schema["additionalProperties"]
        let allowsAdditional = additional?.objectValue != nil || additional?.boolValue == true
        let preserves = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        return !hasProperties && !allowsAdditional && !preserves
    }

    /// The field chains a rule reads, `self.a.b` → `["a", "b"]`.
    static func fieldChains(in rule: String) -> [[String]] {
        var chains: [[String]] = []
        let scalars = Array(rule.unicodeScalars)
        var index = 0
        func isIdentifier(_ scalar: Unicode.Scalar) -> Bool { CharacterSet.alphanumerics.contains(scalar) || scalar == "_" }
        while index < scalars.count {
            let startsSelf = String(String.UnicodeScalarView(scalars[index..<min(index + 5, scalars.count)])) == "self."
            let boundary = index == 0 || !isIdentifier(scalars[index - 1])
            guard startsSelf && boundary else {
                index += 1
                continue
            }
            index += 5
            var chain: [String] = []
            while true {
                var name = ""
                while index < scalars.count, isIdentifier(scalars[index]) {
                    name.unicodeScalars.append(scalars[index])
                    index += 1
                }
                if !name.isEmpty { chain.append(name) }
                guard index < scalars.count, scalars[index] == ".", !name.isEmpty else { break }
                index += 1
            }
            if !chain.isEmpty { chains.append(chain) }
        }
        return chains
    }
}
