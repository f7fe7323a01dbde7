import Hummingbird

/// Builds the hub's API router. A plain function, so the CLI, the demo and the tests build the
/// same application around the same services.
public func buildHubRouter(services: HubServices, rollouts: RolloutEngine) -> (router: Router<HubRequestContext>, routes: [RouteDescription]) {
    let router = Router(context: HubRequestContext.self)
    router.add(middleware: RequestObserverMiddleware(metrics: services.metrics))
    router.add(middleware: IdentityMiddleware(services: services))
    let registry = RouteRegistry(router: router)
    SystemRoutes.register(registry, services: services)
    AgentRoutes.register(registry, services: services)
    AdminRoutes.register(registry, services: services)
    HealthRoutes.register(registry, services: services)
    RolloutRoutes.register(registry, services: services, engine: rollouts)
    return (router, registry.routes)
}
