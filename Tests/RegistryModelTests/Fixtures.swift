import FleetModel
import Foundation
import RegistryModel

/// Builders shared by the model tests, so each table states only what differs between its cases.
enum Fixtures {
    /// A UTC instant from RFC 3339 text; a typo in a fixture stops the run instead of passing.
    static func time(_ text: String) -> Date {
        guard let date = RFC3339.parse(text) else { preconditionFailure("fixture time \"\(text)\" is not RFC 3339") }
        return date
    }

    /// The bytes of a JSON text.
    static func data(_ json: String) -> Data { Data(json.utf8) }

    /// A JSON tree parsed from text; a typo in a fixture stops the run instead of passing.
    static func json(_ text: String) -> JSONValue {
        do {
            return try JSONCoding.decode(JSONValue.self, from: data(text))
        } catch {
            preconditionFailure("fixture JSON \(text) does not parse: \(error)")
        }
    }

    /// The field errors `StrictJSON` reports for `json` decoded as `type`; empty when it decodes.
    static func strictErrors<T: Codable>(_ type: T.Type, _ json: String) -> [FieldError] {
        do {
            _ = try StrictJSON.decode(type, from: data(json))
            return []
        } catch {
            return error.errors
        }
    }

    /// An agent report with the registry and pruner conditions a health case needs.
    static func report(
        observedGeneration: Int64 = 5, managementState: ManagementState = .managed, generation: Int64? = 3,
        operatorObservedGeneration: Int64? = 3, conditions: [Condition] = [], prunerConditions: [Condition]? = nil
    ) -> AgentReport {
        AgentReport(
            sequence: 1, observedGeneration: observedGeneration, agentVersion: "test", collectedAt: time("2026-03-14T10:00:00Z"),
            registry: RegistryObservation(
                managementState: managementState, generation: generation, observedGeneration: operatorObservedGeneration,
                conditions: conditions),
            pruner: prunerConditions.map { PrunerObservation(schedule: "0 0 * * *", conditions: $0) })
    }

    /// A condition with only the fields health evaluation reads.
    static func condition(_ type: String, _ status: ConditionStatus, _ reason: String? = nil, _ message: String? = nil) -> Condition {
        Condition(type: type, status: status, reason: reason, message: message)
    }
}

/// A field error expected by a table case: the exact path and a fragment of its message.
struct ExpectedError: Sendable, CustomStringConvertible {
    let path: String
    let fragment: String

    init(_ path: String, _ fragment: String) {
        self.path = path
        self.fragment = fragment
    }

    var description: String { "\(path): …\(fragment)…" }

    /// True when `actual` lists exactly these paths in order, each message containing its fragment.
    static func match(_ actual: [FieldError], _ expected: [ExpectedError]) -> Bool {
        actual.count == expected.count
            && zip(actual, expected).allSatisfy { $0.path == $1.path && $0.message.contains($1.fragment) }
    }
}
