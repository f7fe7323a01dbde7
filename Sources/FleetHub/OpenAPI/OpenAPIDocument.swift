/// The OpenAPI 3.1 description of the hub API, served at `/v1/openapi.yaml`. A test keeps its
/// paths, methods and security in step with the routes the hub registers.
public enum OpenAPIDocument {
    public static let yaml = #"""
openapi: 3.1.0
info:
  title: RegistryFleet hub API
  version: "1"
  description: >
    Fleet control for the Registry v2 Image Registry Operator. Every route except enrollment,
    health, readiness, metrics and this document needs a client certificate issued by the fleet CA
    (mutual TLS); the caller's identity and role come from the certificate's URI SAN
    (spiffe://regfleet/cluster/NAME or spiffe://regfleet/admin/NAME). Errors are
    {"error": {"code", "message", "field"?}}.
servers:
  - url: https://localhost:8443
security:
  - adminCertificate: []
components:
  securitySchemes:
    adminCertificate:
      type: mutualTLS
      description: Client certificate with URI SAN spiffe://regfleet/admin/NAME.
    agentCertificate:
      type: mutualTLS
      description: Client certificate with URI SAN spiffe://regfleet/cluster/NAME; the agent may touch only its own cluster.
  parameters:
    ClusterName:
      name: name
      in: path
      required: true
      schema: {type: string, pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'}
    Selector:
      name: selector
      in: query
      description: Kubernetes label selector, e.g. env=prod,region in (eu,us).
      schema: {type: string}
  responses:
    Error:
      description: The request failed; the body names the problem and, where one field is at fault, the field.
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Error'}
  schemas:
    Error:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code: {type: string, enum: [bad_request, invalid, unauthenticated, forbidden, not_found, conflict, payload_too_large, unsupported_media_type, unavailable, internal]}
            message: {type: string}
            field: {type: string}
    ManagementState: {type: string, enum: [Managed, Removed, Unmanaged]}
    Condition:
      type: object
      required: [type, status]
      properties:
        type: {type: string}
        status: {type: string, enum: ["True", "False", Unknown]}
        reason: {type: string}
        message: {type: string}
        lastTransitionTime: {type: string, format: date-time}
        observedGeneration: {type: integer}
    RegistryPolicy:
      type: object
      additionalProperties: false
      properties:
        managementState: {$ref: '#/components/schemas/ManagementState'}
        replicas: {type: integer, minimum: 0}
        logLevel: {type: string, enum: [Normal, Debug, Trace, TraceAll]}
        readOnly: {type: boolean}
        requests: {type: object}
        storage:
          type: object
          additionalProperties: false
          properties:
            managementState: {type: string, enum: [Managed, Unmanaged]}
    PrunerPolicy:
      type: object
      additionalProperties: false
      properties:
        schedule: {type: string, description: five-field cron expression}
        suspend: {type: boolean}
        keepTagRevisions: {type: integer, minimum: 0}
        keepYoungerThanDuration: {type: string, description: Go duration such as 60m}
        successfulJobsHistoryLimit: {type: integer, minimum: 0}
        failedJobsHistoryLimit: {type: integer, minimum: 0}
        ignoreInvalidImageReferences: {type: boolean}
        logLevel: {type: string, enum: [Normal, Debug, Trace, TraceAll]}
    PolicyDocument:
      type: object
      required: [cluster, generation]
      properties:
        cluster: {type: string}
        generation: {type: integer}
        registry: {$ref: '#/components/schemas/RegistryPolicy'}
        pruner: {$ref: '#/components/schemas/PrunerPolicy'}
        updatedBy: {type: string}
        updatedAt: {type: string, format: date-time}
    PolicyUpdateRequest:
      type: object
      additionalProperties: false
      properties:
        registry: {$ref: '#/components/schemas/RegistryPolicy'}
        pruner: {$ref: '#/components/schemas/PrunerPolicy'}
        generation: {type: integer, description: The generation the client read; a stale one gets 409.}
        acknowledgeDataLoss: {type: boolean, description: Required to switch a cluster with operator-managed storage to Removed.}
    ClusterHealth:
      type: object
      properties:
        state: {type: string, enum: [Healthy, Progressing, Degraded, Removed, Offline, Unreachable, Unknown]}
        reason: {type: string}
        message: {type: string}
        prunerFailing: {type: boolean}
    ClusterSummary:
      type: object
      properties:
        name: {type: string}
        labels: {type: object, additionalProperties: {type: string}}
        enrolledAt: {type: string, format: date-time}
        health: {$ref: '#/components/schemas/ClusterHealth'}
        desiredGeneration: {type: integer}
        observedGeneration: {type: integer}
        managementState: {$ref: '#/components/schemas/ManagementState'}
        lastReportAt: {type: string, format: date-time}
        agentVersion: {type: string}
    AgentReport:
      type: object
      additionalProperties: false
      required: [sequence, observedGeneration, agentVersion, collectedAt, registry, workloads]
      properties:
        sequence: {type: integer, minimum: 1}
        observedGeneration: {type: integer, minimum: 0}
        agentVersion: {type: string}
        collectedAt: {type: string, format: date-time}
        registry: {type: object}
        pruner: {type: object}
        workloads: {type: array, items: {type: object}}
        pruneResults: {type: array, items: {$ref: '#/components/schemas/PruneReport'}}
        summarizedReports: {type: integer}
        clusterAPIUnreachable:
          type: object
          additionalProperties: false
          required: [since, message]
          description: Set when the agent cannot reach its cluster's API server; the observations are from lastObservedAt (absent when none).
          properties:
            since: {type: string, format: date-time}
            message: {type: string}
            lastObservedAt: {type: string, format: date-time}
    PruneReport:
      type: object
      properties:
        runID: {type: string}
        registryURL: {type: string}
        dryRun: {type: boolean}
        startedAt: {type: string, format: date-time}
        finishedAt: {type: string, format: date-time}
        repositoriesScanned: {type: integer}
        manifestsScanned: {type: integer}
        keptByRule: {type: object, additionalProperties: {type: integer}}
        deleted: {type: integer}
        unreferencedBlobs: {type: integer}
        reclaimableBytes: {type: integer}
        errors: {type: array, items: {type: object}}
    CertificateResponse:
      type: object
      properties:
        cluster: {type: string}
        certificate: {type: string, description: PEM}
        caCertificate: {type: string, description: PEM}
        serial: {type: string}
        notAfter: {type: string, format: date-time}
    RolloutPlan:
      type: object
      additionalProperties: false
      required: [change]
      properties:
        name: {type: string}
        selector: {type: string, description: Label selector of the clusters to change.}
        change:
          type: object
          properties:
            registry: {$ref: '#/components/schemas/RegistryPolicy'}
            pruner: {$ref: '#/components/schemas/PrunerPolicy'}
        strategy:
          type: object
          additionalProperties: false
          properties:
            canary: {type: object, properties: {count: {type: integer, minimum: 1}, selector: {type: string}}}
            maxConcurrency: {oneOf: [{type: integer, minimum: 1}, {type: string, pattern: '^[0-9]+%$'}]}
            soakSeconds: {type: integer, minimum: 0}
            progressDeadlineSeconds: {type: integer, minimum: 1}
            maxFailures: {oneOf: [{type: integer, minimum: 0}, {type: string, pattern: '^[0-9]+%$'}]}
            autoRollback: {type: boolean}
        acknowledgeDataLoss: {type: boolean}
        staggerPrunerSchedules: {type: boolean}
        dryRun: {type: boolean}
    Rollout:
      type: object
      properties:
        id: {type: string}
        name: {type: string}
        createdBy: {type: string}
        createdAt: {type: string, format: date-time}
        updatedAt: {type: string, format: date-time}
        plan: {$ref: '#/components/schemas/RolloutPlan'}
        phase: {type: string, enum: [Progressing, Paused, Succeeded, Failed, Aborted, RollingBack, RolledBack]}
        message: {type: string}
        waves: {type: array, items: {type: string}}
        clusters:
          type: array
          items:
            type: object
            properties:
              name: {type: string}
              wave: {type: integer}
              state: {type: string, enum: [Pending, Applying, Soaking, Succeeded, Failed, RolledBack]}
              targetGeneration: {type: integer}
              message: {type: string}
paths:
  /:
    get:
      summary: The dashboard (HTML). Also served without client certificates on the dashboard listener.
      parameters: [{$ref: '#/components/parameters/Selector'}, {name: state, in: query, schema: {type: string}}]
      responses: {"200": {description: The page.}}
  /healthz:
    get:
      summary: Liveness.
      security: []
      responses: {"200": {description: The process is alive.}}
  /readyz:
    get:
      summary: Readiness (the database answers).
      security: []
      responses: {"200": {description: Ready.}, "503": {$ref: '#/components/responses/Error'}}
  /metrics:
    get:
      summary: Prometheus metrics.
      security: []
      responses: {"200": {description: Prometheus text exposition.}}
  /v1/openapi.yaml:
    get:
      summary: This document.
      security: []
      responses: {"200": {description: OpenAPI 3.1 YAML.}}
  /v1/enroll:
    post:
      summary: Exchange a bootstrap token and a CSR for a client certificate.
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [cluster, token, csr]
              properties:
                cluster: {type: string}
                token: {type: string}
                csr: {type: string, description: PEM PKCS#10 request for the agent's own P-256 key}
      responses:
        "200": {description: Issued, content: {application/json: {schema: {$ref: '#/components/schemas/CertificateResponse'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
  /v1/agent/desired:
    get:
      summary: Long-poll the cluster's desired policy.
      security: [{agentCertificate: []}]
      parameters:
        - {name: after, in: query, schema: {type: integer}, description: The generation the agent has; answered at once when the hub's is newer.}
        - {name: timeout, in: query, schema: {type: integer, minimum: 0, maximum: 300}, description: Seconds to hold (default 30).}
      responses:
        "200": {description: A newer policy, content: {application/json: {schema: {$ref: '#/components/schemas/PolicyDocument'}}}}
        "304": {description: No change before the timeout.}
        "403": {$ref: '#/components/responses/Error'}
  /v1/agent/reports:
    post:
      summary: Report status, health and prune results (idempotent by sequence; also the heartbeat).
      security: [{agentCertificate: []}]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/AgentReport'}}}}
      responses:
        "200":
          description: Stored durably (or already stored).
          content: {application/json: {schema: {type: object, properties: {sequence: {type: integer}, duplicate: {type: boolean}}}}}
        "413": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
  /v1/agent/renew:
    post:
      summary: Renew the agent's certificate from a new CSR.
      security: [{agentCertificate: []}]
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, additionalProperties: false, required: [csr], properties: {csr: {type: string}}}}}
      responses:
        "200": {description: Issued, content: {application/json: {schema: {$ref: '#/components/schemas/CertificateResponse'}}}}
        "422": {$ref: '#/components/responses/Error'}
  /v1/tokens:
    post:
      summary: Create a single-use bootstrap token for a cluster.
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [cluster]
              properties:
                cluster: {type: string}
                ttlSeconds: {type: integer, minimum: 1}
                labels: {type: object, additionalProperties: {type: string}}
      responses:
        "201":
          description: The token (shown once; stored hashed).
          content: {application/json: {schema: {type: object, properties: {cluster: {type: string}, token: {type: string}, expiresAt: {type: string, format: date-time}}}}}
        "409": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
  /v1/clusters:
    get:
      summary: Clusters with labels, health and observed vs desired generation.
      parameters: [{$ref: '#/components/parameters/Selector'}]
      responses:
        "200":
          description: The clusters.
          content: {application/json: {schema: {type: object, properties: {clusters: {type: array, items: {$ref: '#/components/schemas/ClusterSummary'}}}}}}
        "400": {$ref: '#/components/responses/Error'}
  /v1/clusters/{name}:
    get:
      summary: One cluster with its policy, latest report and certificate serials.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses: {"200": {description: The cluster.}, "404": {$ref: '#/components/responses/Error'}}
    delete:
      summary: Delete a cluster; its certificates are revoked and its agent can no longer connect.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses: {"200": {description: Deleted; the revoked serials.}, "404": {$ref: '#/components/responses/Error'}}
  /v1/clusters/{name}/labels:
    put:
      summary: Replace a cluster's labels.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, additionalProperties: false, required: [labels], properties: {labels: {type: object, additionalProperties: {type: string}}}}}}
      responses: {"200": {description: Updated.}, "422": {$ref: '#/components/responses/Error'}}
  /v1/clusters/{name}/policy:
    get:
      summary: The cluster's desired registry and pruner policy.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses: {"200": {description: The policy, content: {application/json: {schema: {$ref: '#/components/schemas/PolicyDocument'}}}}}
    put:
      summary: Replace the cluster's policy; the generation increments when the content changes.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/PolicyUpdateRequest'}}}}
      responses:
        "200": {description: The stored policy, content: {application/json: {schema: {$ref: '#/components/schemas/PolicyDocument'}}}}
        "409": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
  /v1/health:
    get:
      summary: Fleet summary - counts per state overall and per label group, unhealthy clusters with reasons.
      parameters: [{$ref: '#/components/parameters/Selector'}]
      responses: {"200": {description: The report.}}
  /v1/prune-results:
    get:
      summary: Pruning runs and fleet totals.
      parameters:
        - {name: cluster, in: query, schema: {type: string}}
        - {name: since, in: query, schema: {type: string, format: date-time}}
      responses: {"200": {description: Runs and totals.}}
  /v1/audit:
    get:
      summary: Who changed what, when (newest first).
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000}}
        - {name: since, in: query, schema: {type: string, format: date-time}}
        - {name: actor, in: query, schema: {type: string}}
      responses: {"200": {description: Audit entries.}}
  /v1/rollouts:
    post:
      summary: Start a staged, health-gated rollout (or, with dryRun, preview each cluster's diff and the waves).
      parameters: [{name: dryRun, in: query, schema: {type: boolean}}]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/RolloutPlan'}}}}
      responses:
        "201": {description: Created, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}
        "200": {description: Dry-run preview.}
        "409": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
    get:
      summary: Rollouts, newest first.
      responses: {"200": {description: The rollouts.}}
  /v1/rollouts/{id}:
    get:
      summary: One rollout with per-cluster progress.
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: The rollout, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}, "404": {$ref: '#/components/responses/Error'}}
  /v1/rollouts/{id}/pause:
    post:
      summary: Pause - no new wave starts.
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: The rollout, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}, "409": {$ref: '#/components/responses/Error'}}
  /v1/rollouts/{id}/resume:
    post:
      summary: Resume a paused rollout.
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: The rollout, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}, "409": {$ref: '#/components/responses/Error'}}
  /v1/rollouts/{id}/abort:
    post:
      summary: Abort - stop; changes already made stay.
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: The rollout, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}, "409": {$ref: '#/components/responses/Error'}}
  /v1/rollouts/{id}/rollback:
    post:
      summary: Roll back - restore the previous policy on every cluster the rollout touched.
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: The rollout, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}, "409": {$ref: '#/components/responses/Error'}}
"""#
}
