import FleetModel
import Foundation
import RegistryModel
import Synchronization
import Testing

@testable import FleetStore

@Suite struct ReportWriterTests {
    /// Records batches and fails the chosen attempt, like a disk error would.
    final class FlakyDisk: Sendable {
        let batches = Mutex<[[Int64]]>([])
        let failingAttempt: Int?

        /// Fails the `failingAttempt`-th batch (1-based), none when nil.
        init(failingAttempt: Int?) { self.failingAttempt = failingAttempt }

        /// Records the batch, then fails or acknowledges every write.
        func apply(_ writes: [ReportWrite]) throws(StoreError) -> [Result<ReportAck, StoreError>] {
            let attempt = batches.withLock { batches in
                batches.append(writes.map(\.sequence))
                return batches.count
            }
            if attempt == failingAttempt { throw StoreError(code: .database, message: "disk I/O error") }
            return writes.map { .success(ReportAck(sequence: $0.sequence, duplicate: false)) }
        }
    }

    private func write(_ sequence: Int64) throws -> ReportWrite {
        try ReportWrite(cluster: "edge-1", report: Fixtures.report(sequence), receivedAt: Date())
    }

    /// When a batch transaction fails every caller in it gets the error exactly once, and later reports still commit.
    @Test func failedBatchFailsEveryCallerOnce() async throws {
        let disk = FlakyDisk(failingAttempt: 1)
        let writer = ReportWriter(batchSize: 4, batchDelay: .seconds(60)) { writes throws(StoreError) in
            try disk.apply(writes)
        }
        let writes = try (1...4).map { try write(Int64($0)) }
        let outcomes = await withTaskGroup(of: StoreError.Code?.self) { group in
            for item in writes {
                group.addTask {
                    do throws(StoreError) {
                        _ = try await writer.submit(item)
                        return nil
                    } catch {
                        return error.code
                    }
                }
            }
            return await group.reduce(into: [StoreError.Code?]()) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: .database, count: 4))
        #expect(writer.statistics.failedTransactions == 1)
        #expect(writer.statistics.transactions == 0)

        let retried = try write(1)
        let ack = Task { try await writer.submit(retried) }
        try await waitUntil { writer.statistics.queued == 1 }
        await writer.flush()
        #expect(try await ack.value == ReportAck(sequence: 1, duplicate: false))
        // The four callers submit concurrently, so their order within the one batch is theirs, not the writer's.
        #expect(disk.batches.withLock { $0 }.map { $0.sorted() } == [[1, 2, 3, 4], [1]])
        #expect(writer.statistics.transactions == 1)
        await writer.close()
    }

    /// Close commits what is queued, without waiting for the batch delay, and refuses what comes after.
    @Test func closeDrainsTheQueueThenRefuses() async throws {
        let disk = FlakyDisk(failingAttempt: nil)
        let writer = ReportWriter(batchSize: 100, batchDelay: .seconds(60)) { writes throws(StoreError) in
            try disk.apply(writes)
        }
        let first = try write(1)
        let second = try write(2)
        let firstAck = Task { try await writer.submit(first) }
        let secondAck = Task { try await writer.submit(second) }
        try await waitUntil { writer.statistics.queued == 2 }
        await writer.close()
        #expect(try await firstAck.value.sequence == 1)
        #expect(try await secondAck.value.sequence == 2)
        let late = try write(3)
        await #expect(throws: StoreError(code: .closed, message: "")) { _ = try await writer.submit(late) }
        #expect(writer.statistics.transactions == 1)
    }

    /// At low load (the last batch held one report) a lone report commits without waiting out the batch delay.
    @Test func loneReportAtLowLoadIsNotDelayed() async throws {
        let disk = FlakyDisk(failingAttempt: nil)
        let writer = ReportWriter(batchSize: 100, batchDelay: .seconds(3600)) { writes throws(StoreError) in
            try disk.apply(writes)
        }
        let first = try write(1)
        let firstAck = Task { try await writer.submit(first) }
        try await waitUntil { writer.statistics.queued == 1 }
        await writer.flush()
        #expect(try await firstAck.value.sequence == 1)

        let second = try write(2)
        let secondAck = Task { try await writer.submit(second) }
        try await waitUntil { writer.statistics.transactions == 2 }
        #expect(try await secondAck.value.sequence == 2)
        #expect(disk.batches.withLock { $0 } == [[1], [2]])
        await writer.close()
    }
}
