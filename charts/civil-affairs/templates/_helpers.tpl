{{/*
One set of templates for every service: each named template below takes a context built by
"civil.ctx" (the root context, the service's name and its values) and is rendered once per
enabled service by the `range` loops in services.yaml, migrations.yaml and networkpolicies.yaml.
*/}}

{{- define "civil.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "civil.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "civil.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object of the release carries. */}}
{{- define "civil.commonLabels" -}}
helm.sh/chart: {{ include "civil.chart" . }}
app.kubernetes.io/name: {{ include "civil.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: civil-affairs
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Selects every pod of the release (the default-deny NetworkPolicy uses it). */}}
{{- define "civil.releaseSelector" -}}
app.kubernetes.io/name: {{ include "civil.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The templates named civil.svc.* take a service's context: dict "root" $ "name" <service> "svc" <its values>. */}}

{{- define "civil.svc.fullname" -}}
{{- printf "%s-%s" (include "civil.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "civil.svc.selectorLabels" -}}
{{ include "civil.releaseSelector" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "civil.svc.labels" -}}
{{ include "civil.commonLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "civil.svc.image" -}}
{{- $img := .root.Values.image }}
{{- $repository := default $img.repository .svc.image.repository }}
{{- if and $img.digest (not .svc.image.tag) }}
{{- printf "%s@%s" $repository $img.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default (default .root.Chart.AppVersion $img.tag) .svc.image.tag) }}
{{- end }}
{{- end }}

{{- define "civil.svc.secretName" -}}
{{- default .root.Values.existingSecret .svc.existingSecret }}
{{- end }}

{{/*
The non-secret environment of a service, as a YAML map (sorted): what the chart derives from
its values (for the gateway with the portal enabled, CORS_ORIGINS = the portal's origin), then
the release-wide `env`, then the service's own `env` (later wins).
*/}}
{{- define "civil.svc.env" -}}
{{- $v := .root.Values }}
{{- $env := dict
  "NODE_ENV" $v.nodeEnv
  "HOST" "0.0.0.0"
  "PORT" (toString $v.containerPort)
  "LOG_LEVEL" $v.logLevel
  "NATS_URL" $v.nats.url
  "EVENT_STREAM_REPLICAS" (toString $v.events.streamReplicas)
}}
{{- if $v.otel.endpoint }}
{{- $_ := set $env "OTEL_EXPORTER_OTLP_ENDPOINT" $v.otel.endpoint }}
{{- $_ := set $env "OTEL_SERVICE_NAME" .name }}
{{- end }}
{{- /* The portal calls the gateway from the browser: allow its origin (an explicit CORS_ORIGINS below wins). */}}
{{- if and (eq .name "gateway") $v.portal.enabled }}
{{- $_ := set $env "CORS_ORIGINS" (include "civil.portal.origin" .root) }}
{{- end }}
{{- range $key, $value := $v.env }}
{{- $_ := set $env $key (toString $value) }}
{{- end }}
{{- range $key, $value := .svc.env }}
{{- $_ := set $env $key (toString $value) }}
{{- end }}
{{- range $key, $value := $env }}
{{ $key }}: {{ $value | quote }}
{{- end }}
{{- end }}

{{/* Variables read from the service's Secret. */}}
{{- define "civil.svc.secretEnv" -}}
{{- $secret := include "civil.svc.secretName" . }}
{{- range $variable, $ref := .svc.secretEnv }}
- name: {{ $variable }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $ref.key }}
      optional: {{ $ref.optional | default false }}
{{- end }}
{{- end }}

{{- define "civil.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
fsGroup: {{ .Values.podSecurityContext.fsGroup }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "civil.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.podSecurityContext.runAsUser }}
runAsGroup: {{ .Values.podSecurityContext.runAsGroup }}
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "civil.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpVolume.sizeLimit }}
{{- end }}

{{- define "civil.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "civil.scheduling" -}}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- define "civil.svc.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "civil.svc.fullname" . }}
  labels:
    {{- include "civil.svc.labels" . | nindent 4 }}
  {{- with .root.Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end }}

{{- define "civil.svc.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "civil.svc.fullname" . }}
  labels:
    {{- include "civil.svc.labels" . | nindent 4 }}
data:
  {{- include "civil.svc.env" . | trim | nindent 2 }}
{{- end }}

{{- define "civil.svc.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "civil.svc.fullname" . }}
  labels:
    {{- include "civil.svc.labels" . | nindent 4 }}
spec:
  type: {{ .root.Values.service.type }}
  selector:
    {{- include "civil.svc.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .root.Values.service.port }}
      targetPort: http
      protocol: TCP
{{- end }}

{{- define "civil.svc.deployment" -}}
{{- $v := .root.Values }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "civil.svc.fullname" . }}
  labels:
    {{- include "civil.svc.labels" . | nindent 4 }}
spec:
  {{- if not .svc.hpa.enabled }}
  replicas: {{ .svc.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 25%
  selector:
    matchLabels:
      {{- include "civil.svc.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "civil.svc.labels" . | nindent 8 }}
      annotations:
        checksum/config: {{ include "civil.svc.configMap" . | sha256sum }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "civil.svc.fullname" . }}
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
      {{- with $v.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "civil.podSecurityContext" .root | nindent 8 }}
      {{- with (include "civil.scheduling" .root | trim) }}
      {{- . | nindent 6 }}
      {{- end }}
      {{- if $v.topologySpread.enabled }}
      topologySpreadConstraints:
        {{- range $v.topologySpread.topologyKeys }}
        - maxSkew: {{ $v.topologySpread.maxSkew }}
          topologyKey: {{ . }}
          whenUnsatisfiable: {{ $v.topologySpread.whenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- include "civil.svc.selectorLabels" $ | nindent 14 }}
        {{- end }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "civil.svc.image" . }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          # args, not command: the image's entrypoint (tini) stays PID 1, forwards SIGTERM and reaps.
          args: ["node", "services/{{ .name }}/dist/main.js"]
          ports:
            - name: http
              containerPort: {{ $v.containerPort }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "civil.svc.fullname" . }}
          {{- with (include "civil.svc.secretEnv" . | trim) }}
          env:
            {{- . | nindent 12 }}
          {{- end }}
          startupProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: {{ $v.probes.startup.periodSeconds }}
            failureThreshold: {{ $v.probes.startup.failureThreshold }}
            timeoutSeconds: {{ $v.probes.startup.timeoutSeconds }}
          readinessProbe:
            httpGet:
              path: /health/ready
              port: http
            periodSeconds: {{ $v.probes.readiness.periodSeconds }}
            failureThreshold: {{ $v.probes.readiness.failureThreshold }}
            timeoutSeconds: {{ $v.probes.readiness.timeoutSeconds }}
          livenessProbe:
            httpGet:
              path: /health/live
              port: http
            periodSeconds: {{ $v.probes.liveness.periodSeconds }}
            failureThreshold: {{ $v.probes.liveness.failureThreshold }}
            timeoutSeconds: {{ $v.probes.liveness.timeoutSeconds }}
          resources:
            {{- toYaml .svc.resources | nindent 12 }}
          securityContext:
            {{- include "civil.containerSecurityContext" .root | nindent 12 }}
          volumeMounts:
            {{- include "civil.tmpMount" . | nindent 12 }}
      volumes:
        {{- include "civil.tmpVolume" .root | nindent 8 }}
{{- end }}

{{- define "civil.svc.hpa" -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "civil.svc.fullname" . }}
  labels:
    {{- include "civil.svc.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "civil.svc.fullname" . }}
  minReplicas: {{ .svc.hpa.minReplicas }}
  maxReplicas: {{ .svc.hpa.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .svc.hpa.targetCPUUtilizationPercentage }}
{{- end }}

{{- define "civil.svc.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "civil.svc.fullname" . }}
  labels:
    {{- include "civil.svc.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .svc.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "civil.svc.selectorLabels" . | nindent 6 }}
{{- end }}

{{- define "civil.svc.serviceMonitor" -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "civil.svc.fullname" . }}
  labels:
    {{- include "civil.svc.labels" . | nindent 4 }}
    {{- with .root.Values.metrics.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "civil.svc.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /metrics
      interval: {{ .root.Values.metrics.serviceMonitor.interval }}
      scrapeTimeout: {{ .root.Values.metrics.serviceMonitor.scrapeTimeout }}
{{- end }}

{{/* Egress to DNS (port 53, UDP and TCP). */}}
{{- define "civil.egress.dns" -}}
- to:
    {{- toYaml .Values.networkPolicy.dns | nindent 4 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end }}

{{- define "civil.egress.database" -}}
{{- if .Values.networkPolicy.database }}
- to:
    {{- toYaml .Values.networkPolicy.database | nindent 4 }}
  ports:
    - port: {{ .Values.networkPolicy.databasePort }}
      protocol: TCP
{{- end }}
{{- end }}

{{/* Who may reach a service: the gateway from the ingress controller and the helm test pod; every service from the metrics scrapers. */}}
{{- define "civil.svc.ingressRules" -}}
{{- $np := .root.Values.networkPolicy }}
{{- if eq .name "gateway" }}
- from:
    {{- with $np.ingressController }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    - podSelector:
        matchLabels:
          {{- include "civil.releaseSelector" .root | nindent 10 }}
          app.kubernetes.io/component: test
  ports:
    - port: http
      protocol: TCP
{{- end }}
{{- with $np.metricsScrapers }}
- from:
    {{- toYaml . | nindent 4 }}
  ports:
    - port: http
      protocol: TCP
{{- end }}
{{- end }}

{{/*
A service's NetworkPolicy. Services talk to each other over NATS only (architecture: the
gateway turns HTTP into NATS requests), so no pod of the release reaches another directly.
*/}}
{{- define "civil.svc.networkPolicy" -}}
{{- $np := .root.Values.networkPolicy }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "civil.svc.fullname" . }}
  labels:
    {{- include "civil.svc.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "civil.svc.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  {{- with (include "civil.svc.ingressRules" . | trim) }}
  ingress:
    {{- . | nindent 4 }}
  {{- else }}
  ingress: []
  {{- end }}
  egress:
    {{- include "civil.egress.dns" .root | nindent 4 }}
    {{- with $np.nats }}
    - to:
        {{- toYaml . | nindent 8 }}
      ports:
        - port: {{ $np.natsPort }}
          protocol: TCP
    {{- end }}
    {{- if .svc.database }}
    {{- with (include "civil.egress.database" .root | trim) }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- end }}
    {{- with $np.otelCollector }}
    - to:
        {{- toYaml . | nindent 8 }}
      ports:
        - port: {{ $np.otelCollectorPort }}
          protocol: TCP
    {{- end }}
    {{- if and (eq .name "gateway") $np.oidcIssuerCidrs }}
    - to:
        {{- range $np.oidcIssuerCidrs }}
        - ipBlock:
            cidr: {{ . }}
        {{- end }}
      ports:
        - port: {{ $np.oidcIssuerPort }}
          protocol: TCP
    {{- end }}
    {{- with .svc.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}

{{/* A database service's migration Job, run by Helm before the release's objects change. */}}
{{- define "civil.svc.migrationJob" -}}
{{- $v := .root.Values }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ printf "%s-migrate" (include "civil.svc.fullname" .) | trunc 63 | trimSuffix "-" }}
  labels:
    {{- include "civil.commonLabels" .root | nindent 4 }}
    app.kubernetes.io/component: migrate
    civil-affairs/service: {{ .name }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: {{ $v.migrations.hookWeight | quote }}
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  backoffLimit: {{ $v.migrations.backoffLimit }}
  activeDeadlineSeconds: {{ $v.migrations.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "civil.commonLabels" .root | nindent 8 }}
        app.kubernetes.io/component: migrate
        civil-affairs/service: {{ .name }}
    spec:
      restartPolicy: Never
      {{- /* Runs before the release's ServiceAccounts exist: the namespace's default one, without its token. */}}
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with $v.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "civil.podSecurityContext" .root | nindent 8 }}
      {{- with (include "civil.scheduling" .root | trim) }}
      {{- . | nindent 6 }}
      {{- end }}
      containers:
        - name: migrate
          image: {{ include "civil.svc.image" . }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          args: ["node", "services/{{ .name }}/dist/migrate.js"]
          env:
            - name: NODE_ENV
              value: {{ $v.nodeEnv | quote }}
            - name: LOG_LEVEL
              value: {{ $v.logLevel | quote }}
            {{- include "civil.svc.secretEnv" . | trim | nindent 12 }}
          resources:
            {{- toYaml $v.migrations.resources | nindent 12 }}
          securityContext:
            {{- include "civil.containerSecurityContext" .root | nindent 12 }}
          volumeMounts:
            {{- include "civil.tmpMount" . | nindent 12 }}
      volumes:
        {{- include "civil.tmpVolume" .root | nindent 8 }}
{{- end }}

{{/* The portal (templates/portal.yaml). The civil.portal.* templates taking $ctx get dict "root" $ "name" "portal" "svc" .Values.portal. */}}

{{- define "civil.portal.image" -}}
{{- $img := .Values.portal.image }}
{{- if $img.digest }}
{{- printf "%s@%s" $img.repository $img.digest }}
{{- else }}
{{- printf "%s:%s" $img.repository (default .Chart.AppVersion $img.tag) }}
{{- end }}
{{- end }}

{{/* The gateway's origin as the browser reaches it: portal.gatewayUrl, else https://<ingress.host>. */}}
{{- define "civil.portal.gatewayUrl" -}}
{{- default (printf "https://%s" .Values.ingress.host) .Values.portal.gatewayUrl | trimSuffix "/" }}
{{- end }}

{{/* scheme://host[:port] of a URL. */}}
{{- define "civil.origin" -}}
{{- $u := urlParse . }}
{{- printf "%s://%s" $u.scheme $u.host }}
{{- end }}

{{/* The origin the portal is served from, which the gateway's CORS_ORIGINS must allow. */}}
{{- define "civil.portal.origin" -}}
{{- printf "https://%s" .Values.portal.host }}
{{- end }}

{{- define "civil.portal.configMap" -}}
{{- $root := .root }}
{{- $p := $root.Values.portal }}
{{- $config := dict "gatewayUrl" (include "civil.portal.gatewayUrl" $root) "devSignIn" (ne $root.Values.nodeEnv "production") }}
{{- $connect := list "'self'" (include "civil.origin" (include "civil.portal.gatewayUrl" $root)) }}
{{- if $p.oidc.issuer }}
{{- $_ := set $config "oidc" (dict "issuer" $p.oidc.issuer "clientId" $p.oidc.clientId "scope" $p.oidc.scope) }}
{{- $connect = append $connect (include "civil.origin" $p.oidc.issuer) }}
{{- end }}
{{- $connect = concat $connect $p.connectSrc | uniq }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "civil.svc.fullname" . }}
  labels:
    {{- include "civil.svc.labels" . | nindent 4 }}
data:
  # Served at /config.json (services/portal/README.md, "Runtime configuration").
  config.json: |
    {{- toPrettyJson $config | nindent 4 }}
  # Replaces the image's /etc/nginx/portal/csp.conf: the page may connect to itself, the gateway
  # and the OpenID provider only. style-src 'unsafe-inline': ECharts sets inline styles.
  csp.conf: |
    add_header Content-Security-Policy "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src {{ join " " $connect }}; object-src 'none'; base-uri 'self'; frame-ancestors 'none'" always;
{{- end }}
