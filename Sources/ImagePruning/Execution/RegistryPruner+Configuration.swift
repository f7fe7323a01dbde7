import Logging
import RegistryModel

extension RegistryPruner {
    /// The whole of `regfleet prune`: reads the references (an invalid one aborts here, before
    /// any registry request, unless ignored), makes a client, runs, and shuts the client down.
    /// Throws only for problems found before the registry is contacted; everything later is in
    /// the report.
    public static func run(
        configuration: PruneConfiguration, references: any ImageReferenceProvider, clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "prune"), hooks: PruneHooks = PruneHooks(), progress: @escaping @Sendable (PruneProgress) -> Void = { _ in }
    ) async throws -> PruneReport {
        let occurrences = try await references.imageReferences()
        let (images, skipped) = try ImagesInUse.resolve(
            occurrences, registryDomains: configuration.registryDomains, ignoreInvalid: configuration.ignoreInvalidReferences)
        for occurrence in skipped {
            logger.warning("invalid image reference ignored", metadata: ["image": "\(occurrence.image)", "source": "\(occurrence.source)"])
        }
        logger.info(
            "image references read",
            metadata: ["references": "\(occurrences.count)", "digests": "\(images.digests.values.reduce(0) { $0 + $1.count })", "tags": "\(images.tags.values.reduce(0) { $0 + $1.count })"])
        let client = try RegistryV2Client(configuration: configuration.client, logger: logger)
        let report = await RegistryPruner(client: client, clock: clock, logger: logger, hooks: hooks, progress: progress)
            .run(images: images, options: configuration.run)
        try await client.shutdown()
        return report
    }
}
