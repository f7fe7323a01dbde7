import Foundation
import KubeClient

/// The simulated kube-controller-manager, scheduler and kubelets, run in dependency order so
/// that one pass usually carries a change from a workload to its pods' status and back.
enum ControllerManager {
    /// Passes per round before giving up on settling (a safety net; rounds settle in a few).
    static let maximumPasses = 12

    /// The resources some controller reads; writes to others (Configs, RBAC, …) need no round.
    static let inputs: Set<ResourceType> = [
        .namespaces, .nodes, .pods, .services, .serviceAccounts, .configMaps, .secrets, .persistentVolumeClaims, .deployments, .daemonSets,
        .jobs, .cronJobs, .apiServices,
    ]

    /// Runs every controller once.
    static func runPass(_ server: inout APIServer, _ round: inout ControllerRound) {
        NamespaceController.reconcile(&server, &round)
        GarbageCollector.reconcile(&server, &round)
        VolumeBinder.reconcile(&server, &round)
        CronJobController.reconcile(&server, &round)
        JobController.reconcile(&server, &round)
        DeploymentController.reconcile(&server, &round)
        DaemonSetController.reconcile(&server, &round)
        Scheduler.reconcile(&server, &round)
        Kubelet.reconcile(&server, &round)
        APIServiceController.reconcile(&server, &round)
    }
}
