import FleetClient
import Foundation
import Synchronization

/// Samples the hub's `/proc` figures (summed over its replicas) once a second while the benchmark runs, keeping the peak RSS, and reads its
/// `regfleet_reports_ingested_total` counter when asked: only at the edges of a measured window, because
/// rendering `/metrics` loads the whole fleet and polling it would be part of what is measured.
final class HubMonitor: Sendable {
    private struct State {
        var peakResident = 0
    }

    let pids: [Int32]
    let admins: [HubAdminClient]
    private let state = Mutex(State())

    /// One admin client per replica, in the order of `pids`.
    init(pids: [Int32], admins: [HubAdminClient]) {
        self.pids = pids
        self.admins = admins
    }

    /// The reports stored so far by every replica, from their metrics (each counts what it ingested).
    func reportsIngested() async throws -> Int {
        var total = 0
        for admin in admins {
            let (status, body) = try await admin.connection.send(.GET, "/metrics")
            guard status == 200 else { throw FleetBenchmarkError("GET /metrics answered \(status)") }
            let text = String(decoding: body, as: UTF8.self)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("regfleet_reports_ingested_total") }),
                let value = line.split(separator: " ").last.flatMap({ Double($0) })
            else { continue }
            total += Int(value)
        }
        return total
    }

    /// Samples until cancelled.
    func run() async {
        while !Task.isCancelled {
            if let sample = ProcessSample.take(pids: pids) {
                state.withLock { $0.peakResident = max($0.peakResident, sample.residentBytes) }
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    var peakResidentBytes: Int { state.withLock { $0.peakResident } }
}
