// ImagePruning
