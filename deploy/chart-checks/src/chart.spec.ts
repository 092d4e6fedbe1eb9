import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR, REPO_ROOT, VALUES_FILES, helm, ofKind, renderChart, resolveHelm, tryRender, type K8sObject, type ValuesFile } from './helm';
import { validateObjects } from './kube-validate';
import { SERVICES, podSpecOf, resolveContainerEnv, type Container, type PodSpec } from './env-contract';

interface ServiceValues {
  enabled: boolean;
  database: boolean;
  hpa: { enabled: boolean; minReplicas: number; maxReplicas: number };
  pdb: { enabled: boolean };
  secretEnv: Record<string, { key: string; optional?: boolean }>;
}
interface Values {
  nodeEnv: string;
  containerPort: number;
  events: { streamReplicas: number };
  services: Record<string, ServiceValues>;
}

/** The values Helm would use: values.yaml, then the file (maps merged, other values replaced). */
function mergedValues(file: ValuesFile): Values {
  const merge = (base: unknown, over: unknown): unknown => {
    if (base && over && typeof base === 'object' && typeof over === 'object' && !Array.isArray(base) && !Array.isArray(over)) {
      const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
      for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = merge(out[k], v);
      return out;
    }
    return over === undefined ? base : over;
  };
  const defaults: unknown = parse(readFileSync(path.join(CHART_DIR, 'values.yaml'), 'utf8'));
  return (file === 'values.yaml' ? defaults : merge(defaults, parse(readFileSync(path.join(CHART_DIR, file), 'utf8')))) as Values;
}

const RELEASE_SELECTOR = { 'app.kubernetes.io/name': 'civil-affairs', 'app.kubernetes.io/instance': 'civil' };

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
}

function podLabels(object: K8sObject): Record<string, string> {
  if (object.kind === 'Pod') return object.metadata.labels ?? {};
  return (object.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
}

interface NetworkPolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  policyTypes: string[];
  ingress?: { from?: unknown[]; ports?: unknown[] }[] | null;
  egress?: { to?: Record<string, unknown>[]; ports?: { port: number | string; protocol?: string }[] }[] | null;
}

describe('helm', () => {
  it('is found ($HELM_BIN, .ci/bin/helm or PATH), and a missing one fails with an install hint', () => {
    expect(resolveHelm()).toBeTruthy();
    expect(() => resolveHelm({ HELM_BIN: '/nonexistent/helm', PATH: '' })).toThrow(/go install helm\.sh\/helm\/v3\/cmd\/helm@v3\.22\.0/);
  });
});

