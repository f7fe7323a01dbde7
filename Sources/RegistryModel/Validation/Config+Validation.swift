extension Config {
    /// Every problem with this Config, with field paths; what the CRD schema and the operator's
    /// verification would refuse.
    public func validate() throws(ValidationErrors) {
        var collector = FieldErrorCollector()
        if metadata.name.isEmpty || !DNSNames.isSubdomain(metadata.name) {
            collector.add("metadata.name", DNSNames.subdomainMessage(metadata.name))
        }
        collector.merge(spec.validationErrors(), prefix: "spec")
        try collector.check()
    }
}

extension ConfigSpec {
    /// Problems with the spec, paths relative to `spec`.
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if let error = RegistryValidation.registryManagementState(managementState) {
            collector.add("managementState", error)
        }
        if let error = NumericRange.nonNegativeInt32(replicas) { collector.add("replicas", error) }
        if let logLevel, let error = RegistryValidation.logLevel(logLevel) { collector.add("logLevel", error) }
        if let rolloutStrategy, !rolloutStrategy.isEmpty, !["RollingUpdate", "Recreate"].contains(rolloutStrategy) {
            collector.add("rolloutStrategy", "unsupported value \"\(rolloutStrategy)\": use RollingUpdate or Recreate")
        }
        if let storage {
            collector.merge(storage.validationErrors(), prefix: "storage")
            if let emptyDirError = storage.accessModeError(replicas: replicas, rolloutStrategy: effectiveRolloutStrategy) {
                collector.add("storage.emptyDir", emptyDirError)
            }
        }
        if let requests { collector.merge(requests.validationErrors(), prefix: "requests") }
        if let nodeSelector { collector.merge(DNSNames.validateLabels(nodeSelector, path: "nodeSelector")) }
        return collector.errors
    }
}

extension StorageSpec {
    /// Exactly one backend, and a known management state.
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        let backends = configuredBackends
        if backends.count > 1 {
            collector.add("", "exactly one storage type should be configured at the same time, got \(backends.count): [\(backends.joined(separator: " "))]")
        }
        if let state = managementState, !state.rawValue.isEmpty, !ManagementState.storageStates.contains(state) {
            collector.add("managementState", "unsupported value \"\(state)\": use Managed or Unmanaged")
        }
        if let claim = pvc?.claim, !claim.isEmpty, !DNSNames.isSubdomain(claim) {
            collector.add("pvc.claim", DNSNames.subdomainMessage(claim))
        }
        return collector.errors
    }

    /// The emptyDir backend keeps data per pod, so it cannot serve more than one replica.
    func accessModeError(replicas: Int, rolloutStrategy: String) -> String? {
        if emptyDir != nil && replicas > 1 { return "emptyDir storage supports one replica only, got \(replicas)" }
        return nil
    }
}

extension RequestsSpec {
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if let read { collector.merge(read.validationErrors(), prefix: "read") }
        if let write { collector.merge(write.validationErrors(), prefix: "write") }
        return collector.errors
    }
}

extension RequestLimits {
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if let maxRunning, let error = NumericRange.nonNegativeInt32(maxRunning) { collector.add("maxRunning", error) }
        if let maxInQueue, let error = NumericRange.nonNegativeInt32(maxInQueue) { collector.add("maxInQueue", error) }
        if let maxWaitInQueue, !maxWaitInQueue.isEmpty {
            do {
                let duration = try GoDuration(parsing: maxWaitInQueue)
                if duration.nanoseconds < 0 { collector.add("maxWaitInQueue", "must not be negative, got \(maxWaitInQueue)") }
            } catch {
                collector.add("maxWaitInQueue", error.message)
            }
        }
        return collector.errors
    }
}

/// Checks shared by the CRD validation and the hub's policy validation, so both refuse the same
/// values with the same words.
public enum RegistryValidation {
    /// Nil when `state` is Managed, Removed or Unmanaged.
    public static func registryManagementState(_ state: ManagementState) -> String? {
        if state == .force {
            return "unsupported value \"Force\": Force is not supported (it does nothing upstream); use Managed, Removed or Unmanaged"
        }
        if !ManagementState.registryStates.contains(state) {
            return "unsupported value \"\(state)\": use Managed, Removed or Unmanaged"
        }
        return nil
    }

    /// Nil when `level` is empty or one of Normal, Debug, Trace, TraceAll.
    public static func logLevel(_ level: String) -> String? {
        if level.isEmpty || LogLevels.all.contains(level) { return nil }
        return "unsupported value \"\(level)\": use one of \(LogLevels.all.joined(separator: ", "))"
    }

    /// Nil when `schedule` is a valid cron expression.
    public static func schedule(_ schedule: String) -> String? {
        do {
            _ = try CronSchedule(schedule)
            return nil
        } catch {
            return error.message
        }
    }

    /// Nil when `text` is a non-negative Go duration.
    public static func nonNegativeDuration(_ text: String) -> String? {
        do {
            let duration = try GoDuration(parsing: text)
            return duration.nanoseconds < 0 ? "must not be negative, got \"\(text)\"" : nil
        } catch {
            return error.message
        }
    }
}
