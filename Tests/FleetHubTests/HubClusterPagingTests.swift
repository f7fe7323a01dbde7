import FleetClient
import FleetHub
import Foundation
import RegistryModel
import Testing

/// `GET /v1/clusters` pages as Kubernetes lists do: `limit`, an opaque `continue`, stable order by name.
@Suite struct HubClusterPagingTests {
    /// Seven clusters, every other one labelled env=prod, enrolled out of name order.
    private func enrollFleet(_ hub: HubFixture) async throws -> [String] {
        let names = ["c-5", "c-1", "c-7", "c-3", "c-2", "c-6", "c-4"]
        for name in names {
            let number = Int(name.dropFirst(2)) ?? 0
            let agent = try await hub.enroll(name, labels: ["env": number % 2 == 1 ? "prod" : "dev"])
            await agent.connection.shutdown()
        }
        return names.sorted()
    }

    /// Pages of three come back by name, each but the last with a continue token, and together hold every cluster
    /// exactly once.
    @Test func pagesFollowNameOrderAndEndWithoutToken() async throws {
        try await withHub { (hub: HubFixture) async throws in
            let names = try await enrollFleet(hub)
            let first = try await hub.admin.clusterPage(limit: 3)
            #expect(first.clusters.map(\.name) == ["c-1", "c-2", "c-3"])
            let afterFirst: String = try #require(first.continueToken)
            let second = try await hub.admin.clusterPage(limit: 3, continueToken: afterFirst)
            #expect(second.clusters.map(\.name) == ["c-4", "c-5", "c-6"])
            let afterSecond: String = try #require(second.continueToken)
            let last = try await hub.admin.clusterPage(limit: 3, continueToken: afterSecond)
            #expect(last.clusters.map(\.name) == ["c-7"])
            #expect(last.continueToken == nil)
            #expect(try await hub.admin.clusterPage(limit: 7).continueToken == nil, "a page holding the rest has no token")
            #expect(try await hub.admin.clusters(pageSize: 2).map(\.name) == names, "the client follows every page")
        }
    }

    /// With a selector, pages hold only matching clusters, and a cluster deleted between pages neither repeats
    /// nor hides the ones after it.
    @Test func selectorPagesSurviveADeletion() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await enrollFleet(hub)
            let first = try await hub.admin.clusterPage(selector: "env=prod", limit: 2)
            #expect(first.clusters.map(\.name) == ["c-1", "c-3"])
            _ = try await hub.admin.deleteCluster("c-3")
            let token: String = try #require(first.continueToken)
            let rest = try await hub.admin.clusterPage(selector: "env=prod", limit: 2, continueToken: token)
            #expect(rest.clusters.map(\.name) == ["c-5", "c-7"])
            #expect(rest.continueToken == nil)
            #expect(try await hub.admin.clusters(selector: "env=prod", pageSize: 1).map(\.name) == ["c-1", "c-5", "c-7"])
        }
    }

    /// One bad paging parameter and the field its 400 must name.
    static let badQueries: [(query: String, field: String)] = [
        ("limit=0", "limit"), ("limit=10001", "limit"), ("limit=-3", "limit"), ("limit=ten", "limit"),
        ("limit=2&continue=not-a-token", "continue"), ("continue=eyJ2IjoxfQ", "continue"),
    ]

    /// Bad `limit` or `continue` values are 400 with the JSON error shape naming the parameter.
    @Test func badPagingParametersAre400() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await enrollFleet(hub)
            for bad in Self.badQueries {
                let (status, body) = try await hub.admin.connection.send(.GET, "/v1/clusters?" + bad.query)
                #expect(status == 400, "\(bad.query)")
                let error = HubConnection.error(status: status, body: body)
                #expect(error.code == "bad_request", "\(bad.query)")
                #expect(error.field == bad.field, "\(bad.query)")
            }
        }
    }

    /// A token issued for one selector is refused for another rather than continuing the wrong list.
    @Test func tokenIsBoundToItsSelector() async throws {
        try await withHub { (hub: HubFixture) async throws in
            _ = try await enrollFleet(hub)
            let token = try #require(try await hub.admin.clusterPage(selector: "env=prod", limit: 1).continueToken)
            let error = await failureStatus { _ = try await hub.admin.clusterPage(selector: "env=dev", limit: 1, continueToken: token) }
            #expect(error?.status == 400)
            #expect(error?.field == "continue")
            #expect(try await hub.admin.clusterPage(selector: "env=prod", limit: 1, continueToken: token).clusters.map(\.name) == ["c-3"])
        }
    }
}
