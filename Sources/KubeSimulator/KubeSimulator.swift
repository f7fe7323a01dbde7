// KubeSimulator
