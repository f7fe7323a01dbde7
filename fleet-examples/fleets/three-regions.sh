#!/usr/bin/env bash
# Bootstrap tokens for a labelled fleet: production and staging clusters in three regions.
# Each token is single use and expires in 24 h; hand it to the cluster's agent
# (deploy/agent/bootstrap-secret.yaml) together with the fleet CA.
set -euo pipefail
for region in eu us ap; do
    for index in 1 2 3; do
        regfleet token create --cluster "prod-${region}-${index}" --ttl 24h --labels "env=prod,region=${region},tier=critical"
    done
    regfleet token create --cluster "staging-${region}-1" --ttl 24h --labels "env=staging,region=${region}"
done