describe.each(VALUES_FILES)('the chart with %s', (file) => {
  const values = mergedValues(file);
  const objects = renderChart({ valuesFiles: file === 'values.yaml' ? [] : [file] });
  const enabled = SERVICES.filter((s) => values.services[s]?.enabled);
  const named = (kind: string, name: string): K8sObject | undefined => objects.find((o) => o.kind === kind && o.metadata.name === name);

  it('passes helm lint --strict', () => {
    const args = ['lint', '--strict', CHART_DIR, ...(file === 'values.yaml' ? [] : ['-f', path.join(CHART_DIR, file)])];
    const result = helm(args);
    expect(`${result.stdout}${result.stderr}`).toContain('0 chart(s) failed');
    expect(result.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
    expect(result.status).toBe(0);
  });

  it('renders only objects that are valid against the Kubernetes (and ServiceMonitor) schemas', () => {
    expect(objects.length).toBeGreaterThan(30);
    expect(validateObjects(objects)).toEqual([]);
    const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(SERVICES)('renders %s with its Deployment, Service, ServiceAccount and ConfigMap, secure and probed', (service) => {
    const name = `civil-civil-affairs-${service}`;
    const deployment = named('Deployment', name);
    expect(deployment).toBeDefined();
    if (!deployment) return;
    const spec = podSpecOf(deployment);
    const [container] = spec.containers as [Container];
    expect(spec.containers).toHaveLength(1);

    // The image interface: one image, `node services/<name>/dist/main.js` from /app.
    expect(container.args).toEqual(['node', `services/${service}/dist/main.js`]);
    // The image's entrypoint (tini) must stay PID 1: the chart passes args, never a command.
    expect(container.command).toBeUndefined();
    expect(existsSync(path.join(REPO_ROOT, 'services', service, 'src', 'main.ts'))).toBe(true);

    // No Kubernetes API token anywhere.
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe(name);
    expect(named('ServiceAccount', name)).toMatchObject({ automountServiceAccountToken: false });

    // Non-root, read-only, nothing extra; /tmp is the one writable place.
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 10001,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: expect.any(Object) }]);
    expect(container.resources?.requests).toEqual({ cpu: expect.anything(), memory: expect.anything() });
    expect(container.resources?.limits).toEqual({ cpu: expect.anything(), memory: expect.anything() });

    // Probes on the real health paths, on the port the service listens on.
    const env = resolveContainerEnv(container, objects);
    expect(env.problems).toEqual([]);
    const http = container.ports?.find((p) => p.name === 'http');
    expect(http?.containerPort).toBe(values.containerPort);
    expect(env.env.PORT).toBe(String(values.containerPort));
    expect(env.env.HOST).toBe('0.0.0.0');
    expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });

    // Values that must reach the services.
    expect(env.env.NODE_ENV).toBe(values.nodeEnv);
    expect(env.env.EVENT_STREAM_REPLICAS).toBe(String(values.events.streamReplicas));

    // The Service selects exactly this Deployment's pods.
    const svc = named('Service', name) as (K8sObject & { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }) | undefined;
    expect(svc?.spec.ports[0]?.targetPort).toBe('http');
    expect(matches(svc?.spec.selector, podLabels(deployment))).toBe(true);
    for (const other of ofKind(objects, 'Deployment').filter((d) => d !== deployment)) expect(matches(svc?.spec.selector, podLabels(other))).toBe(false);

    // Spread, scaled, protected.
    expect((spec.topologySpreadConstraints ?? []).length > 0).toBe(file !== 'values-minimal.yaml');
    const sv = values.services[service] as ServiceValues;
    expect(named('HorizontalPodAutoscaler', name) !== undefined).toBe(sv.hpa.enabled);
    expect('replicas' in (deployment.spec as object)).toBe(!sv.hpa.enabled);
    expect(named('PodDisruptionBudget', name) !== undefined).toBe(sv.pdb.enabled);
  });

  it('denies all traffic of the release by default, and allows each pod only its own needs', () => {
    const policies = ofKind<{ spec: NetworkPolicySpec }>(objects, 'NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name === 'civil-civil-affairs-default-deny');
    expect(deny?.spec).toEqual({ podSelector: { matchLabels: RELEASE_SELECTOR }, policyTypes: ['Ingress', 'Egress'] });

    const workloads = objects.filter((o) => ['Deployment', 'Job', 'Pod'].includes(o.kind));
    expect(workloads.length).toBeGreaterThan(0);
    for (const workload of workloads) {
      const labels = podLabels(workload);
      expect(matches(deny?.spec.podSelector.matchLabels, labels)).toBe(true);
      const own = policies.filter((p) => p !== deny && matches(p.spec.podSelector.matchLabels, labels));
      expect(own.map((p) => p.metadata.name)).toHaveLength(1);
      const policy = own[0] as (typeof own)[number];
      // DNS (kube-dns, port 53 over UDP and TCP) for everyone.
      const dns = (policy.spec.egress ?? []).find((rule) => (rule.ports ?? []).some((p) => p.port === 53));
      expect(dns?.ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
      expect(JSON.stringify(dns?.to)).toContain('kube-dns');
      // Never an egress rule without a destination (that would allow everything).
      for (const rule of policy.spec.egress ?? []) expect((rule.to ?? []).length).toBeGreaterThan(0);
    }

    for (const service of enabled) {
      const policy = policies.find((p) => p.metadata.name === `civil-civil-affairs-${service}`);
      const egressPorts = (policy?.spec.egress ?? []).flatMap((r) => (r.ports ?? []).map((p) => p.port));
      expect(egressPorts).toContain(4222);
      expect(egressPorts.includes(5432)).toBe(values.services[service]?.database);
      expect(egressPorts).not.toContain(values.containerPort); // services talk over NATS only
      const ingress = policy?.spec.ingress ?? [];
      if (service === 'gateway') {
        expect(JSON.stringify(ingress[0]?.from)).toContain('ingress-nginx');
        expect(JSON.stringify(ingress[0]?.from)).toContain('"app.kubernetes.io/component":"test"');
      } else {
        // Backends are reached over NATS: only Prometheus, when configured, reaches their HTTP port.
        for (const rule of ingress) expect(JSON.stringify(rule.from)).not.toContain('ingress-nginx');
      }
    }
  });

  it('migrates each service that has a database, before install and upgrade, as a hook Job', () => {
    const jobs = ofKind(objects, 'Job');
    const withDatabase = enabled.filter((s) => values.services[s]?.database);
    // "all but the gateway" — and exactly the services that have a migrate command.
    expect(withDatabase).toEqual(enabled.filter((s) => existsSync(path.join(REPO_ROOT, 'services', s, 'src', 'migrate.ts'))));
    expect(withDatabase).not.toContain('gateway');
    expect(jobs.map((j) => j.metadata.labels?.['civil-affairs/service']).sort()).toEqual([...withDatabase].sort());
    for (const job of jobs) {
      const service = job.metadata.labels?.['civil-affairs/service'] ?? '';
      expect(job.metadata.annotations).toMatchObject({
        'helm.sh/hook': 'pre-install,pre-upgrade',
        'helm.sh/hook-weight': '-5',
        'helm.sh/hook-delete-policy': 'before-hook-creation',
      });
      const spec = podSpecOf(job);
      const [container] = spec.containers as [Container];
      expect(container.args).toEqual(['node', `services/${service}/dist/migrate.js`]);
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      const env = resolveContainerEnv(container, objects);
      expect(Object.keys(env.env)).toEqual(expect.arrayContaining(['DATABASE_URL', 'PERSONAL_DATA_KEY', 'NODE_ENV']));
    }
  });

  it('has a helm test pod that calls the gateway Service: readiness and a public route', () => {
    const pod = objects.find((o) => o.kind === 'Pod' && o.metadata.annotations?.['helm.sh/hook'] === 'test');
    expect(pod).toBeDefined();
    if (!pod) return;
    const spec = podSpecOf(pod);
    const [container] = spec.containers as [Container];
    const env = resolveContainerEnv(container, objects).env;
    expect(env.GATEWAY_URL).toBe('http://civil-civil-affairs-gateway:80');
    const script = (container.args ?? []).join(' ');
    expect(script).toContain("'/health/ready'");
    expect(script).toContain("'/api/v1/place-names?limit=5&q='");
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true });
  });

  it('configures the ingress, autoscaling and stream replicas of the file', () => {
    if (file !== 'values-production.yaml') return;
    expect(values.nodeEnv).toBe('production');
    expect(values.events.streamReplicas).toBe(3);
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toHaveLength(6);
    expect(ofKind(objects, 'ServiceMonitor')).toHaveLength(6);
    const ingress = ofKind<{ spec: { rules: { host: string; http: { paths: { backend: { service: { name: string } } }[] } }[] } }>(objects, 'Ingress')[0];
    expect(ingress?.spec.rules[0]?.http.paths[0]?.backend.service.name).toBe('civil-civil-affairs-gateway');
    // Production refuses to start without these, so they may not be optional there.
    const gateway = values.services.gateway as ServiceValues;
    expect(gateway.secretEnv.OIDC_ISSUER?.optional).toBe(false);
    expect(gateway.secretEnv.OIDC_AUDIENCE?.optional).toBe(false);
    for (const service of SERVICES.filter((s) => values.services[s]?.database)) expect(values.services[service]?.secretEnv.PERSONAL_DATA_KEY?.optional ?? false).toBe(false);
  });
});

