extension ImagePruner {
    /// Every problem with this ImagePruner, with field paths.
    public func validate() throws(ValidationErrors) {
        var collector = FieldErrorCollector()
        if metadata.name.isEmpty || !DNSNames.isSubdomain(metadata.name) {
            collector.add("metadata.name", DNSNames.subdomainMessage(metadata.name))
        }
        collector.merge(spec.validationErrors(), prefix: "spec")
        try collector.check()
    }
}

extension ImagePrunerSpec {
    /// Problems with the spec, paths relative to `spec`.
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if let schedule, !schedule.isEmpty, let error = RegistryValidation.schedule(schedule) {
            collector.add("schedule", error)
        }
        if let keepTagRevisions, keepTagRevisions < 0 {
            collector.add("keepTagRevisions", "must be greater than or equal to 0, got \(keepTagRevisions)")
        }
        if let keepYoungerThan, keepYoungerThan < 0 {
            collector.add("keepYoungerThan", "must be greater than or equal to 0, got \(keepYoungerThan)")
        }
        if let text = keepYoungerThanDuration, !text.isEmpty, let error = RegistryValidation.nonNegativeDuration(text) {
            collector.add("keepYoungerThanDuration", error)
        }
        if let limit = successfulJobsHistoryLimit, limit < 0 {
            collector.add("successfulJobsHistoryLimit", "must be greater than or equal to 0, got \(limit)")
        }
        if let limit = failedJobsHistoryLimit, limit < 0 {
            collector.add("failedJobsHistoryLimit", "must be greater than or equal to 0, got \(limit)")
        }
        if let logLevel, let error = RegistryValidation.logLevel(logLevel) { collector.add("logLevel", error) }
        if let nodeSelector { collector.merge(DNSNames.validateLabels(nodeSelector, path: "nodeSelector")) }
        return collector.errors
    }
}
