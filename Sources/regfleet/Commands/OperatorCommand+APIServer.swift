import Foundation
import KubeREST
import Logging
import RegistryOperator

extension OperatorCommand {
    /// Runs the operator against the API server of --kubeconfig or --in-cluster until SIGINT or
    /// SIGTERM, then closes the client's connections.
    func runAgainstAPIServer(logger: Logger) async throws {
        let client = try cluster.makeClient(logger: logger)
        logger.info("operator starting", metadata: ["apiServer": "\(client.configuration.server)", "source": "\(client.configuration.source)"])
        let controller = OperatorController(api: client, logger: logger)
        do {
            try await SignalWaiter.runUntilInterrupted { await controller.run() }
        } catch {
            try? await client.shutdown()
            throw error
        }
        let passes = await controller.passes
        logger.info("operator stopped", metadata: ["passes": "\(passes)"])
        try await client.shutdown()
    }
}
