// RegistryOperator
