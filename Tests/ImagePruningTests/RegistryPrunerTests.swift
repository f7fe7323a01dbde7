import Foundation
import ImagePruning
import RegistryModel
import Synchronization
import Testing

/// End-to-end prunes against a real `docker-registry`.
@Suite struct RegistryPrunerTests {
    private func pruner(_ client: RegistryV2Client, hooks: PruneHooks = PruneHooks()) -> RegistryPruner {
        RegistryPruner(client: client, clock: ManualWallClock(Fixtures.now), hooks: hooks)
    }

    /// A confirmed prune deletes exactly the images no rule keeps, reports each kept image under
    /// its first rule, and accounts the blobs only deleted images held.
    @Test func confirmedPruneKeepsWhatTheRulesRequireAndDeletesTheRest() async throws {
        try await RegistryFixture.with { fixture in
            let scenario = try await PruneScenario.push(into: fixture)
            let report = await pruner(fixture.client).run(images: try scenario.imagesInUse(), options: PruneScenario.options(confirm: true))

            #expect(report.errors == [])
            #expect(report.succeeded)
            #expect(report.dryRun == false)
            #expect(report.repositoriesScanned == 3)
            #expect(report.manifestsScanned == 16)
            #expect(report.deleted == PruneScenario.deletedNames.count)
            var expectedRules: [String: Int] = [:]
            for rule in PruneScenario.expectedRules.values { expectedRules[rule.rawValue, default: 0] += 1 }
            #expect(report.keptByRule == expectedRules)
            #expect(report.unreferencedBlobs == scenario.expectedReclaim.unreferencedBlobs)
            #expect(report.reclaimableBytes == scenario.expectedReclaim.reclaimableBytes)
            for name in PruneScenario.deletedNames {
                #expect(try await fixture.exists(PruneScenario.repository(of: name), scenario.digest(name)) == false, "\(name) should be deleted")
            }
            for name in PruneScenario.keptNames {
                #expect(try await fixture.exists(PruneScenario.repository(of: name), scenario.digest(name)), "\(name) should be kept")
            }
            #expect(Set(try await fixture.client.tags(repository: "team/app")) == ["v2", "v3", "stable", "v6", "v7"])
            #expect(Set(try await fixture.client.tags(repository: "team/multi")) == ["latest", "f"])
            #expect(try await fixture.client.tags(repository: "team/lone") == ["only"])
        }
    }

    /// A dry run reports the same decisions as a confirmed run but deletes nothing.
    @Test func dryRunDeletesNothing() async throws {
        try await RegistryFixture.with { fixture in
            let scenario = try await PruneScenario.push(into: fixture)
            let images = try scenario.imagesInUse()
            let (report, requests) = try await fixture.withClient { client in
                (await pruner(client).run(images: images, options: PruneScenario.options(confirm: false)), client.requestCount)
            }

            #expect(report.succeeded)
            #expect(report.dryRun)
            #expect(report.deleted == PruneScenario.deletedNames.count)
            #expect(report.unreferencedBlobs == scenario.expectedReclaim.unreferencedBlobs)
            for name in PruneScenario.deletedNames + PruneScenario.keptNames {
                #expect(try await fixture.exists(PruneScenario.repository(of: name), scenario.digest(name)), "\(name) must survive a dry run")
            }
            // ping + catalog + 3 tag lists, one GET per tag (13) and per untagged index entry (4),
            // one config GET per distinct config (14; `v3` and `stable` share one): no DELETE, no HEAD.
            #expect(requests == 1 + 1 + 3 + 13 + 4 + 14)
        }
    }

    /// Without references, the referenced and in-use images lose their protection; with them
    /// they are kept (the pair proves the references are what keeps them).
    @Test func referencedDigestsAndInUseTagsAreKept() async throws {
        try await RegistryFixture.with { fixture in
            let scenario = try await PruneScenario.push(into: fixture)
            let withoutReferences = await pruner(fixture.client).run(images: .none, options: PruneScenario.options(confirm: false))
            #expect(withoutReferences.deleted == PruneScenario.deletedNames.count + 2)
            #expect(withoutReferences.keptByRule[PruneRule.referenced.rawValue] == nil)
            #expect(withoutReferences.keptByRule[PruneRule.tagInUse.rawValue] == nil)

            let report = await pruner(fixture.client).run(images: try scenario.imagesInUse(), options: PruneScenario.options(confirm: true))
            #expect(report.keptByRule[PruneRule.referenced.rawValue] == 1)
            #expect(report.keptByRule[PruneRule.tagInUse.rawValue] == 1)
            #expect(try await fixture.exists("team/app", scenario.digest("a2")))
            #expect(try await fixture.client.manifestDigest(repository: "team/app", reference: "stable") == scenario.digest("a3"))
        }
    }

