import Foundation
@testable import ImagePruning
import Testing

/// Small pieces of the Registry v2 protocol that the live registry cannot exercise on demand.
@Suite struct RegistryProtocolTests {
    /// The `rel="next"` target of a Link header, relative or absolute, becomes a path and query
    /// on the configured registry; other relations and a missing header end pagination.
    @Test(arguments: [
        (["</v2/_catalog?last=team%2Fapp&n=2>; rel=\"next\""], "/v2/_catalog?last=team%2Fapp&n=2"),
        (["<https://elsewhere.example/v2/a/tags/list?n=10&last=v9>; rel=next"], "/v2/a/tags/list?n=10&last=v9"),
        (["</v2/_catalog?n=1>; rel=\"prev\", </v2/_catalog?last=b&n=1>; rel=\"next\""], "/v2/_catalog?last=b&n=1"),
        (["</v2/_catalog?n=1>; rel=\"prev\""], nil),
        ([], nil),
    ] as [([String], String?)])
    func linkHeaderNextPage(_ values: [String], _ expected: String?) {
        #expect(LinkHeader.nextPath(values) == expected)
    }

    /// Manifest bodies settle on a supported media type, and schema 1 or unknown types are
    /// refused as `unsupportedMediaType`.
    @Test func manifestMediaTypes() throws {
        let ociWithoutMediaType = Data(#"{"schemaVersion":2,"config":{"digest":"sha256:c","size":1},"layers":[]}"#.utf8)
        #expect(try ManifestDocument.parse(ociWithoutMediaType, contentType: nil, repository: "r", url: "u").1 == ManifestMediaType.ociManifest)
        let list = Data(#"{"schemaVersion":2,"manifests":[{"digest":"sha256:a","size":3}]}"#.utf8)
        #expect(try ManifestDocument.parse(list, contentType: ManifestMediaType.dockerManifestList, repository: "r", url: "u").1 == ManifestMediaType.dockerManifestList)
        let schema1 = Data(#"{"schemaVersion":1,"name":"r","tag":"v1","fsLayers":[]}"#.utf8)
        let error = #expect(throws: RegistryError.self) {
            _ = try ManifestDocument.parse(schema1, contentType: "application/vnd.docker.distribution.manifest.v1+prettyjws", repository: "r", url: "u")
        }
        #expect(error?.code == .unsupportedMediaType)
        let artifact = Data(#"{"schemaVersion":2,"mediaType":"application/vnd.example.thing","config":{"digest":"sha256:c","size":1}}"#.utf8)
        #expect(throws: RegistryError(code: .unsupportedMediaType, message: "")) {
            _ = try ManifestDocument.parse(artifact, contentType: "application/vnd.example.thing", repository: "r", url: "u")
        }
    }

    /// Config `created` times parse with Go's nanoseconds and with offsets; absent is nil.
    @Test func imageConfigCreatedTimes() {
        let nanos = ImageConfigTimes.parseCreated(Data(#"{"created":"2024-03-01T10:20:30.123456789Z"}"#.utf8))
        #expect(nanos.map { abs($0.timeIntervalSince1970 - 1_709_288_430.123) < 0.001 } == true)
        let offset = ImageConfigTimes.parseCreated(Data(#"{"created":"2024-03-01T11:20:30+01:00"}"#.utf8))
        #expect(offset?.timeIntervalSince1970 == 1_709_288_430)
        #expect(ImageConfigTimes.parseCreated(Data(#"{"architecture":"amd64"}"#.utf8)) == nil)
        #expect(ImageConfigTimes.parseCreated(Data("not json".utf8)) == nil)
    }

    /// Credentials become the right Authorization header.
    @Test func authorizationHeaders() {
        #expect(RegistryCredentials.none.authorizationHeader == nil)
        #expect(RegistryCredentials.basic(username: "pruner", password: "s3cret").authorizationHeader == "Basic cHJ1bmVyOnMzY3JldA==")
        #expect(RegistryCredentials.bearer(token: "abc").authorizationHeader == "Bearer abc")
    }
}
