/// The fixed names of the Image Registry Operator's world (domain.md, "Names").
public enum RegistryNames {
    public static let group = "imageregistry.operator.alauda.io"
    public static let version = "v1"
    public static let apiVersion = "\(group)/\(version)"
    /// The only name the operator reconciles for both custom resources.
    public static let singleton = "cluster"
    public static let namespace = "image-registry-system"
    public static let operatorDeployment = "cluster-image-registry-operator"
    public static let registryDeployment = "image-registry"
    public static let registryService = "image-registry"
    public static let registryPort = 5000
    public static let apiServerDeployment = "image-api-server"
    public static let apiServerService = "image-api-server"
    public static let apiServerPort = 443
    public static let apiService = "v1.image.alauda.io"
    public static let imageAPIGroup = "image.alauda.io"
    public static let nodeCADaemonSet = "node-ca"
    public static let prunerCronJob = "image-pruner"
    public static let prunerServiceAccount = "pruner"
    public static let prunerJobLabel = "created-by"
    public static let registryServiceAccount = "registry"
    public static let registryClusterRole = "system:registry"
    public static let registryClusterRoleBinding = "registry-registry-role"
    public static let prunerClusterRole = "system:image-pruner"
    public static let prunerClusterRoleBinding = "image-registry-pruner"
    public static let privateConfigurationSecret = "image-registry-private-configuration"
    public static let certificatesConfigMap = "image-registry-certificates"
    public static let serviceCAConfigMap = "serviceca"
    public static let serviceCAFile = "/var/run/configmaps/serviceca/service-ca.crt"
    public static let managedPVC = "image-registry-storage"
    public static let podDisruptionBudget = "image-registry"
    /// What the pruner talks to unless told otherwise.
    public static let internalRegistryURL = "https://image-registry.image-registry-system.svc:5000"
    /// Label put on every object the operator owns, so they can be listed and garbage collected.
    public static let managedByLabel = "app.kubernetes.io/managed-by"
    public static let managedByValue = "image-registry-operator"
    /// Annotation on ImagePruner-produced ConfigMaps/Jobs carrying the prune report.
    public static let pruneReportConfigMap = "image-pruner-last-run"
    /// The key in that ConfigMap holding the report as JSON.
    public static let pruneReportDataKey = "report.json"
}