describe('optional features', () => {
  const digest = `sha256:${'ab'.repeat(32)}`;
  const objects = renderChart({
    set: [
      'ingress.enabled=true',
      'ingress.tls.enabled=true',
      'portal.enabled=true',
      'metrics.serviceMonitor.enabled=true',
      'otel.endpoint=http://otel-collector.observability:4318',
      'networkPolicy.otelCollector[0].namespaceSelector.matchLabels.name=observability',
      'networkPolicy.oidcIssuerCidrs={203.0.113.0/24}',
      'networkPolicy.metricsScrapers[0].namespaceSelector.matchLabels.name=monitoring',
      'services.elderly-care.extraEgress[0].to[0].ipBlock.cidr=198.51.100.0/24',
      'services.elderly-care.extraEgress[0].ports[0].port=443',
      `image.digest=${digest}`,
      'imagePullSecrets[0].name=regcred',
      'nodeSelector.pool=civil',
      'tolerations[0].key=dedicated',
      'tolerations[0].operator=Equal',
      'tolerations[0].value=civil',
      'tolerations[0].effect=NoSchedule',
      'services.social-affairs.enabled=false',
    ],
  });
  const policy = (service: string): NetworkPolicySpec => (objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === `civil-civil-affairs-${service}`) as { spec: NetworkPolicySpec } | undefined)?.spec as NetworkPolicySpec;

  it('render valid objects', () => {
    expect(validateObjects(objects)).toEqual([]);
  });
  it('route the API and the portal host through one Ingress', () => {
    const [ingress] = ofKind<{ spec: { rules: { host: string }[]; tls: { hosts: string[] }[] } }>(objects, 'Ingress');
    expect(ingress?.spec.rules.map((r) => r.host)).toEqual(['api.civil.example.gov.cn', 'portal.civil.example.gov.cn']);
    expect(ingress?.spec.tls[0]?.hosts).toEqual(['api.civil.example.gov.cn', 'portal.civil.example.gov.cn']);
  });
  it('open egress to the collector for all, to the OIDC issuer for the gateway, and extra egress per service', () => {
    for (const service of ['gateway', 'reporting']) expect((policy(service).egress ?? []).flatMap((r) => (r.ports ?? []).map((p) => p.port))).toContain(4318);
    expect(JSON.stringify(policy('gateway').egress)).toContain('203.0.113.0/24');
    expect(JSON.stringify(policy('reporting').egress)).not.toContain('203.0.113.0/24');
    expect(JSON.stringify(policy('elderly-care').egress)).toContain('198.51.100.0/24');
    expect(JSON.stringify(policy('place-names').egress)).not.toContain('198.51.100.0/24');
    expect(JSON.stringify(policy('reporting').ingress)).toContain('monitoring');
  });
  it('pin the image by digest, and leave out a disabled service entirely', () => {
    // The platform image only: the portal has its own image (portal.image).
    const images = ofKind(objects, 'Deployment')
      .filter((d) => d.metadata.name !== 'civil-civil-affairs-portal')
      .map((d) => podSpecOf(d).containers[0]?.image);
    expect(new Set(images)).toEqual(new Set([`ghcr.io/civil-affairs/platform@${digest}`]));
    expect(objects.filter((o) => o.metadata.name.includes('social-affairs'))).toEqual([]);
  });
  it('render no NetworkPolicy when they are switched off', () => {
    expect(ofKind(renderChart({ set: ['networkPolicy.enabled=false'] }), 'NetworkPolicy')).toEqual([]);
  });
});

