import Hummingbird

/// Builds the hub's API router. A plain function, so the CLI, the demo and the tests build the
/// same application around the same services.
public func buildHubRouter(services: HubServices, rollouts: RolloutEngine) -> (router: Router<HubRequestContext>, routes: [RouteDescription]) {
    let router = Router(context: HubRequestContext.self)
    let registry = RouteRegistry(router: router)
    router.add(middleware: RequestObserverMiddleware(metrics: services.metrics))
    router.add(middleware: UnmatchedRouteMiddleware(table: registry.table))
    router.add(middleware: IdentityMiddleware(services: services))
    router.add(middleware: ConnectionReserveMiddleware(governor: services.apiConnections))
    SystemRoutes.register(registry, services: services)
    AgentRoutes.register(registry, services: services)
    AdminRoutes.register(registry, services: services)
    HealthRoutes.register(registry, services: services)
    RolloutRoutes.register(registry, services: services, engine: rollouts)
    FleetPolicyRoutes.register(registry, services: services)
    DashboardRoutes.register(registry, services: services, access: .admin)
    return (router, registry.routes)
}

/// The second listener's router: the dashboard and the read-only health API without client
/// certificates (browsers rarely hold one), plus metrics and liveness.
public func buildDashboardRouter(services: HubServices) -> Router<HubRequestContext> {
    let router = Router(context: HubRequestContext.self)
    let registry = RouteRegistry(router: router)
    router.add(middleware: RequestObserverMiddleware(metrics: services.metrics))
    router.add(middleware: UnmatchedRouteMiddleware(table: registry.table))
    router.add(middleware: ConnectionReserveMiddleware(governor: services.dashboardConnections))
    DashboardRoutes.register(registry, services: services, access: .anyone)
    HealthRoutes.register(registry, services: services, access: .anyone)
    registry.add(.get, "/metrics", access: .anyone) { _, _ in
        try await services.refreshFleetMetrics()
        return SystemRoutes.textResponse(services.metrics.render(), contentType: "text/plain; version=0.0.4")
    }
    registry.add(.get, "/healthz", access: .anyone) { _, _ in SystemRoutes.textResponse("ok\n", contentType: "text/plain") }
    return router
}
