import FleetModel
import Foundation
import RegistryModel
import Testing
import Yams

@Suite struct FleetExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fleet-examples")

    static func files(_ folder: String) -> [URL] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0) }
    }

    static func tree(_ file: URL) throws -> JSONValue {
        try YAMLDecoder().decode(JSONValue.self, from: String(contentsOf: file, encoding: .utf8))
    }

    /// Every example policy decodes strictly (no unknown or misspelled field) and validates.
    @Test func policiesAreValid() throws {
        let files = Self.files("policies")
        #expect(files.count >= 4)
        for file in files {
            let request = try StrictJSON.decode(PolicyUpdateRequest.self, from: try Self.tree(file))
            #expect(request.policy.validationErrors().isEmpty, "\(file.lastPathComponent)")
        }
    }

    /// Every example rollout plan decodes strictly and validates, and Removed plans carry the acknowledgement.
    @Test func rolloutPlansAreValid() throws {
        let files = Self.files("rollouts")
        #expect(files.count >= 3)
        for file in files {
            let plan = try StrictJSON.decode(RolloutPlan.self, from: try Self.tree(file))
            #expect(plan.validationErrors().isEmpty, "\(file.lastPathComponent): \(plan.validationErrors())")
            if plan.change.managementState == .removed { #expect(plan.acknowledgeDataLoss == true, "\(file.lastPathComponent)") }
        }
    }

    /// Every example fleet policy validates once its name is taken out (the CLI sends the rest as the spec).
    @Test func fleetPoliciesAreValid() throws {
        let files = Self.files("fleet-policies")
        #expect(files.count >= 3)
        for file in files {
            guard case .object(var members) = try Self.tree(file) else {
                Issue.record("\(file.lastPathComponent) is not a mapping")
                continue
            }
            #expect(members.removeValue(forKey: "name")?.stringValue == file.deletingPathExtension().lastPathComponent)
            let spec = try StrictJSON.decode(FleetPolicySpec.self, from: .object(members))
            #expect(spec.validationErrors().isEmpty, "\(file.lastPathComponent): \(spec.validationErrors())")
        }
    }
}