describe('the portal (web front end)', () => {
  const PORTAL = 'civil-civil-affairs-portal';
  const PORTAL_KINDS = ['Deployment', 'Service', 'ServiceAccount', 'ConfigMap', 'NetworkPolicy', 'PodDisruptionBudget'];
  const render = (set: string[] = [], valuesFiles: string[] = []): K8sObject[] => renderChart({ set: ['portal.enabled=true', 'ingress.enabled=true', ...set], valuesFiles });
  const named = (objects: readonly K8sObject[], kind: string, name = PORTAL): K8sObject | undefined => objects.find((o) => o.kind === kind && o.metadata.name === name);
  const portalData = (objects: readonly K8sObject[]): Record<string, string> => (named(objects, 'ConfigMap') as { data?: Record<string, string> } | undefined)?.data ?? {};
  const configJson = (objects: readonly K8sObject[]): Record<string, unknown> => JSON.parse(portalData(objects)['config.json'] ?? 'null') as Record<string, unknown>;
  const connectSrc = (objects: readonly K8sObject[]): string[] => /connect-src ([^;]*);/.exec(portalData(objects)['csp.conf'] ?? '')?.[1]?.split(' ') ?? [];
  const gatewayEnv = (objects: readonly K8sObject[]): Record<string, string> => {
    const deployment = named(objects, 'Deployment', 'civil-civil-affairs-gateway');
    if (!deployment) throw new Error('no gateway Deployment');
    return resolveContainerEnv(podSpecOf(deployment).containers[0] as Container, objects).env;
  };
  const objects = render();

  it('renders a Deployment, Service, ServiceAccount, ConfigMap and NetworkPolicy, all valid', () => {
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'ConfigMap', 'NetworkPolicy']) expect(named(objects, kind)).toBeDefined();
    expect(validateObjects(objects)).toEqual([]);
    // One replica: no disruption budget (it could never be satisfied).
    expect(named(objects, 'PodDisruptionBudget')).toBeUndefined();
  });

  it('runs the portal image as nginx-unprivileged (uid 101), hardened, read-only, without a token, probed on /healthz', () => {
    const deployment = named(objects, 'Deployment');
    if (!deployment) throw new Error('no portal Deployment');
    const spec = podSpecOf(deployment) as PodSpec & { volumes: { name: string; emptyDir?: unknown; configMap?: { name: string } }[] };
    const [container] = spec.containers as [Container & { volumeMounts: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[] }];
    expect(spec.containers).toHaveLength(1);
    expect(container.image).toBe('ghcr.io/civil-affairs/portal:0.1.0');
    // nginx's own entrypoint and command; no environment at all (config.json is a file).
    expect(container.command).toBeUndefined();
    expect(container.args).toBeUndefined();
    expect(container.env).toBeUndefined();
    expect(container.envFrom).toBeUndefined();

    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBe(PORTAL);
    expect(named(objects, 'ServiceAccount')).toMatchObject({ automountServiceAccountToken: false });
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, fsGroup: 101, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 101,
      runAsGroup: 101,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.resources?.requests).toEqual({ cpu: expect.anything(), memory: expect.anything() });
    expect(container.resources?.limits).toEqual({ cpu: expect.anything(), memory: expect.anything() });

    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });

    // /tmp is the one writable place (pid file, nginx's temp paths); config.json and the CSP come from the ConfigMap.
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'config', mountPath: '/usr/share/nginx/html/config.json', subPath: 'config.json', readOnly: true },
      { name: 'config', mountPath: '/etc/nginx/portal/csp.conf', subPath: 'csp.conf', readOnly: true },
    ]);
    expect(spec.volumes).toEqual([
      { name: 'tmp', emptyDir: expect.any(Object) },
      { name: 'config', configMap: { name: PORTAL } },
    ]);
    // subPath mounts do not follow ConfigMap changes: the pods roll instead.
    expect((deployment.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['checksum/config']).toMatch(/^[0-9a-f]{64}$/);
    expect((spec.topologySpreadConstraints ?? []).length).toBeGreaterThan(0);
  });

  it('serves it through Service <fullname>-portal, port 80 to the container port, selecting only the portal', () => {
    const svc = named(objects, 'Service') as (K8sObject & { spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] } }) | undefined;
    expect(svc?.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    const deployments = ofKind(objects, 'Deployment');
    expect(deployments.filter((d) => matches(svc?.spec.selector, podLabels(d))).map((d) => d.metadata.name)).toEqual([PORTAL]);
    const [ingress] = ofKind<{ spec: { rules: { host: string; http: { paths: { backend: { service: { name: string; port: { name: string } } } }[] } }[] } }>(objects, 'Ingress');
    const rule = ingress?.spec.rules.find((r) => r.host === 'portal.civil.example.gov.cn');
    expect(rule?.http.paths[0]?.backend.service).toEqual({ name: PORTAL, port: { name: 'http' } });
  });

  it("writes config.json with the gateway's URL (default https://<ingress.host>), and a CSP that lets the page reach exactly that origin", () => {
    expect(configJson(objects)).toEqual({ gatewayUrl: 'https://api.civil.example.gov.cn', devSignIn: true });
    expect(connectSrc(objects)).toEqual(["'self'", 'https://api.civil.example.gov.cn']);
    expect(portalData(objects)['csp.conf']).toMatch(/^add_header Content-Security-Policy "default-src 'self';[^"]*frame-ancestors 'none'" always;\n$/);

    const custom = render([
      'portal.gatewayUrl=https://gateway.example.org:8443/',
      'portal.oidc.issuer=https://sso.example.org/realms/civil',
      'portal.oidc.clientId=portal',
      'portal.connectSrc={https://tiles.example.org}',
      'nodeEnv=production',
    ]);
    expect(configJson(custom)).toEqual({
      gatewayUrl: 'https://gateway.example.org:8443',
      devSignIn: false, // production: the gateway refuses development tokens
      oidc: { issuer: 'https://sso.example.org/realms/civil', clientId: 'portal', scope: 'openid profile' },
    });
    expect(connectSrc(custom)).toEqual(["'self'", 'https://gateway.example.org:8443', 'https://sso.example.org', 'https://tiles.example.org']);
  });

  it("adds the portal's origin to the gateway's CORS_ORIGINS, unless CORS_ORIGINS is set explicitly", () => {
    expect(gatewayEnv(objects).CORS_ORIGINS).toBe('https://portal.civil.example.gov.cn');
    expect(gatewayEnv(render(['portal.host=web.example.org'])).CORS_ORIGINS).toBe('https://web.example.org');
    expect(gatewayEnv(render(['services.gateway.env.CORS_ORIGINS=https://a.example\\,https://b.example'])).CORS_ORIGINS).toBe('https://a.example,https://b.example');
    expect(gatewayEnv(render(['env.CORS_ORIGINS=https://c.example'])).CORS_ORIGINS).toBe('https://c.example');
  });

  it('lets only the ingress controller reach it, on its http port, and it reaches nothing but DNS', () => {
    const policy = named(objects, 'NetworkPolicy') as { spec: NetworkPolicySpec } | undefined;
    expect(policy?.spec.podSelector.matchLabels).toEqual({ ...RELEASE_SELECTOR, 'app.kubernetes.io/component': 'portal' });
    expect(policy?.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy?.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }],
        ports: [{ port: 'http', protocol: 'TCP' }],
      },
    ]);
    expect(policy?.spec.egress).toHaveLength(1);
    expect(policy?.spec.egress?.[0]?.ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
    expect(JSON.stringify(policy?.spec.egress?.[0]?.to)).toContain('kube-dns');
    // And no service lets the portal in: it never talks to a pod of the release.
    for (const other of ofKind<{ spec: NetworkPolicySpec }>(objects, 'NetworkPolicy').filter((p) => p.metadata.name !== PORTAL)) {
      expect(JSON.stringify(other.spec.ingress ?? [])).not.toContain('"app.kubernetes.io/component":"portal"');
    }
  });

  it('pins its own image by digest, and adds a PodDisruptionBudget with more than one replica', () => {
    const digest = `sha256:${'cd'.repeat(32)}`;
    const pinned = render([`portal.image.digest=${digest}`, 'portal.replicas=3']);
    const deployment = named(pinned, 'Deployment');
    expect(deployment && podSpecOf(deployment).containers[0]?.image).toBe(`ghcr.io/civil-affairs/portal@${digest}`);
    expect((deployment?.spec as { replicas: number }).replicas).toBe(3);
    expect(named(pinned, 'PodDisruptionBudget')).toMatchObject({ spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/component': 'portal' } } } });
    expect(validateObjects(pinned)).toEqual([]);
  });

  it('is on in values-production.yaml with 2 replicas and its disruption budget', () => {
    const production = renderChart({ valuesFiles: ['values-production.yaml'] });
    expect((named(production, 'Deployment')?.spec as { replicas: number } | undefined)?.replicas).toBe(2);
    expect(named(production, 'PodDisruptionBudget')).toBeDefined();
    expect(gatewayEnv(production).CORS_ORIGINS).toBe('https://portal.civil.example.gov.cn');
    expect(configJson(production)).toMatchObject({ gatewayUrl: 'https://api.civil.example.gov.cn', devSignIn: false, oidc: { issuer: expect.any(String), clientId: expect.any(String) } });
  });

  it.each(['values.yaml', 'values-minimal.yaml'])('renders nothing of the portal when it is off (%s)', (file) => {
    const off = renderChart({ valuesFiles: file === 'values.yaml' ? [] : [file], set: ['ingress.enabled=true'] });
    expect(off.filter((o) => PORTAL_KINDS.includes(o.kind) && o.metadata.name === PORTAL)).toEqual([]);
    expect(off.filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'portal')).toEqual([]);
    expect(gatewayEnv(off).CORS_ORIGINS).toBeUndefined();
    const [ingress] = ofKind<{ spec: { rules: { host: string }[] } }>(off, 'Ingress');
    expect(ingress?.spec.rules.map((r) => r.host)).toEqual(['api.civil.example.gov.cn']);
  });
});

