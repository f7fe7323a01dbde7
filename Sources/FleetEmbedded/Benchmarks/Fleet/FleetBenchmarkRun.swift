import FleetClient
import FleetModel
import Foundation
import RegistryModel

/// One run of the fleet benchmark against a started hub: the phases, in order, each filling in its figures.
struct FleetBenchmarkRun: Sendable {
    let benchmark: FleetBenchmark
    /// The hub replicas' processes and URLs, and an admin client of each, in the same order.
    let hubPIDs: [Int32]
    let hubURLs: [String]
    let admins: [HubAdminClient]
    let caFile: String

    /// The first replica's admin client: every API figure is measured through it.
    var admin: HubAdminClient { admins[0] }

    var options: FleetBenchmark.Options { benchmark.options }
    func progress(_ message: String) { benchmark.progress(message) }

    /// The cluster names, sortable: c00000, c00001, …
    var names: [String] { (0..<options.clusters).map { "c" + String(format: "%05d", $0) } }

    /// Every phase; `started` is told the agent processes as soon as they run, so the caller can stop them.
    func measure(started: ([ChildProcess]) -> Void) async throws -> FleetBenchmarkResult {
        var result = FleetBenchmarkResult()
        result.clusters = options.clusters
        result.agentProcesses = options.agentProcesses
        let monitor = HubMonitor(pids: hubPIDs, admins: admins)
        let sampling = Task { await monitor.run() }
        defer { sampling.cancel() }
        let plans = try await makePlans()
        progress("starting \(options.clusters) agents in \(plans.count) process(es)")
        let begun = ContinuousClock.now
        var agents: [ChildProcess] = []
        for (index, plan) in plans.enumerated() {
            agents.append(
                try ChildProcess(
                    executable: benchmark.executable, arguments: ["bench", "fleet-agents", "--plan", plan, "--log-level", "error"],
                    logPrefix: benchmark.path("agents-\(index)")))
        }
        started(agents)
        let agentPIDs = agents.map(\.pid)
        try await waitForFleet(since: begun, &result)
        let agentsAtRest = ProcessSample.take(pids: agentPIDs)
        try await measureRest(&result, monitor: monitor)
        if let agentsAtRest, let after = ProcessSample.take(pids: agentPIDs) {
            result.agentCPURestPercent = after.cpuPercent(since: agentsAtRest)
            result.agentRSSPerClusterMiB = Double(after.residentBytes) / 1_048_576 / Double(options.clusters)
        }
        result.propagationOne = FleetBenchmarkResult.Percentiles(try await measureSingleChanges())
        let changeStart = ProcessSample.take(pids: hubPIDs)
        let agentsBefore = ProcessSample.take(pids: agentPIDs)
        let machineBefore = MachineCPUSample.take()
        let reportsBefore = try await monitor.reportsIngested()
        try await measureFleetWideChange(&result)
        if let agentsBefore, let after = ProcessSample.take(pids: agentPIDs) {
            let seconds = (after.at - agentsBefore.at) / .seconds(1)
            let beyondRest = (after.cpuSeconds - agentsBefore.cpuSeconds) - result.agentCPURestPercent / 100 * seconds
            result.agentCPUMillisecondsPerChange = max(0, beyondRest) * 1000 / Double(options.clusters)
        }
        if let machineBefore, let after = MachineCPUSample.take() { result.machineBusyCoresDuringChange = after.busyCores(since: machineBefore) }
        if let changeStart, let end = ProcessSample.take(pids: hubPIDs) {
            result.ingestionChangePerSecond = Double(try await monitor.reportsIngested() - reportsBefore) / ((end.at - changeStart.at) / .seconds(1))
        }
        try await measureRollout(&result)
        if let changeStart, let end = ProcessSample.take(pids: hubPIDs) { result.hubCPUChangePercent = end.cpuPercent(since: changeStart) }
        try await measureReads(&result)
        result.hubRSSPeakMiB = Double(monitor.peakResidentBytes) / 1_048_576
        result.reportsStored = try await monitor.reportsIngested()
        if benchmark.options.database == nil {
            let files = [benchmark.path("hub.sqlite"), benchmark.path("hub.sqlite-wal")]
            let bytes = files.compactMap { try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? Int }.reduce(0, +)
            result.sqliteMiB = Double(bytes) / 1_048_576
        }
        return result
    }

