import Foundation
import ImagePruning
import RegistryModel
import Testing

/// The Registry v2 client against a real `docker-registry`, including what distribution does on
/// DELETE.
@Suite struct RegistryV2ClientTests {
    /// The catalog is read page by page through `Link` headers when `n` is small.
    @Test func catalogFollowsLinkPagination() async throws {
        try await RegistryFixture.with { fixture in
            let names = ["alpha/one", "beta/two", "gamma/three", "delta/four", "epsilon/five"]
            for name in names {
                try await fixture.pusher.pushImage(repository: name, tag: "v1", created: Fixtures.daysAgo(1), name: name, layers: [Fixtures.sharedLayer])
            }
            let (catalog, requests) = try await fixture.withClient(pageSize: 2) { client in
                (try await client.catalog(), client.requestCount)
            }
            #expect(catalog == names.sorted())
            #expect(requests == 3)
        }
    }

    /// A manifest read by tag returns the registry's digest, which is the SHA-256 of the body,
    /// and HEAD by tag agrees; an unknown tag is notFound for GET and nil for HEAD.
    @Test func manifestDigestComesFromHeaderAndMatchesBody() async throws {
        try await RegistryFixture.with { fixture in
            let pushed = try await fixture.pusher.pushImage(
                repository: "team/app", tag: "v1", created: Fixtures.daysAgo(1), name: "x", layers: [Fixtures.sharedLayer])
            let manifest = try await fixture.client.manifest(repository: "team/app", reference: "v1")
            #expect(manifest.digest == pushed.digest)
            #expect(RegistryV2Client.sha256Digest(manifest.body) == pushed.digest)
            #expect(manifest.contentType == ManifestMediaType.dockerManifest)
            #expect(try await fixture.client.manifestDigest(repository: "team/app", reference: "v1") == pushed.digest)
            #expect(try await fixture.client.manifestDigest(repository: "team/app", reference: "nope") == nil)
            let error = await #expect(throws: RegistryError.self) {
                _ = try await fixture.client.manifest(repository: "team/app", reference: "nope")
            }
            #expect(error?.code == .notFound)
            #expect(error?.repository == "team/app")
            #expect(error?.url?.hasSuffix("/v2/team/app/manifests/nope") == true)
        }
    }

    /// Observed distribution 2.8 semantics: DELETE by digest removes the manifest and every tag
    /// that pointed at it; a second DELETE is 404 (reported as already gone); DELETE by tag is
    /// refused; an emptied repository stays in the catalog with no tags.
    @Test func deleteByDigestRemovesEveryTagPointingAtIt() async throws {
        try await RegistryFixture.with { fixture in
            let image = try await fixture.pusher.pushImage(
                repository: "team/app", tag: "v1", created: Fixtures.daysAgo(2), name: "old", layers: [Fixtures.sharedLayer])
            try await fixture.pusher.tag(repository: "team/app", tag: "alias", digest: image.digest)
            let other = try await fixture.pusher.pushImage(
                repository: "team/app", tag: "v2", created: Fixtures.daysAgo(1), name: "new", layers: [Fixtures.sharedLayer])

            #expect(try await fixture.client.deleteManifest(repository: "team/app", digest: image.digest))
            #expect(try await fixture.client.tags(repository: "team/app") == ["v2"])
            #expect(try await fixture.client.manifestDigest(repository: "team/app", reference: "alias") == nil)
            #expect(try await fixture.client.deleteManifest(repository: "team/app", digest: image.digest) == false)
            let byTag = await #expect(throws: RegistryError.self) {
                try await fixture.client.deleteManifest(repository: "team/app", digest: "v2")
            }
            #expect(byTag?.code == .badResponse)
            #expect(byTag?.status == 400)

            #expect(try await fixture.client.deleteManifest(repository: "team/app", digest: other.digest))
            #expect(try await fixture.client.tags(repository: "team/app") == [])
            #expect(try await fixture.client.catalog() == ["team/app"])
        }
    }

    /// An unknown repository's tag list is notFound with the repository named.
    @Test func unknownRepositoryIsNotFound() async throws {
        try await RegistryFixture.with { fixture in
            let error = await #expect(throws: RegistryError.self) {
                _ = try await fixture.client.tags(repository: "no/such")
            }
            #expect(error?.code == .notFound)
            #expect(error?.repository == "no/such")
            #expect(error?.message.contains("NAME_UNKNOWN") == true)
        }
    }

    /// A stopped registry is `unreachable`, which stops a run.
    @Test func stoppedRegistryIsUnreachable() async throws {
        try await RegistryFixture.with { fixture in
            fixture.registry.kill()
            let error = await #expect(throws: RegistryError.self) { try await fixture.client.ping() }
            #expect(error?.code == .unreachable)
            #expect(error?.isFatal == true)
        }
    }
}
