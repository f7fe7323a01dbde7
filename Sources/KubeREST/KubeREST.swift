// KubeREST
