import FleetModel
import RegistryModel
import Synchronization

/// Group commit for reports: callers queue, one writer task commits everything queued in a
/// single transaction, and each caller resumes only after the transaction holding its report
/// committed (or with the transaction's error).
///
/// The writer commits at once when `batchSize` reports are queued, else `batchDelay` after the
/// first one arrived. While it commits, the next batch fills, so under load the cost is one
/// fsync per batch rather than one per report. The delay is skipped when the previous batch held
/// a single report: at low load there is nobody to wait for (like PostgreSQL's `commit_delay`,
/// which applies only when other transactions are active).
final class ReportWriter: Sendable {
    /// Commits a batch and returns one result per write, in order.
    typealias Apply = @Sendable ([ReportWrite]) async throws(StoreError) -> [Result<ReportAck, StoreError>]

    private enum Entry {
        case report(ReportWrite, CheckedContinuation<Result<ReportAck, StoreError>, Never>)
        case barrier(CheckedContinuation<Bool, Never>)
    }

    private enum Phase {
        /// Waiting for the first report.
        case idle
        /// Waiting for the batch to fill or its delay to pass.
        case collecting
    }

    private struct State {
        var queue: [Entry] = []
        var queuedReports = 0
        var queuedBarriers = 0
        var closed = false
        var phase = Phase.idle
        var parked: CheckedContinuation<Void, Never>?
        var round: UInt64 = 0
        var expiredRound: UInt64 = 0
        /// Reports in the last batch; starts at the batch size, as if busy, until a batch shows otherwise.
        var lastBatchReports: Int
        var statistics = IngestStatistics()

        /// True when the parked writer has work to do in its current phase.
        func shouldWake(batchSize: Int) -> Bool {
            if closed || queuedBarriers > 0 { return true }
            switch phase {
            case .idle: return !queue.isEmpty
            case .collecting: return queuedReports >= batchSize || expiredRound >= round
            }
        }

        /// The parked writer's continuation, taken out, when it should wake.
        mutating func takeParkedIfReady(batchSize: Int) -> CheckedContinuation<Void, Never>? {
            guard parked != nil, shouldWake(batchSize: batchSize) else { return nil }
            defer { parked = nil }
            return parked
        }
    }

    private let batchSize: Int
    private let batchDelay: Duration
    private let apply: Apply
    private let state: Mutex<State>
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts the writer task; `apply` runs one batch transaction.
    init(batchSize: Int, batchDelay: Duration, apply: @escaping Apply) {
        self.batchSize = max(1, batchSize)
        self.batchDelay = batchDelay
        state = Mutex(State(lastBatchReports: max(1, batchSize)))
        self.apply = apply
        let runner = Task { [self] in await run() }
        task.withLock { $0 = runner }
    }

    /// Queues the write and returns its acknowledgement once its transaction committed.
    func submit(_ write: ReportWrite) async throws(StoreError) -> ReportAck {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<ReportAck, StoreError>, Never>) in
            let (accepted, wake) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard !state.closed else { return (false, nil) }
                state.queue.append(.report(write, continuation))
                state.queuedReports += 1
                return (true, state.takeParkedIfReady(batchSize: batchSize))
            }
            if !accepted { continuation.resume(returning: .failure(StoreError.closed("ingest report from \(write.cluster)"))) }
            wake?.resume()
        }
        return try result.get()
    }

    /// Returns when every report queued before the call is committed (or failed).
    func flush() async {
        let queued = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let (queued, wake) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                guard !state.closed else { return (false, nil) }
                state.queue.append(.barrier(continuation))
                state.queuedBarriers += 1
                return (true, state.takeParkedIfReady(batchSize: batchSize))
            }
            if !queued { continuation.resume(returning: false) }
            wake?.resume()
        }
        // Closed: the writer task drains the queue before it ends.
        if !queued { await task.withLock { $0 }?.value }
    }

    /// Refuses new reports, commits the queued ones and stops the writer task.
    func close() async {
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.closed = true
            return state.takeParkedIfReady(batchSize: batchSize)
        }
        wake?.resume()
        await task.withLock { $0 }?.value
    }

    /// Counters since the writer started.
    var statistics: IngestStatistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.queued = state.queuedReports
            return statistics
        }
    }

    private func run() async {
        while true {
            await park(.idle)
            let round = state.withLock { state -> UInt64? in
                guard !state.closed, state.queuedBarriers == 0, state.queuedReports < batchSize, state.lastBatchReports > 1 else {
                    return nil
                }
                state.round += 1
                return state.round
            }
            if let round {
                let timer = Task { [self, batchDelay] in
                    guard (try? await Task.sleep(for: batchDelay)) != nil else { return }
                    expire(round)
                }
                await park(.collecting)
                timer.cancel()
            }
            let (batch, finished) = state.withLock { state in
                let batch = takeBatch(&state)
                return (batch, state.closed && state.queue.isEmpty)
            }
            await commit(batch)
            if finished { return }
        }
    }

    private func park(_ phase: Phase) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                state.phase = phase
                if state.shouldWake(batchSize: batchSize) { return true }
                state.parked = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private func expire(_ round: UInt64) {
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.expiredRound = max(state.expiredRound, round)
            return state.takeParkedIfReady(batchSize: batchSize)
        }
        wake?.resume()
    }

    /// Removes up to `batchSize` reports from the front of the queue, with the barriers among
    /// and right after them.
    private func takeBatch(_ state: inout State) -> [Entry] {
        var taken = 0
        var reports = 0
        for entry in state.queue {
            if case .report = entry {
                if reports == batchSize { break }
                reports += 1
            }
            taken += 1
        }
        let batch = Array(state.queue.prefix(taken))
        state.queue.removeFirst(taken)
        state.queuedReports -= reports
        if reports > 0 { state.lastBatchReports = reports }
        state.queuedBarriers -= taken - reports
        return batch
    }

    private func commit(_ batch: [Entry]) async {
        var writes: [ReportWrite] = []
        var callers: [CheckedContinuation<Result<ReportAck, StoreError>, Never>] = []
        var barriers: [CheckedContinuation<Bool, Never>] = []
        for entry in batch {
            switch entry {
            case .report(let write, let continuation):
                writes.append(write)
                callers.append(continuation)
            case .barrier(let continuation):
                barriers.append(continuation)
            }
        }
        if !writes.isEmpty {
            var results: [Result<ReportAck, StoreError>]
            var failed = false
            do throws(StoreError) {
                results = try await apply(writes)
            } catch {
                results = Array(repeating: .failure(error), count: writes.count)
                failed = true
            }
            record(results, failed: failed)
            for (caller, result) in zip(callers, results) { caller.resume(returning: result) }
        }
        for barrier in barriers { barrier.resume(returning: true) }
    }

    private func record(_ results: [Result<ReportAck, StoreError>], failed: Bool) {
        state.withLock { state in
            guard !failed else {
                state.statistics.failedTransactions += 1
                return
            }
            state.statistics.transactions += 1
            for result in results {
                switch result {
                case .success(let ack) where ack.duplicate: state.statistics.duplicates += 1
                case .success: state.statistics.stored += 1
                case .failure: state.statistics.refused += 1
                }
            }
        }
    }
}
