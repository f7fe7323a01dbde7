/// The checks a Kubernetes API server makes from the CRDs' OpenAPI schemas (deploy/crds), as
/// opposed to the operator's own verification.
///
/// Upstream's CRD does not validate the pruner's cron schedule: an invalid schedule is stored and
/// the operator reports it (Degraded, reason `InvalidSchedule`) while leaving the CronJob as it
/// was. Our Config CRD is stricter than upstream's (it refuses `Force` and negative replicas), so
/// for Config the schema and the full validation coincide.
extension Config {
    /// What the Config CRD schema refuses.
    public func validateSchema() throws(ValidationErrors) {
        try validate()
    }
}

extension ImagePruner {
    /// What the ImagePruner CRD schema refuses: everything `validate()` does except the schedule.
    public func validateSchema() throws(ValidationErrors) {
        var collector = FieldErrorCollector()
        if metadata.name.isEmpty || !DNSNames.isSubdomain(metadata.name) {
            collector.add("metadata.name", DNSNames.subdomainMessage(metadata.name))
        }
        collector.merge(spec.validationErrors().filter { $0.path != "schedule" }, prefix: "spec")
        try collector.check()
    }
}
