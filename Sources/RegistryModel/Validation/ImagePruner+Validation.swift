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
        if let keepTagRevisions, let error = NumericRange.nonNegativeInt32(keepTagRevisions) { collector.add("keepTagRevisions", error) }
        if let keepYoungerThan, keepYoungerThan < 0 {
            collector.add("keepYoungerThan", "must be greater than or equal to 0, got \(keepYoungerThan)")
        }
        if let text = keepYoungerThanDuration, !text.isEmpty, let error = RegistryValidation.nonNegativeDuration(text) {
            collector.add("keepYoungerThanDuration", error)
        }
        if let limit = successfulJobsHistoryLimit, let error = NumericRange.nonNegativeInt32(limit) {
            collector.add("successfulJobsHistoryLimit", error)
        }
        if let limit = failedJobsHistoryLimit, let error = NumericRange.nonNegativeInt32(limit) {
            collector.add("failedJobsHistoryLimit", error)
        }
        if let logLevel, let error = RegistryValidation.logLevel(logLevel) { collector.add("logLevel", error) }
        if let nodeSelector { collector.merge(DNSNames.validateLabels(nodeSelector, path: "nodeSelector")) }
        return collector.errors
    }
}
