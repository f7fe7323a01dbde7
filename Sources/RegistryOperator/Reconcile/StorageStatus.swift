import KubeClient
import RegistryModel

/// Decides StorageExists and the applied storage (`status.storage`) after the writes.
enum StorageStatus {
    struct Outcome {
        var applied: StorageSpec?
        var condition: Condition?
        var error: OperatorError?
    }

    static func decide(state: ManagementState, storage: StorageSpec, managed: Bool, claim: PersistentVolumeClaim?, removalFailed: Bool) -> Outcome {
        let type = ConfigConditionType.storageExists
        var applied = storage.backendOnly
        applied.managementState = storage.effectiveManagementState
        if state == .removed {
            if removalFailed { return Outcome(applied: applied, condition: nil) }
            if managed && storage.pvc != nil {
                return Outcome(
                    applied: nil,
                    condition: Condition(type: type, status: .false, reason: "StorageRemoved", message: "The managed storage was deleted with the registry"))
            }
            return Outcome(
                applied: nil,
                condition: Condition(type: type, status: managed ? .false : .true, reason: managed ? "StorageRemoved" : "Unmanaged",
                    message: managed ? "The managed storage was deleted with the registry" : "The storage is unmanaged and was kept"))
        }
        if let pvc = storage.pvc {
            let name = (pvc.claim ?? "").isEmpty ? RegistryNames.managedPVC : pvc.claim!
            guard let claim else {
                return Outcome(
                    applied: applied,
                    condition: Condition(type: type, status: .false, reason: "PVCNotFound", message: "PVC \(name) does not exist"),
                    error: (pvc.claim ?? "").isEmpty ? nil : OperatorError(code: .pvcIssues, message: "PVC \(name) does not exist"))
            }
            let phase = claim.status?.phase ?? "Pending"
            return Outcome(
                applied: applied,
                condition: Condition(type: type, status: .true, reason: "PVCExists", message: "PVC \(name) exists (\(phase))"))
        }
        if storage.emptyDir != nil {
            return Outcome(applied: applied, condition: Condition(type: type, status: .true, reason: "EmptyDir", message: "The registry uses ephemeral emptyDir storage"))
        }
        if let s3 = storage.s3 {
            return Outcome(applied: applied, condition: Condition(type: type, status: .true, reason: "S3Configured", message: "S3 bucket \(s3.bucket ?? "") is configured"))
        }
        return Outcome(applied: applied, condition: nil, error: OperatorError(code: .storageNotConfigured, message: "storage backend not configured", isPermanent: true))
    }
}
