/// A Kubernetes label selector in its string form (`env=prod,tier!=db,region in (eu,us),!legacy`).
///
/// The hub selects clusters with it and the simulated API server filters lists with it, so both
/// follow the API server's grammar and error messages.
public struct LabelSelector: Sendable, Hashable, CustomStringConvertible {
    /// One requirement; all must hold.
    public enum Requirement: Sendable, Hashable {
        case equals(String, String)
        case notEquals(String, String)
        case `in`(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
    }

    /// The requirements, in the order written.
    public let requirements: [Requirement]

    /// Matches everything.
    public static let everything = LabelSelector(requirements: [])

    public init(requirements: [Requirement]) { self.requirements = requirements }

    /// A selector requiring each label to equal its value.
    public init(matchLabels: [String: String]) {
        requirements = matchLabels.keys.sorted().map { .equals($0, matchLabels[$0]!) }
    }

    /// Parses the string form; empty text selects everything.
    public init(parsing text: String) throws(FieldError) {
        var parsed: [Requirement] = []
        for clause in Self.splitClauses(text) {
            let trimmed = clause.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            parsed.append(try Self.parseClause(trimmed, whole: text))
        }
        requirements = parsed
    }

    /// True when every requirement holds for `labels`.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { requirement in
            switch requirement {
            case .equals(let key, let value): return labels[key] == value
            case .notEquals(let key, let value): return labels[key] != value
            case .in(let key, let values): return labels[key].map(values.contains) ?? false
            case .notIn(let key, let values): return labels[key].map { !values.contains($0) } ?? true
            case .exists(let key): return labels[key] != nil
            case .doesNotExist(let key): return labels[key] == nil
            }
        }
    }

    public var description: String {
        requirements.map { requirement in
            switch requirement {
            case .equals(let key, let value): return "\(key)=\(value)"
            case .notEquals(let key, let value): return "\(key)!=\(value)"
            case .in(let key, let values): return "\(key) in (\(values.sorted().joined(separator: ",")))"
            case .notIn(let key, let values): return "\(key) notin (\(values.sorted().joined(separator: ",")))"
            case .exists(let key): return key
            case .doesNotExist(let key): return "!\(key)"
            }
        }.joined(separator: ",")
    }

    private static func splitClauses(_ text: String) -> [String] {
        var clauses: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == "," && depth == 0 {
                clauses.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        clauses.append(current)
        return clauses
    }

    private static func parseClause(_ clause: String, whole: String) throws(FieldError) -> Requirement {
        func invalid(_ why: String) -> FieldError {
            FieldError(path: "", message: "invalid label selector \"\(whole)\": \(why)")
        }
        func key(_ raw: Substring) throws(FieldError) -> String {
            let key = raw.trimmingCharacters(in: .whitespaces)
            guard DNSNames.isLabelKey(key) else { throw invalid("\"\(key)\" is not a valid label key") }
            return key
        }
        func value(_ raw: Substring) throws(FieldError) -> String {
            let value = raw.trimmingCharacters(in: .whitespaces)
            guard DNSNames.isLabelValue(value) else { throw invalid("\"\(value)\" is not a valid label value") }
            return value
        }
        if clause.hasPrefix("!") {
            return .doesNotExist(try key(clause.dropFirst()))
        }
        if let range = clause.range(of: "!=") {
            return .notEquals(try key(clause[..<range.lowerBound]), try value(clause[range.upperBound...]))
        }
        if let range = clause.range(of: "==") ?? clause.range(of: "=") {
            return .equals(try key(clause[..<range.lowerBound]), try value(clause[range.upperBound...]))
        }
        let words = clause.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        if words.count >= 2, words[1] == "in" || words[1] == "notin" {
            guard words.count == 3 else { throw invalid("missing value set after \"\(words[1])\"") }
            let set = words[2].trimmingCharacters(in: .whitespaces)
            guard set.hasPrefix("("), set.hasSuffix(")") else { throw invalid("value set must be in parentheses") }
            var values = Set<String>()
            for item in set.dropFirst().dropLast().split(separator: ",") { values.insert(try value(item)) }
            guard !values.isEmpty else { throw invalid("empty value set") }
            return words[1] == "in" ? .in(try key(words[0]), values) : .notIn(try key(words[0]), values)
        }
        guard words.count == 1 else { throw invalid("cannot parse \"\(clause)\"") }
        return .exists(try key(words[0]))
    }
}
