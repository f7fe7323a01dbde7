/// The version every component reports.
public enum RegistryFleetVersion {
    public static let current = "0.1.0"
}
