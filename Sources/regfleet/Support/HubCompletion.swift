import ArgumentParser
import FleetClient
import Foundation
import Synchronization

/// Shell completion of names from the hub (`source <(regfleet --generate-completion-script bash)`): cluster,
/// rollout, fleet policy and freeze arguments complete to what the hub has, reached with the connection flags
/// already typed, else the environment and the current context. No hub, no candidates: never an error.
enum HubCompletion {
    static let clusters = CompletionKind.custom { words, _, prefix in
        names(words, prefix) { try await $0.clusters().map(\.name) }
    }
    static let rollouts = CompletionKind.custom { words, _, prefix in
        names(words, prefix) { client in
            let rollouts = try await client.rollouts()
            return rollouts.compactMap(\.name) + rollouts.map(\.id)
        }
    }
    static let fleetPolicies = CompletionKind.custom { words, _, prefix in
        names(words, prefix) { try await $0.fleetPolicies().map(\.name) }
    }
    static let freezes = CompletionKind.custom { words, _, prefix in
        names(words, prefix) { try await $0.freezes().map(\.name) }
    }

    /// The names `fetch` returns that start with `prefix`, sorted and unique; none when anything fails.
    ///
    /// Synchronous, as ArgumentParser runs completions while it parses (its async completions need its own
    /// `main`, which `RegFleet.main` replaces to accept global flags first): the fetch runs on a task and this
    /// waits for it.
    static func names(_ words: [String], _ prefix: String, _ fetch: @escaping @Sendable (HubAdminClient) async throws -> [String]) -> [String] {
        guard let options = try? HubConnectionOptions.parse(GlobalArguments.connectionOptions(in: words)) else { return [] }
        let result = Mutex<[String]>([])
        let done = DispatchSemaphore(value: 0)
        Task {
            if let names = try? await HubAdminClient.with(options, fetch) { result.withLock { $0 = names } }
            done.signal()
        }
        done.wait()
        return Set(result.withLock { $0 }.filter { $0.hasPrefix(prefix) }).sorted()
    }
}
