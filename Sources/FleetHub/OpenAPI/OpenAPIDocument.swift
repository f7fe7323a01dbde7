/// The OpenAPI 3.1 description of the hub API, served at `/v1/openapi.yaml`.
///
/// It states every status each operation answers and the patterns and ranges the hub enforces
/// (a pattern here is what the hub is guaranteed to accept; where the hub accepts more, the
/// description says so). Tests hold it to the registered routes, and schemathesis holds the
/// live hub to it.
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
    (spiffe://regfleet/cluster/NAME or spiffe://regfleet/admin/NAME). Every error answer is
    {"error": {"code", "message", "field"?}}. Request bodies are UTF-8 JSON
    (Content-Type application/json, optionally with charset=utf-8; anything else is 415); a
    member named twice, an unknown member, or an explicit null for a typed field is refused.
    Integers that Kubernetes stores as int32 are limited to 0..2147483647. The patterns below are
    what the hub is guaranteed to accept; the hub may accept more (for example cron ranges and
    set-based selectors), described in each field. 503 means the hub is shutting down or at its
    connection limit (only admins and health checks are served from the reserve; retry after the
    Retry-After seconds).
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
      description: A DNS-1123 label.
      schema: {type: string, pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'}
    RolloutID:
      name: id
      in: path
      required: true
      description: A rollout's id or name.
      schema: {type: string, pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'}
    Selector:
      name: selector
      in: query
      description: Kubernetes label selector; equality requirements are shown here, set-based ones (env in (eu,us), !key) are accepted too.
      schema: {type: string, pattern: '^([a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(,[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?){0,4})?$'}
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
            code: {type: string, enum: [bad_request, invalid, unauthenticated, forbidden, not_found, method_not_allowed, conflict, payload_too_large, unsupported_media_type, unavailable, internal]}
            message: {type: string}
            field: {type: string}
    Time: {type: string, format: date-time, pattern: '^(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{3})?Z$'}
    ClusterNameValue: {type: string, pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'}
    Labels:
      type: object
      maxProperties: 16
      propertyNames: {pattern: '^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$'}
      additionalProperties: {type: string, pattern: '^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$'}
    Int32: {type: integer, minimum: 0, maximum: 2147483647}
    Int64: {type: integer, minimum: 0, maximum: 9223372036854775807}
    ManagementState: {type: string, enum: [Managed, Removed, Unmanaged]}
    LogLevel: {type: string, enum: [Normal, Debug, Trace, TraceAll]}
    Condition:
      type: object
      additionalProperties: false
      required: [type, status]
      properties:
        type: {type: string, maxLength: 128}
        status: {type: string, enum: ["True", "False", Unknown]}
        reason: {type: string, maxLength: 128}
        message: {type: string, maxLength: 1024}
        lastTransitionTime: {$ref: '#/components/schemas/Time'}
        observedGeneration: {$ref: '#/components/schemas/Int64'}
    RequestLimits:
      type: object
      additionalProperties: false
      properties:
        maxRunning: {$ref: '#/components/schemas/Int32'}
        maxInQueue: {$ref: '#/components/schemas/Int32'}
        maxWaitInQueue: {type: string, pattern: '^([0-9]{1,4}(h|m|s|ms)){1,3}$', description: Go duration}
    RegistryPolicy:
      type: object
      additionalProperties: false
      properties:
        managementState: {$ref: '#/components/schemas/ManagementState'}
        replicas: {$ref: '#/components/schemas/Int32'}
        logLevel: {$ref: '#/components/schemas/LogLevel'}
        readOnly: {type: boolean}
        requests:
          type: object
          additionalProperties: false
          properties:
            read: {$ref: '#/components/schemas/RequestLimits'}
            write: {$ref: '#/components/schemas/RequestLimits'}
        storage:
          type: object
          additionalProperties: false
          properties:
            managementState: {type: string, enum: [Managed, Unmanaged]}
    PrunerPolicy:
      type: object
      additionalProperties: false
      properties:
        schedule: {type: string, pattern: '^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\*(/[1-9][0-9]?)?|[1-5]?[0-9](,[1-5]?[0-9]){0,3}) (\*(/[1-9][0-9]?)?|(1?[0-9]|2[0-3])(,(1?[0-9]|2[0-3])){0,3}) (\*(/[1-9][0-9]?)?|([1-9]|[12][0-9]|3[01])(,([1-9]|[12][0-9]|3[01])){0,3}) (\*(/[1-9][0-9]?)?|([1-9]|1[0-2])(,([1-9]|1[0-2])){0,3}) (\*(/[1-9][0-9]?)?|[0-7](,[0-7]){0,3}))$', description: "Five-field cron (UTC) or @daily-style shorthand; ranges such as 1-5 and month and day names are accepted too."}
        suspend: {type: boolean}
        keepTagRevisions: {$ref: '#/components/schemas/Int32'}
        keepYoungerThanDuration: {type: string, pattern: '^([0-9]{1,4}(h|m|s|ms)){1,3}$', description: Go duration such as 60m or 1h30m}
        successfulJobsHistoryLimit: {$ref: '#/components/schemas/Int32'}
        failedJobsHistoryLimit: {$ref: '#/components/schemas/Int32'}
        ignoreInvalidImageReferences: {type: boolean}
        logLevel: {$ref: '#/components/schemas/LogLevel'}
    FleetPolicy:
      type: object
      additionalProperties: false
      properties:
        registry: {$ref: '#/components/schemas/RegistryPolicy'}
        pruner: {$ref: '#/components/schemas/PrunerPolicy'}
    RemovedNeedsAcknowledgement:
      description: Switching to Removed deletes operator-managed storage, so it needs acknowledgeDataLoss true (the hub asks only when the storage is operator-managed).
      if:
        required: [registry]
        properties: {registry: {required: [managementState], properties: {managementState: {const: Removed}}}}
      then:
        required: [acknowledgeDataLoss]
        properties: {acknowledgeDataLoss: {const: true}}
    PolicyDocument:
      type: object
      required: [cluster, generation]
      properties:
        cluster: {type: string}
        generation: {type: integer}
        registry: {type: object}
        pruner: {type: object}
        updatedBy: {type: string}
        updatedAt: {type: string, format: date-time}
        staged: {type: boolean, description: Staged for a cluster that has not enrolled; its enrollment makes it the next generation.}
    PolicyUpdateRequest:
      type: object
      additionalProperties: false
      allOf: [{$ref: '#/components/schemas/RemovedNeedsAcknowledgement'}]
      properties:
        registry: {$ref: '#/components/schemas/RegistryPolicy'}
        pruner: {$ref: '#/components/schemas/PrunerPolicy'}
        generation: {type: integer, minimum: 0, maximum: 9223372036854775807, description: The generation the client read; a stale one gets 409.}
        acknowledgeDataLoss: {type: boolean}
        force: {type: boolean, description: Change a cluster that an active rollout holds (409 without it); audited as policy.force.}
    ClusterHealth:
      type: object
      required: [state]
      properties:
        state: {type: string, enum: [Healthy, Progressing, Degraded, Removed, Offline, Unreachable, Unknown]}
        reason: {type: string}
        message: {type: string}
        prunerFailing: {type: boolean}
    ClusterSummary:
      type: object
      required: [name]
      properties:
        name: {type: string}
        labels: {type: object, additionalProperties: {type: string}}
        enrolledAt: {type: string, format: date-time}
        health: {$ref: '#/components/schemas/ClusterHealth'}
        desiredGeneration: {type: integer}
        observedGeneration: {type: integer}
        managementState: {type: string}
        lastReportAt: {type: string, format: date-time}
        agentVersion: {type: string}
    WorkloadStatus:
      type: object
      additionalProperties: false
      required: [kind, name, present, ready]
      properties:
        kind: {type: string, maxLength: 64}
        name: {type: string, maxLength: 253}
        present: {type: boolean}
        ready: {type: boolean}
        desired: {$ref: '#/components/schemas/Int32'}
        readyCount: {$ref: '#/components/schemas/Int32'}
        message: {type: string, maxLength: 1024}
    AgentReport:
      type: object
      additionalProperties: false
      required: [sequence, observedGeneration, agentVersion, collectedAt, registry, workloads]
      properties:
        sequence: {type: integer, minimum: 1, maximum: 9223372036854775807}
        observedGeneration: {type: integer, minimum: 0, maximum: 9223372036854775807}
        agentVersion: {type: string, maxLength: 64}
        collectedAt: {$ref: '#/components/schemas/Time'}
        registry:
          type: object
          additionalProperties: false
          required: [managementState, conditions]
          properties:
            managementState: {$ref: '#/components/schemas/ManagementState'}
            storageManagementState: {type: string, enum: [Managed, Unmanaged]}
            replicas: {$ref: '#/components/schemas/Int32'}
            readyReplicas: {$ref: '#/components/schemas/Int32'}
            generation: {$ref: '#/components/schemas/Int64'}
            observedGeneration: {$ref: '#/components/schemas/Int64'}
            conditions: {type: array, maxItems: 16, items: {$ref: '#/components/schemas/Condition'}}
        pruner:
          type: object
          additionalProperties: false
          required: [conditions]
          properties:
            schedule: {type: string, maxLength: 128}
            suspend: {type: boolean}
            conditions: {type: array, maxItems: 16, items: {$ref: '#/components/schemas/Condition'}}
        workloads: {type: array, maxItems: 16, items: {$ref: '#/components/schemas/WorkloadStatus'}}
        pruneResults: {type: array, maxItems: 100, items: {$ref: '#/components/schemas/PruneReport'}}
        summarizedReports: {type: integer, minimum: 0, maximum: 1099511627776}
        clusterAPIUnreachable:
          type: object
          additionalProperties: false
          required: [since, message]
          description: Set when the agent cannot reach its cluster's API server; the observations are from lastObservedAt (absent when none).
          properties:
            since: {$ref: '#/components/schemas/Time'}
            message: {type: string, maxLength: 1024}
            lastObservedAt: {$ref: '#/components/schemas/Time'}
    PruneCount: {type: integer, minimum: 0, maximum: 1099511627776}
    PruneReport:
      type: object
      additionalProperties: false
      required: [runID, registryURL, dryRun, startedAt, finishedAt, repositoriesScanned, manifestsScanned, keptByRule, deleted, unreferencedBlobs, reclaimableBytes, errors]
      properties:
        runID: {type: string, minLength: 1, maxLength: 128, description: Unique per run within one cluster.}
        registryURL: {type: string, maxLength: 512}
        dryRun: {type: boolean}
        startedAt: {$ref: '#/components/schemas/Time'}
        finishedAt: {$ref: '#/components/schemas/Time'}
        repositoriesScanned: {$ref: '#/components/schemas/PruneCount'}
        manifestsScanned: {$ref: '#/components/schemas/PruneCount'}
        keptByRule:
          type: object
          propertyNames: {enum: [young, revisions, referenced, index, tagInUse]}
          additionalProperties: {$ref: '#/components/schemas/PruneCount'}
        deleted: {$ref: '#/components/schemas/PruneCount'}
        unreferencedBlobs: {$ref: '#/components/schemas/PruneCount'}
        reclaimableBytes: {type: integer, minimum: 0, maximum: 9007199254740992}
        errors:
          type: array
          maxItems: 100
          items:
            type: object
            additionalProperties: false
            required: [message]
            properties:
              repository: {type: string, maxLength: 256}
              message: {type: string, maxLength: 1024}
    CertificateResponse:
      type: object
      required: [cluster, certificate, caCertificate, serial, notAfter]
      properties:
        cluster: {type: string}
        certificate: {type: string, description: PEM}
        caCertificate: {type: string, description: PEM}
        serial: {type: string}
        notAfter: {type: string, format: date-time}
    CSRRequest:
      type: string
      description: PEM PKCS#10 request for the agent's own P-256 key, signed by it (its validity is cryptographic, so a schema cannot state it).
      pattern: '^-----BEGIN CERTIFICATE REQUEST-----'
    CountOrPercent100: {oneOf: [{type: integer, minimum: 1, maximum: 1000000}, {type: string, pattern: '^([1-9][0-9]?|100)%$'}]}
    CountOrPercent0: {oneOf: [{type: integer, minimum: 0, maximum: 1000000}, {type: string, pattern: '^([0-9]{1,2}|100)%$'}]}
    RolloutPlan:
      type: object
      additionalProperties: false
      required: [selector, change]
      properties:
        name: {type: string, pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'}
        selector: {type: string, pattern: '^(\*|[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(,[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?){0,4})$', description: 'Label selector of the clusters to change (set-based requirements are accepted too), or "*" for every cluster. Required: a plan never targets the whole fleet by omission.'}
        change:
          type: object
          additionalProperties: false
          minProperties: 1
          properties:
            registry: {$ref: '#/components/schemas/RegistryPolicy'}
            pruner: {$ref: '#/components/schemas/PrunerPolicy'}
        strategy: {$ref: '#/components/schemas/RolloutStrategy'}
        acknowledgeDataLoss: {type: boolean}
        staggerPrunerSchedules: {type: boolean}
        dryRun: {type: boolean}
      if:
        required: [change]
        properties: {change: {required: [registry], properties: {registry: {required: [managementState], properties: {managementState: {const: Removed}}}}}}
      then:
        required: [acknowledgeDataLoss]
        properties: {acknowledgeDataLoss: {const: true}}
    Rollout:
      type: object
      required: [id, phase]
      properties:
        id: {type: string}
        name: {type: string}
        createdBy: {type: string}
        createdAt: {type: string, format: date-time}
        updatedAt: {type: string, format: date-time}
        plan: {type: object}
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
              state: {type: string, enum: [Pending, Applying, Soaking, Succeeded, Failed, RolledBack, Aborted]}
              targetGeneration: {type: integer}
              message: {type: string}
    RolloutStrategy:
      type: object
      additionalProperties: false
      properties:
        canary:
          oneOf:
            - {type: object, additionalProperties: false, required: [count], properties: {count: {type: integer, minimum: 1, maximum: 1000000}}}
            - {type: object, additionalProperties: false, required: [selector], properties: {selector: {type: string, pattern: '^([a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(,[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?){0,4})?$'}}}
        maxConcurrency: {$ref: '#/components/schemas/CountOrPercent100'}
        soakSeconds: {type: integer, minimum: 0, maximum: 604800}
        progressDeadlineSeconds: {type: integer, minimum: 1, maximum: 604800}
        maxFailures: {$ref: '#/components/schemas/CountOrPercent0'}
        autoRollback: {type: boolean}
    MaintenanceWindow:
      type: object
      additionalProperties: false
      required: [schedule, duration]
      properties:
        schedule: {type: string, pattern: '^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\*(/[1-9][0-9]?)?|[1-5]?[0-9](,[1-5]?[0-9]){0,3}) (\*(/[1-9][0-9]?)?|(1?[0-9]|2[0-3])(,(1?[0-9]|2[0-3])){0,3}) (\*(/[1-9][0-9]?)?|([1-9]|[12][0-9]|3[01])(,([1-9]|[12][0-9]|3[01])){0,3}) (\*(/[1-9][0-9]?)?|([1-9]|1[0-2])(,([1-9]|1[0-2])){0,3}) (\*(/[1-9][0-9]?)?|[0-7](,[0-7]){0,3}))$', description: "Five-field cron of the window's start times, read in timeZone."}
        duration: {type: string, pattern: '^[1-9][0-9]{0,2}(h|m)$', description: "Go duration the window stays open after each start (positive, at most 8760h)."}
        timeZone: {type: string, enum: [UTC, Europe/Berlin, Europe/London, America/New_York, America/Los_Angeles, Asia/Tokyo, Australia/Sydney], description: Any IANA time zone name is accepted; UTC when absent.}
    FleetPolicySpec:
      type: object
      additionalProperties: false
      required: [selector]
      description: A standing rule - every cluster its selector matches, now or later, gets the template (and the overrides its labels match). Higher priority wins per field; a cluster's own policy wins over every fleet policy. It must set a field, an override or a window.
      anyOf:
        - {required: [template], properties: {template: {minProperties: 1}}}
        - {required: [overrides], properties: {overrides: {minItems: 1}}}
        - {required: [maintenanceWindows], properties: {maintenanceWindows: {minItems: 1}}}
      properties:
        selector: {type: string, pattern: '^(\*|[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(,[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?){0,4})$', description: 'Label selector of the clusters it holds (set-based requirements are accepted too), or "*" for every cluster.'}
        priority: {type: integer, minimum: -1000, maximum: 1000}
        template: {$ref: '#/components/schemas/FleetPolicy'}
        overrides:
          type: array
          maxItems: 32
          items:
            type: object
            additionalProperties: false
            required: [selector, policy]
            properties:
              selector: {type: string, pattern: '^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(,[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?){0,4}$'}
              policy: {allOf: [{$ref: '#/components/schemas/FleetPolicy'}], minProperties: 1}
        strategy: {$ref: '#/components/schemas/RolloutStrategy'}
        maintenanceWindows: {type: array, maxItems: 32, items: {$ref: '#/components/schemas/MaintenanceWindow'}}
        acknowledgeDataLoss: {type: boolean}
      if:
        anyOf:
          - {required: [template], properties: {template: {required: [registry], properties: {registry: {required: [managementState], properties: {managementState: {const: Removed}}}}}}}
          - {required: [overrides], properties: {overrides: {contains: {properties: {policy: {required: [registry], properties: {registry: {required: [managementState], properties: {managementState: {const: Removed}}}}}}}}}}
      then:
        required: [acknowledgeDataLoss]
        properties: {acknowledgeDataLoss: {const: true}}
    StoredFleetPolicy:
      type: object
      required: [name, generation, spec]
      properties:
        name: {type: string}
        generation: {type: integer}
        spec: {type: object}
        createdBy: {type: string}
        createdAt: {type: string, format: date-time}
        updatedBy: {type: string}
        updatedAt: {type: string, format: date-time}
        lastRollout: {type: string}
        status:
          type: object
          properties:
            matchedClusters: {type: integer}
            pendingClusters: {type: integer}
            lastRollout: {type: string}
            lastRolloutPhase: {type: string}
            message: {type: string}
    FreezeRequest:
      type: object
      additionalProperties: false
      required: [selector]
      properties:
        selector: {type: string, pattern: '^(\*|[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(,[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?(=|==|!=)[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?){0,4})$', description: 'Label selector of the clusters to freeze, or "*" for the whole fleet.'}
        reason: {type: string, maxLength: 1024}
        until: {$ref: '#/components/schemas/Time'}
    ChangeFreeze:
      type: object
      required: [name, selector, createdBy, createdAt]
      properties:
        name: {type: string}
        selector: {type: string}
        reason: {type: string}
        until: {type: string, format: date-time}
        createdBy: {type: string}
        createdAt: {type: string, format: date-time}
    CertificateRevocationRequest:
      type: object
      additionalProperties: false
      required: [serial]
      properties:
        serial: {type: string, pattern: '^[0-9a-f]{1,64}$', description: The certificate's serial as lowercase hex.}
        reason: {type: string, maxLength: 1024}
    JSONObject: {type: object}
paths:
  /:
    get:
      summary: The dashboard (HTML). Also served without client certificates on the dashboard listener.
      parameters:
        - {$ref: '#/components/parameters/Selector'}
        - {name: state, in: query, schema: {type: string}}
        - {name: q, in: query, description: Part of a cluster name., schema: {type: string, maxLength: 63}}
        - {name: sort, in: query, schema: {type: string, enum: [name, state, report, generation]}}
        - {name: window, in: query, description: Pruning telemetry window., schema: {type: string, enum: [24h, 7d, all]}}
      responses:
        "200": {description: The page., content: {text/html: {schema: {type: string}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /clusters/{name}:
    get:
      summary: A cluster's dashboard page (HTML) - state and why, conditions, workloads, policy with sources, rollouts, reports, prune runs.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses:
        "200": {description: The page., content: {text/html: {schema: {type: string}}}}
        "404": {description: No such cluster (a page saying so)., content: {text/html: {schema: {type: string}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /rollouts/{id}:
    get:
      summary: A rollout's dashboard page (HTML) - waves, every cluster's state and why, time left in soak or deadline.
      parameters: [{$ref: '#/components/parameters/RolloutID'}]
      responses:
        "200": {description: The page., content: {text/html: {schema: {type: string}}}}
        "404": {description: No such rollout (a page saying so)., content: {text/html: {schema: {type: string}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /healthz:
    get:
      summary: Liveness.
      security: []
      responses:
        "200": {description: The process is alive., content: {text/plain: {schema: {type: string}}}}
        "503": {$ref: '#/components/responses/Error'}
  /readyz:
    get:
      summary: Readiness (the database answers, the report queue is not saturated).
      security: []
      responses:
        "200": {description: Ready., content: {text/plain: {schema: {type: string}}}}
        "503": {$ref: '#/components/responses/Error'}
  /metrics:
    get:
      summary: Prometheus metrics.
      security: []
      responses:
        "200": {description: Prometheus text exposition., content: {text/plain: {schema: {type: string}}}}
        "503": {$ref: '#/components/responses/Error'}
  /v1/openapi.yaml:
    get:
      summary: This document.
      security: []
      responses:
        "200": {description: OpenAPI 3.1 YAML., content: {application/yaml: {schema: {type: string}}}}
        "503": {$ref: '#/components/responses/Error'}
  /v1/enroll:
    post:
      summary: Exchange a bootstrap token and a CSR for a client certificate.
      description: The token is checked first (401 unknown or expired, 403 for another cluster, 409 used), then the CSR (422).
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
                cluster: {$ref: '#/components/schemas/ClusterNameValue'}
                token: {type: string, maxLength: 256}
                csr: {$ref: '#/components/schemas/CSRRequest'}
      responses:
        "200": {description: Issued, content: {application/json: {schema: {$ref: '#/components/schemas/CertificateResponse'}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "413": {$ref: '#/components/responses/Error'}
        "415": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/agent/desired:
    get:
      summary: Long-poll the cluster's desired policy.
      security: [{agentCertificate: []}]
      parameters:
        - {name: after, in: query, schema: {type: integer, minimum: -1, maximum: 9223372036854775807}, description: The generation the agent has; answered at once when the hub's is newer.}
        - {name: timeout, in: query, schema: {type: integer, minimum: 0, maximum: 300}, description: Seconds to hold (at most the hub's long-poll timeout).}
      responses:
        "200": {description: A newer policy, content: {application/json: {schema: {$ref: '#/components/schemas/PolicyDocument'}}}}
        "304": {description: No change before the timeout.}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/agent/reports:
    post:
      summary: Report status, health and prune results (idempotent by sequence; also the heartbeat).
      security: [{agentCertificate: []}]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/AgentReport'}}}}
      responses:
        "200":
          description: Stored durably (or already stored).
          content: {application/json: {schema: {type: object, required: [sequence, duplicate], properties: {sequence: {type: integer}, duplicate: {type: boolean}}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "413": {$ref: '#/components/responses/Error'}
        "415": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/agent/renew:
    post:
      summary: Renew the agent's certificate from a new CSR.
      security: [{agentCertificate: []}]
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, additionalProperties: false, required: [csr], properties: {csr: {$ref: '#/components/schemas/CSRRequest'}}}}}
      responses:
        "200": {description: Issued, content: {application/json: {schema: {$ref: '#/components/schemas/CertificateResponse'}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "413": {$ref: '#/components/responses/Error'}
        "415": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/tokens:
    get:
      summary: Bootstrap tokens, newest first, without their secrets; each Unused, Used or Expired.
      parameters: [{name: cluster, in: query, schema: {$ref: '#/components/schemas/ClusterNameValue'}}]
      responses:
        "200":
          description: The tokens.
          content:
            application/json:
              schema:
                type: object
                required: [tokens]
                properties:
                  tokens:
                    type: array
                    items:
                      type: object
                      required: [id, cluster, labels, createdBy, createdAt, expiresAt, state]
                      properties:
                        id: {type: string}
                        cluster: {type: string}
                        labels: {type: object, additionalProperties: {type: string}}
                        createdBy: {type: string}
                        createdAt: {type: string, format: date-time}
                        expiresAt: {type: string, format: date-time}
                        usedAt: {type: string, format: date-time}
                        state: {type: string, enum: [Unused, Used, Expired]}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
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
                cluster: {$ref: '#/components/schemas/ClusterNameValue'}
                ttlSeconds: {type: integer, minimum: 1, maximum: 604800, description: At most the hub's maximum token lifetime (7 days by default).}
                labels: {$ref: '#/components/schemas/Labels'}
      responses:
        "201":
          description: The token (shown once; stored hashed).
          content: {application/json: {schema: {type: object, required: [cluster, token, expiresAt], properties: {cluster: {type: string}, token: {type: string}, expiresAt: {type: string, format: date-time}}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "413": {$ref: '#/components/responses/Error'}
        "415": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/tokens/{id}:
    delete:
      summary: Revoke an unused bootstrap token (audited as token.revoke); a used one is 409 (delete its cluster instead).
      parameters: [{name: id, in: path, required: true, description: The token's id as GET /v1/tokens lists it., schema: {type: string}}]
      responses:
        "204": {description: Revoked.}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/clusters:
    get:
      summary: Clusters with labels, health and observed vs desired generation, by name.
      description: >-
        Paged as Kubernetes lists are. With `limit`, at most that many clusters come back and, when more match,
        `continue` holds an opaque token; pass it back as the `continue` parameter (with the same selector) for
        the next page. Pages are keyed by cluster name, so a cluster added or deleted between pages does not
        make the others repeat or go missing. Without `limit` and `continue` the whole list comes back in one
        answer; `continue` without `limit` pages by 500.
      parameters:
        - {$ref: '#/components/parameters/Selector'}
        - {name: limit, in: query, description: Most clusters in this page., schema: {type: integer, minimum: 1, maximum: 10000}}
        - {name: continue, in: query, description: The `continue` token of the previous page., schema: {type: string, minLength: 1, maxLength: 1024}}
      responses:
        "200":
          description: The clusters (one page of them with `limit`).
          content: {application/json: {schema: {type: object, required: [clusters], properties: {clusters: {type: array, items: {$ref: '#/components/schemas/ClusterSummary'}}, continue: {type: string, description: The token for the next page; absent on the last page.}}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/clusters/{name}:
    get:
      summary: One cluster with its policy, latest report and certificate serials.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses:
        "200": {description: The cluster., content: {application/json: {schema: {$ref: '#/components/schemas/JSONObject'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
    delete:
      summary: Delete a cluster; its certificates are revoked and its agent can no longer connect.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses:
        "200": {description: Deleted; the revoked serials., content: {application/json: {schema: {type: object, properties: {revokedSerials: {type: array, items: {type: string}}}}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/clusters/{name}/labels:
    put:
      summary: Replace a cluster's labels.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, additionalProperties: false, required: [labels], properties: {labels: {$ref: '#/components/schemas/Labels'}}}}}
      responses:
        "200": {description: Updated., content: {application/json: {schema: {$ref: '#/components/schemas/ClusterSummary'}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "413": {$ref: '#/components/responses/Error'}
        "415": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/clusters/{name}/policy:
    get:
      summary: The cluster's desired registry and pruner policy.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses:
        "200": {description: The policy, content: {application/json: {schema: {$ref: '#/components/schemas/PolicyDocument'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
    put:
      summary: Replace the cluster's policy; the generation increments when the content changes.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/PolicyUpdateRequest'}}}}
      responses:
        "200": {description: The stored policy, content: {application/json: {schema: {$ref: '#/components/schemas/PolicyDocument'}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "413": {$ref: '#/components/responses/Error'}
        "415": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/clusters/{name}/policy/effective:
    get:
      summary: The cluster's policy field by field with the source of each (its own policy or a fleet policy), and the fleet policy changes still to reach it, with why they wait.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses:
        "200": {description: The effective policy, content: {application/json: {schema: {$ref: '#/components/schemas/JSONObject'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/fleet-policies:
    get:
      summary: Every fleet policy with its status (clusters matched, clusters still to change, its last rollout).
      responses:
        "200": {description: The fleet policies, content: {application/json: {schema: {type: object, required: [fleetPolicies], properties: {fleetPolicies: {type: array, items: {$ref: '#/components/schemas/StoredFleetPolicy'}}}}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/fleet-policies/{name}:
    get:
      summary: One fleet policy with its status.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses:
        "200": {description: The fleet policy, content: {application/json: {schema: {$ref: '#/components/schemas/StoredFleetPolicy'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
    put:
      summary: Create or replace a fleet policy (with dryRun, preview which clusters change and how). Clusters change later, through the rollout engine with the policy's strategy and in their maintenance windows; a cluster that enrolls gets it at once.
      parameters: [{$ref: '#/components/parameters/ClusterName'}, {name: dryRun, in: query, schema: {type: boolean}}]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/FleetPolicySpec'}}}}
      responses:
        "200": {description: The stored fleet policy (unchanged or replaced), or the dry run's preview., content: {application/json: {schema: {$ref: '#/components/schemas/JSONObject'}}}}
        "201": {description: Created, content: {application/json: {schema: {$ref: '#/components/schemas/StoredFleetPolicy'}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "413": {$ref: '#/components/responses/Error'}
        "415": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
    delete:
      summary: Delete a fleet policy; the fields it gave pass to the fleet policies that still select each cluster, others stay at their value.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses:
        "200": {description: The deleted fleet policy, content: {application/json: {schema: {$ref: '#/components/schemas/StoredFleetPolicy'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/freezes:
    get:
      summary: Every change freeze.
      responses:
        "200": {description: The freezes, content: {application/json: {schema: {type: object, required: [freezes], properties: {freezes: {type: array, items: {$ref: '#/components/schemas/ChangeFreeze'}}}}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/freezes/{name}:
    put:
      summary: Set or replace a change freeze - no rollout starts changing the clusters it selects until it is deleted or its until time passes.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/FreezeRequest'}}}}
      responses:
        "200": {description: The freeze, content: {application/json: {schema: {$ref: '#/components/schemas/ChangeFreeze'}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "413": {$ref: '#/components/responses/Error'}
        "415": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
    delete:
      summary: Lift a change freeze.
      parameters: [{$ref: '#/components/parameters/ClusterName'}]
      responses:
        "200": {description: The lifted freeze, content: {application/json: {schema: {$ref: '#/components/schemas/ChangeFreeze'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/certificates/revoke:
    post:
      summary: Revoke a certificate by serial (an admin's, issued offline); refused from the next request on, on every replica. Not the caller's own (409).
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/CertificateRevocationRequest'}}}}
      responses:
        "200": {description: Revoked (newlyRevoked false when it already was)., content: {application/json: {schema: {type: object, required: [serial, newlyRevoked], properties: {serial: {type: string}, newlyRevoked: {type: boolean}}}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "413": {$ref: '#/components/responses/Error'}
        "415": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/health:
    get:
      summary: Fleet summary - counts per state overall and per label group, unhealthy clusters with reasons.
      parameters: [{$ref: '#/components/parameters/Selector'}]
      responses:
        "200": {description: The report., content: {application/json: {schema: {$ref: '#/components/schemas/JSONObject'}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/prune-results:
    get:
      summary: Pruning runs and fleet totals (totals saturate at the largest 64-bit integer).
      parameters:
        - {name: cluster, in: query, schema: {$ref: '#/components/schemas/ClusterNameValue'}}
        - {name: since, in: query, schema: {$ref: '#/components/schemas/Time'}}
        - {name: limit, in: query, description: The newest this many runs (default 100)., schema: {type: integer, minimum: 1, maximum: 1000}}
      responses:
        "200": {description: Runs and totals., content: {application/json: {schema: {type: object, required: [results, totals], properties: {results: {type: array}, totals: {type: object}}}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/audit:
    get:
      summary: Who changed what, when (newest first).
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 1000}}
        - {name: since, in: query, schema: {$ref: '#/components/schemas/Time'}}
        - {name: actor, in: query, description: 'admin/NAME, cluster/NAME (404 for a cluster the hub never had), rollout/ID, fleet-policy/NAME or system.', schema: {type: string, pattern: '^((admin|cluster|rollout|fleet-policy)/[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?|system|fleet-policy)$'}}
      responses:
        "200": {description: Audit entries., content: {application/json: {schema: {type: object, required: [entries], properties: {entries: {type: array}}}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/rollouts:
    post:
      summary: Start a staged, health-gated rollout (or, with dryRun, preview each cluster's diff and the waves).
      description: A plan whose selector (or canary) matches no cluster, or that takes a cluster already in an active rollout, conflicts with the fleet as it is (409). The request plans and stores the rollout from one read of the fleet and writes no policy; the answer has every cluster pending, and the rollout engine starts the first wave right after.
      parameters: [{name: dryRun, in: query, schema: {type: boolean}}]
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/RolloutPlan'}}}}
      responses:
        "201": {description: Created, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}
        "200": {description: Dry-run preview., content: {application/json: {schema: {$ref: '#/components/schemas/JSONObject'}}}}
        "400": {$ref: '#/components/responses/Error'}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "413": {$ref: '#/components/responses/Error'}
        "415": {$ref: '#/components/responses/Error'}
        "422": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
    get:
      summary: Rollouts, newest first.
      responses:
        "200": {description: The rollouts., content: {application/json: {schema: {type: object, required: [rollouts], properties: {rollouts: {type: array, items: {$ref: '#/components/schemas/Rollout'}}}}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/rollouts/{id}:
    get:
      summary: One rollout with per-cluster progress.
      parameters: [{$ref: '#/components/parameters/RolloutID'}]
      responses:
        "200": {description: The rollout, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/rollouts/{id}/pause:
    post:
      summary: Pause - no new wave starts.
      parameters: [{$ref: '#/components/parameters/RolloutID'}]
      responses:
        "200": {description: The rollout, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/rollouts/{id}/resume:
    post:
      summary: Resume a paused rollout.
      parameters: [{$ref: '#/components/parameters/RolloutID'}]
      responses:
        "200": {description: The rollout, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/rollouts/{id}/abort:
    post:
      summary: Abort - stop; changes already made stay.
      parameters: [{$ref: '#/components/parameters/RolloutID'}]
      responses:
        "200": {description: The rollout, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
  /v1/rollouts/{id}/rollback:
    post:
      summary: Roll back - restore the previous policy on every cluster the rollout touched.
      parameters: [{$ref: '#/components/parameters/RolloutID'}]
      responses:
        "200": {description: The rollout, content: {application/json: {schema: {$ref: '#/components/schemas/Rollout'}}}}
        "401": {$ref: '#/components/responses/Error'}
        "403": {$ref: '#/components/responses/Error'}
        "404": {$ref: '#/components/responses/Error'}
        "409": {$ref: '#/components/responses/Error'}
        "503": {$ref: '#/components/responses/Error'}
"""#
}