    /// Creates a bootstrap token per cluster through the admin API and writes one plan file per agent process;
    /// returns their paths.
    private func makePlans() async throws -> [String] {
        progress("creating \(options.clusters) bootstrap tokens")
        let names = names
        let labelled = names.enumerated().map { index, name in
            (name, ["env": index % 2 == 0 ? "prod" : "staging", "region": ["eu", "us", "ap"][index % 3]])
        }
        var tokens: [String: String] = [:]
        try await withThrowingTaskGroup(of: (String, String).self) { group in
            var pending = labelled[...]
            func next() {
                guard let (name, labels) = pending.popFirst() else { return }
                group.addTask { (name, try await admin.createToken(TokenRequest(cluster: name, ttlSeconds: 6 * 3600, labels: labels)).token) }
            }
            for _ in 0..<32 { next() }
            while let (name, token) = try await group.next() {
                tokens[name] = token
                next()
            }
        }
        let processes = max(1, min(options.agentProcesses, options.clusters))
        var paths: [String] = []
        for process in 0..<processes {
            let members = labelled.enumerated().filter { $0.offset % processes == process }.map { _, entry in
                AgentSwarmPlan.Member(name: entry.0, labels: entry.1, token: tokens[entry.0] ?? "")
            }
            // Every agent knows every replica; each process starts on a different one, so the load spreads.
            let order = (0..<hubURLs.count).map { hubURLs[($0 + process) % hubURLs.count] }
            let plan = AgentSwarmPlan(
                hubURL: order.joined(separator: ","), caFile: caFile, stateRoot: benchmark.path("agents"), reportIntervalSeconds: options.reportInterval,
                podReadyDelayMilliseconds: options.podReadyDelayMilliseconds, controllerTickMilliseconds: options.controllerTickMilliseconds,
                startConcurrency: 50, members: members)
            let path = benchmark.path("agents-\(process).json")
            try JSONCoding.encode(plan).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        return paths
    }

    /// Waits until every cluster has enrolled and then until every one is Healthy.
    private func waitForFleet(since begun: ContinuousClock.Instant, _ result: inout FleetBenchmarkResult) async throws {
        let deadline = ContinuousClock.now + options.phaseTimeout
        var lastProgress = ContinuousClock.now
        while ContinuousClock.now < deadline {
            let health = try await admin.health()
            let healthy = health.counts[ClusterState.healthy.rawValue] ?? 0
            let elapsed = (ContinuousClock.now - begun) / .seconds(1)
            if result.enrollSeconds == 0, health.total == options.clusters { result.enrollSeconds = elapsed }
            if healthy == options.clusters {
                result.healthySeconds = elapsed
                progress(String(format: "all %d clusters Healthy after %.1fs (enrolled after %.1fs)", healthy, elapsed, result.enrollSeconds))
                return
            }
            if ContinuousClock.now - lastProgress > .seconds(3) {
                lastProgress = .now
                let states = health.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                progress(String(format: "%.0fs: enrolled %d/%d; ", elapsed, health.total, options.clusters) + states)
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw FleetBenchmarkError("the fleet did not become Healthy within \(options.phaseTimeout)")
    }

    /// The hub with heartbeats only: RSS, CPU, reports stored per second and bytes written per report.
    private func measureRest(_ result: inout FleetBenchmarkResult, monitor: HubMonitor) async throws {
        progress("measuring the hub at rest for \(Int(options.restSeconds))s (a report every \(Int(options.reportInterval))s per cluster)")
        let reportsBefore = try await monitor.reportsIngested()
        guard let before = ProcessSample.take(pids: hubPIDs) else { throw FleetBenchmarkError("cannot read /proc of the hub \(hubPIDs)") }
        try await Task.sleep(for: .milliseconds(Int64(options.restSeconds * 1000)))
        let reportsAfter = try await monitor.reportsIngested()
        guard let after = ProcessSample.take(pids: hubPIDs) else { throw FleetBenchmarkError("cannot read /proc of the hub \(hubPIDs)") }
        let reports = reportsAfter - reportsBefore
        result.hubRSSRestMiB = Double(after.residentBytes) / 1_048_576
        result.hubCPURestPercent = after.cpuPercent(since: before)
        result.ingestionRestPerSecond = Double(reports) / ((after.at - before.at) / .seconds(1))
        result.bytesWrittenPerReport = reports > 0 ? Double(after.writtenBytes - before.writtenBytes) / Double(reports) : 0
    }
}