describe('invalid values', () => {
  const refused = (set: string[], message: RegExp): void => {
    const result = tryRender({ set });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(message);
  };

  it('refuses a negative replica count, naming the key', () => {
    refused(['services.gateway.replicas=-1'], /at '\/services\/gateway\/replicas': minimum: got -1, want 0/);
  });
  it('refuses an unknown key at any level, naming it', () => {
    refused(['services.gateway.replica=2'], /at '\/services\/gateway': additional properties 'replica' not allowed/);
    refused(['ingres.enabled=true'], /additional properties 'ingres' not allowed/);
    refused(['services.reporting.hpa.targetCPU=50'], /at '\/services\/reporting\/hpa': additional properties 'targetCPU' not allowed/);
    refused(['services.portal.enabled=true'], /at '\/services': additional properties 'portal' not allowed/);
    refused(['portal.replica=2'], /at '\/portal': additional properties 'replica' not allowed/);
  });
  it('refuses a value outside its enumeration, naming the key', () => {
    refused(['nodeEnv=prod'], /at '\/nodeEnv': value must be one of 'development', 'test', 'production'/);
    refused(['logLevel=verbose'], /at '\/logLevel': value must be one of/);
    refused(['image.pullPolicy=Sometimes'], /at '\/image\/pullPolicy': value must be one of/);
  });
  it('refuses wrong types and bounds', () => {
    refused(['services.gateway.hpa.minReplicas=0'], /at '\/services\/gateway\/hpa\/minReplicas': minimum: got 0, want 1/);
    refused(['events.streamReplicas=7'], /at '\/events\/streamReplicas': maximum: got 7, want 5/);
    refused(['containerPort=80'], /at '\/containerPort': minimum: got 80, want 1,?024/);
    refused(['services.gateway.enabled=maybe'], /at '\/services\/gateway\/enabled': got string, want boolean/);
    refused(['portal.connectSrc={https://x.example"; script-src *}'], /at '\/portal\/connectSrc\/0': .* does not match pattern/);
    refused(['portal.gatewayUrl=api.example'], /at '\/portal\/gatewayUrl': .* does not match pattern/);
    refused(['services.reporting.env.consumer_max=3'], /at '\/services\/reporting\/env': additional properties 'consumer_max' not allowed/);
  });
  it('refuses what the schema cannot express, with the template naming the key', () => {
    refused(['services.gateway.hpa.enabled=true', 'services.gateway.hpa.minReplicas=9'], /services\.gateway\.hpa: minReplicas \(9\) is greater than maxReplicas \(6\)/);
    refused(['services.reporting.secretEnv.DATABASE_URL=null'], /services\.reporting: a service with a database needs DATABASE_URL in secretEnv/);
    refused(['portal.enabled=true', 'portal.oidc.issuer=https://sso.example.org/realms/civil'], /portal\.oidc: clientId is required when issuer is set/);
  });
  it('accepts replicas 0 (a service switched off without removing it)', () => {
    expect(tryRender({ set: ['services.reporting.replicas=0'] }).status).toBe(0);
  });
});
