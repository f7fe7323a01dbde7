import Foundation
import Logging
import RegistryModel

/// Runs a prune against a registry: scan, plan (`RetentionPlanner`), and, with `confirm`,
/// re-check and delete. Always returns a report, partial when the run was cut short; errors are
/// in `PruneReport.errors`, never thrown.
///
/// Deleting a manifest also deletes the tags on it (distribution's DELETE semantics), so a
/// candidate's unused tags disappear with it; that is why a tag moved onto a candidate after
/// planning must spare it, and why the re-check reads every tag right before deleting.
public struct RegistryPruner: Sendable {
    /// The `keptByRule` key for candidates a tag moved onto while the run was going on.
    public static let keptBecauseRetagged = "retagged"

    let client: RegistryV2Client
    let clock: any WallClock
    let logger: Logger
    let hooks: PruneHooks
    let progress: @Sendable (PruneProgress) -> Void

    public init(
        client: RegistryV2Client, clock: any WallClock = SystemWallClock(), logger: Logger = Logger(label: "prune"), hooks: PruneHooks = PruneHooks(),
        progress: @escaping @Sendable (PruneProgress) -> Void = { _ in }
    ) {
        self.client = client
        self.clock = clock
        self.logger = logger
        self.hooks = hooks
        self.progress = progress
    }

