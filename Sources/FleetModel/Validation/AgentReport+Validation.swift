import RegistryModel

extension AgentReport {
    /// At most this many prune runs travel in one report (the agent forwards each run once; a
    /// backlog is split across reports).
    public static let maximumPruneResults = 100

    /// Every problem with the report, with field paths; the hub refuses a report with any, so
    /// nothing out of range is ever stored or summed.
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if sequence < 1 { collector.add("sequence", "must be greater than or equal to 1, got \(sequence)") }
        if observedGeneration < 0 { collector.add("observedGeneration", "must be greater than or equal to 0, got \(observedGeneration)") }
        if let summarizedReports, let error = NumericRange.nonNegative(summarizedReports, maximum: NumericRange.countMax) {
            collector.add("summarizedReports", error)
        }
        collector.merge(registry.validationErrors(), prefix: "registry")
        for (index, workload) in workloads.enumerated() {
            collector.merge(workload.validationErrors(), prefix: "workloads[\(index)]")
        }
        if let pruneResults {
            if pruneResults.count > Self.maximumPruneResults {
                collector.add("pruneResults", "at most \(Self.maximumPruneResults) runs per report, got \(pruneResults.count)")
            }
            // A run id repeated within one report is stored once, like a run forwarded twice.
            for (index, run) in pruneResults.enumerated() {
                collector.merge(run.validationErrors(), prefix: "pruneResults[\(index)]")
            }
        }
        return collector.errors
    }

    /// Throws every problem at once.
    public func validate() throws(ValidationErrors) {
        let errors = validationErrors()
        if !errors.isEmpty { throw ValidationErrors(errors) }
    }
}

extension RegistryObservation {
    func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if let replicas, let error = NumericRange.nonNegativeInt32(replicas) { collector.add("replicas", error) }
        if let readyReplicas, let error = NumericRange.nonNegativeInt32(readyReplicas) { collector.add("readyReplicas", error) }
        if let generation, generation < 0 { collector.add("generation", "must be greater than or equal to 0, got \(generation)") }
        if let observedGeneration, observedGeneration < 0 {
            collector.add("observedGeneration", "must be greater than or equal to 0, got \(observedGeneration)")
        }
        return collector.errors
    }
}

extension WorkloadStatus {
    func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if let desired, let error = NumericRange.nonNegativeInt32(desired) { collector.add("desired", error) }
        if let readyCount, let error = NumericRange.nonNegativeInt32(readyCount) { collector.add("readyCount", error) }
        return collector.errors
    }
}

extension PruneReport {
    /// Longest accepted run id (a UUID is 36 characters).
    public static let maximumRunIDLength = 128

    /// Problems with one run; counts and bytes must be in range so fleet totals cannot overflow.
    public func validationErrors() -> [FieldError] {
        var collector = FieldErrorCollector()
        if runID.isEmpty || runID.utf8.count > Self.maximumRunIDLength {
            collector.add("runID", "must be 1 to \(Self.maximumRunIDLength) bytes long")
        }
        let counts: [(String, Int)] = [
            ("repositoriesScanned", repositoriesScanned), ("manifestsScanned", manifestsScanned), ("deleted", deleted),
            ("unreferencedBlobs", unreferencedBlobs),
        ]
        for (field, value) in counts {
            if let error = NumericRange.nonNegative(value, maximum: NumericRange.countMax) { collector.add(field, error) }
        }
        for (rule, value) in keptByRule.sorted(by: { $0.key < $1.key }) {
            if PruneRule(rawValue: rule) == nil {
                collector.add("keptByRule.\(rule)", "unknown rule: use one of \(PruneRule.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if let error = NumericRange.nonNegative(value, maximum: NumericRange.countMax) { collector.add("keptByRule.\(rule)", error) }
        }
        if let error = NumericRange.nonNegative(reclaimableBytes, maximum: NumericRange.bytesMax) { collector.add("reclaimableBytes", error) }
        return collector.errors
    }
}