    /// A candidate that a tag moves onto between planning and deleting is kept, and an image
    /// pushed meanwhile is untouched; the other candidates are still deleted.
    @Test func imageRetaggedOrPushedDuringTheRunIsNotDeleted() async throws {
        try await RegistryFixture.with { fixture in
            let scenario = try await PruneScenario.push(into: fixture)
            let pushedDuringRun = Mutex<String?>(nil)
            let hooks = PruneHooks(afterPlanning: { plan in
                let app = plan.repositories.first { $0.repository == "team/app" }
                guard app?.candidates.contains(scenario.digest("a4")) == true else { return }
                try? await fixture.pusher.tag(repository: "team/app", tag: "hotfix", digest: scenario.digest("a4"))
                let fresh = try? await fixture.pusher.pushImage(
                    repository: "team/app", tag: "v8", created: Fixtures.daysAgo(50), name: "a8", layers: [Fixtures.sharedLayer])
                pushedDuringRun.withLock { $0 = fresh?.digest }
            })
            let report = await pruner(fixture.client, hooks: hooks).run(images: try scenario.imagesInUse(), options: PruneScenario.options(confirm: true))

            #expect(report.succeeded)
            #expect(report.keptByRule[RegistryPruner.keptBecauseRetagged] == 1)
            #expect(report.deleted == PruneScenario.deletedNames.count - 1)
            #expect(try await fixture.exists("team/app", scenario.digest("a4")))
            #expect(try await fixture.client.manifestDigest(repository: "team/app", reference: "hotfix") == scenario.digest("a4"))
            let fresh = try #require(pushedDuringRun.withLock { $0 })
            #expect(try await fixture.exists("team/app", fresh))
            #expect(try await fixture.exists("team/app", scenario.digest("a1")) == false)
        }
    }

    /// When the registry dies between two repositories, the run stops with a clear error and
    /// returns what it did so far.
    @Test func registryKilledMidRunGivesPartialReport() async throws {
        try await RegistryFixture.with { fixture in
            let scenario = try await PruneScenario.push(into: fixture)
            let repositoriesStarted = Mutex(0)
            let hooks = PruneHooks(beforeDeleting: { _ in
                let count = repositoriesStarted.withLock { count in
                    count += 1
                    return count
                }
                if count == 2 { fixture.registry.kill() }
            })
            let report = await pruner(fixture.client, hooks: hooks)
                .run(images: try scenario.imagesInUse(), options: PruneScenario.options(confirm: true, concurrency: 1))

            #expect(report.succeeded == false)
            #expect(repositoriesStarted.withLock { $0 } == 2)
            // team/app (a1, a4, a5) went first, in catalog order; team/lone has no candidates.
            #expect(report.deleted == 3)
            #expect(report.errors.count == 1)
            let error = try #require(report.errors.first)
            #expect(error.repository == "team/multi")
            #expect(error.message.contains("unreachable"))
            #expect(error.message.contains("partial"))
            #expect(report.manifestsScanned == 16)
        }
    }

    /// A repository that cannot be read (its config blob is gone from storage) is reported and
    /// left alone, while the other repositories are pruned.
    @Test func repositoryErrorDoesNotStopOtherRepositories() async throws {
        try await RegistryFixture.with { fixture in
            let scenario = try await PruneScenario.push(into: fixture)
            let config = try #require(scenario.images["l1"]?.config?.digest)
            let hex = config.dropFirst("sha256:".count)
            let blob = fixture.registry.directory.appendingPathComponent("data/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)")
            try FileManager.default.removeItem(at: blob)

            let report = await pruner(fixture.client).run(images: try scenario.imagesInUse(), options: PruneScenario.options(confirm: true))
            #expect(report.succeeded == false)
            #expect(report.errors.map(\.repository) == ["team/lone"], "\(report.errors)")
            #expect(report.repositoriesScanned == 2)
            #expect(report.deleted == PruneScenario.deletedNames.count, "\(report.errors)")
            #expect(try await fixture.exists("team/lone", scenario.digest("l1")))
        }
    }

    /// A registry that is down before the run starts gives a report with one error and nothing
    /// scanned.
    @Test func unreachableRegistryFailsTheRunWithAClearError() async throws {
        try await RegistryFixture.with { fixture in
            fixture.registry.kill()
            let report = await pruner(fixture.client).run(images: .none, options: PruneScenario.options(confirm: true))
            #expect(report.succeeded == false)
            #expect(report.repositoriesScanned == 0)
            #expect(report.errors.first?.message.contains("unreachable") == true)
        }
    }

    /// The whole CLI path: references from a file, a bad reference aborting before any request
    /// ("no changes made"), and the same reference skipped with ignoreInvalidRefs.
    @Test func invalidReferenceAbortsUnlessIgnored() async throws {
        try await RegistryFixture.with { fixture in
            let scenario = try await PruneScenario.push(into: fixture)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("refs-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: file) }
            let images = scenario.references.map(\.image) + ["\(fixture.domain)/team/app:v6 "]
            try JSONEncoder().encode(images).write(to: file)
            var arguments = PruneArguments(
                registryURL: fixture.registry.endpoint.baseURL, keepTagRevisions: 2, confirm: true, referencesFile: file.path)

            let strict = try arguments.validated()
            let error = await #expect(throws: RegistryError.self) {
                _ = try await RegistryPruner.run(configuration: strict, references: ReferencesFile(path: file.path), clock: ManualWallClock(Fixtures.now))
            }
            #expect(error?.code == .invalidReference)
            #expect(error?.message.contains("no changes made") == true)
            #expect(try await fixture.exists("team/app", scenario.digest("a1")))

            arguments.ignoreInvalidRefs = "true"
            let lenient = try arguments.validated()
            let report = try await RegistryPruner.run(
                configuration: lenient, references: ReferencesFile(path: file.path), clock: ManualWallClock(Fixtures.now))
            #expect(report.succeeded)
            #expect(report.deleted == PruneScenario.deletedNames.count)
        }
    }
}