    /// One run. `images` are the images in use on this registry (see `ImagesInUse.resolve`).
    public func run(images: ImagesInUse, options: PruneRunOptions) async -> PruneReport {
        let startedAt = clock.now()
        var report = PruneReport(registryURL: client.configuration.endpoint.baseURL, dryRun: !options.confirm, startedAt: startedAt, finishedAt: startedAt)
        let repositories: [String]
        do {
            try await client.ping()
            repositories = try await client.catalog()
        } catch {
            report.errors.append(PruneError(message: Self.registryError(error).description))
            return finished(report)
        }
        logger.info("scanning registry", metadata: ["registry": "\(client.configuration.endpoint)", "repositories": "\(repositories.count)"])

        let scan = await scan(repositories, concurrency: options.repositoryConcurrency)
        report.errors += scan.errors
        let retention = RetentionOptions(keepTagRevisions: options.keepTagRevisions, keepYoungerThan: options.keepYoungerThan, now: startedAt)
        let plan = RetentionPlanner.plan(inventory: scan.inventories, references: images, options: retention)
        report.repositoriesScanned = scan.inventories.count
        report.manifestsScanned = plan.manifestsScanned
        for (rule, count) in plan.keptByRule { report.keptByRule[rule.rawValue] = count }
        guard !scan.stopped else { return finished(report) }
        await hooks.afterPlanning(plan)

        guard options.confirm else {
            report.deleted = plan.candidateCount
            report.unreferencedBlobs = plan.blobs.unreferencedBlobs
            report.reclaimableBytes = plan.blobs.reclaimableBytes
            return finished(report)
        }
        let inventories = Dictionary(scan.inventories.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let plans = Dictionary(plan.repositories.map { ($0.repository, $0) }, uniquingKeysWith: { first, _ in first })
        let withCandidates = plan.repositories.filter { !$0.candidates.isEmpty }.map(\.repository)
        let deletion = await RepositoryWork.run(
            withCandidates, concurrency: options.repositoryConcurrency, phase: .deleting, progress: progress,
            isFatal: { $0.error?.isFatal ?? false }
        ) { name in
            await deleteCandidates(plans[name]!, inventory: inventories[name]!)
        }
        var deleted: [String: Set<String>] = [:]
        var reportedFatal = false
        for name in withCandidates {
            guard let outcome = deletion.results[name] else { continue }
            deleted[name] = outcome.deleted
            report.deleted += outcome.deleted.count
            if !outcome.spared.isEmpty { report.keptByRule[Self.keptBecauseRetagged, default: 0] += outcome.spared.count }
            guard let error = outcome.error else { continue }
            if error.isFatal {
                guard !reportedFatal else { continue }
                reportedFatal = true
                report.errors.append(PruneError(repository: name, message: "\(error.description); run stopped while deleting, the report is partial"))
            } else {
                report.errors.append(PruneError(repository: name, message: error.description))
            }
        }
        let blobs = BlobAccounting.after(deleting: deleted, from: scan.inventories)
        report.unreferencedBlobs = blobs.unreferencedBlobs
        report.reclaimableBytes = blobs.reclaimableBytes
        return finished(report)
    }

    private func finished(_ report: PruneReport) -> PruneReport {
        var report = report
        report.finishedAt = clock.now()
        logger.info(
            "prune finished",
            metadata: [
                "dryRun": "\(report.dryRun)", "manifests": "\(report.manifestsScanned)", "kept": "\(report.kept)", "deleted": "\(report.deleted)",
                "errors": "\(report.errors.count)",
            ])
        return report
    }

    // MARK: - Scanning

    private func scan(_ repositories: [String], concurrency: Int) async -> (inventories: [RepositoryInventory], errors: [PruneError], stopped: Bool) {
        let scanner = InventoryScanner(client: client, configTimes: ImageConfigTimes(), logger: logger)
        let outcome = await RepositoryWork.run(
            repositories, concurrency: concurrency, phase: .scanning, progress: progress,
            isFatal: { result in if case .failure(let error) = result { return error.isFatal } else { return false } }
        ) { name -> Result<RepositoryInventory, RegistryError> in
            do {
                return .success(try await scanner.scan(repository: name))
            } catch {
                return .failure(await confirmedFatal(Self.registryError(error, repository: name)))
            }
        }
        var inventories: [RepositoryInventory] = []
        var errors: [PruneError] = []
        var reportedFatal = false
        for name in repositories {
            switch outcome.results[name] {
            case .success(let inventory)?:
                inventories.append(inventory)
            case .failure(let error)? where error.isFatal:
                guard !reportedFatal else { continue }
                reportedFatal = true
                errors.append(PruneError(repository: name, message: "\(error.description); run stopped while scanning, nothing was deleted"))
            case .failure(let error)?:
                logger.warning("repository skipped", metadata: ["repository": "\(name)", "error": "\(error)"])
                errors.append(PruneError(repository: name, message: error.description))
            case nil:
                continue
            }
        }
        return (inventories, errors, outcome.stopped)
    }

    // MARK: - Deleting

    /// What happened to one repository's candidates.
    struct RepositoryDeletion: Sendable {
        var deleted: Set<String> = []
        var spared: Set<String> = []
        var error: RegistryError?
    }

    /// Re-reads the repository's tags, spares every candidate a tag has moved onto since
    /// planning (and what such an index contains), then deletes the rest in plan order.
    private func deleteCandidates(_ plan: RepositoryPlan, inventory: RepositoryInventory) async -> RepositoryDeletion {
        await hooks.beforeDeleting(plan.repository)
        var outcome = RepositoryDeletion()
        do {
            outcome.spared = try await retaggedCandidates(plan, inventory: inventory)
            for digest in plan.candidates where !outcome.spared.contains(digest) {
                try await client.deleteManifest(repository: plan.repository, digest: digest)
                outcome.deleted.insert(digest)
            }
            logger.info(
                "repository pruned",
                metadata: ["repository": "\(plan.repository)", "deleted": "\(outcome.deleted.count)", "spared": "\(outcome.spared.count)"])
        } catch {
            outcome.error = await confirmedFatal(Self.registryError(error, repository: plan.repository))
        }
        return outcome
    }

    private func retaggedCandidates(_ plan: RepositoryPlan, inventory: RepositoryInventory) async throws -> Set<String> {
        let candidates = Set(plan.candidates)
        let tagsNow = try await client.tags(repository: plan.repository)
        let current = try await withThrowingTaskGroup(of: (String, String?).self) { group in
            for tag in tagsNow {
                group.addTask { (tag, try await client.manifestDigest(repository: plan.repository, reference: tag)) }
            }
            var pointing: [String: String] = [:]
            for try await (tag, digest) in group { if let digest { pointing[tag] = digest } }
            return pointing
        }
        var spared: Set<String> = []
        for (tag, digest) in current where candidates.contains(digest) && plan.tagsAtPlanning[tag] != digest {
            logger.notice("candidate re-tagged during the run; kept", metadata: ["repository": "\(plan.repository)", "tag": "\(tag)", "digest": "\(digest)"])
            spared.insert(digest)
        }
        var pending = Array(spared)
        while let digest = pending.popLast() {
            for child in inventory.manifests[digest]?.children ?? [] where candidates.contains(child) && spared.insert(child).inserted {
                pending.append(child)
            }
        }
        return spared
    }

    /// A transport failure stops the run only when the registry as a whole no longer answers; a
    /// single broken response (a connection closed mid-body) is its repository's problem.
    private func confirmedFatal(_ failure: RegistryError) async -> RegistryError {
        guard failure.isFatal, (try? await client.ping()) != nil else { return failure }
        var local = failure
        local.code = .badResponse
        local.message += " (the registry still answers; only this repository is skipped)"
        return local
    }

    /// Any error as a `RegistryError`.
    static func registryError(_ error: any Error, repository: String? = nil) -> RegistryError {
        if var registryError = error as? RegistryError {
            registryError.repository = registryError.repository ?? repository
            return registryError
        }
        return RegistryError(code: .badResponse, message: "\(error)", repository: repository)
    }
}
