import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_ROOT, VALUES_FILES, renderChart, type K8sObject } from './helm';
import { SERVICES, chartEnvProblems, migrationEnvSchema, serviceEnvSchema, type EnvSchema } from './env-contract';

const valuesArgs = (file: string): string[] => (file === 'values.yaml' ? [] : [file]);

describe('the environment contract between the chart and the services (architecture rule 12)', () => {
  it.each(SERVICES)('reads the configuration schema %s boots with from its build', (service) => {
    const schema = serviceEnvSchema(service);
    expect([...schema.required]).toEqual(expect.arrayContaining(['PORT', 'NATS_URL']));
    expect(schema.required.has('DATABASE_URL')).toBe(service !== 'gateway');
    expect(schema.keys.has('EVENT_STREAM_REPLICAS')).toBe(true); // the gateway reads it too (audit stream, idempotency bucket)
  });

  it.each(VALUES_FILES)('holds for every Deployment and migration Job rendered with %s', (file) => {
    expect(chartEnvProblems(renderChart({ valuesFiles: valuesArgs(file) }))).toEqual([]);
  });

  it('holds with every optional setting the chart derives switched on', () => {
    const objects = renderChart({ set: ['otel.endpoint=http://otel-collector:4318', 'env.NATS_REQUEST_TIMEOUT_MS=8000'] });
    expect(chartEnvProblems(objects)).toEqual([]);
  });

  it('holds with the portal on: the gateway gets CORS_ORIGINS, and the portal (a static web server, not a service) is left out', () => {
    const objects = renderChart({ set: ['portal.enabled=true'] });
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'civil-civil-affairs-portal')).toBe(true);
    expect(chartEnvProblems(objects)).toEqual([]);
    // …but it may not be given environment variables either: nothing in it would read them.
    const withEnv = objects.map((o): K8sObject => {
      if (o.kind !== 'Deployment' || o.metadata.name !== 'civil-civil-affairs-portal') return o;
      const copy = JSON.parse(JSON.stringify(o)) as K8sObject & { spec: { template: { spec: { containers: { env?: unknown[] }[] } } } };
      const [container] = copy.spec.template.spec.containers;
      if (container) container.env = [{ name: 'GATEWAY_URL', value: 'https://api.example' }];
      return copy;
    });
    expect(chartEnvProblems(withEnv)).toEqual([
      'Deployment civil-civil-affairs-portal: portal is a static web server and reads no environment, yet the chart sets some',
    ]);
  });

  it('reports a variable the chart sets under a name no service reads (a misspelled env override)', () => {
    const objects = renderChart({ set: ['services.reporting.env.CONSUMER_MAX_DELIVERYS=3'] });
    expect(chartEnvProblems(objects)).toEqual([
      "Deployment civil-civil-affairs-reporting: the chart sets CONSUMER_MAX_DELIVERYS, which is not in the service's configuration schema",
    ]);
    const secret = renderChart({ set: ['services.gateway.secretEnv.OIDC_ISSUR.key=oidc-issuer'] });
    expect(chartEnvProblems(secret)).toEqual([
      "Deployment civil-civil-affairs-gateway: the chart sets OIDC_ISSUR, which is not in the service's configuration schema",
    ]);
  });

  it('reports a variable renamed on the service side, both as unknown and as required but missing', () => {
    const objects = renderChart();
    const renamed = (schema: EnvSchema): EnvSchema => ({
      keys: new Set([...schema.keys].map((k) => (k === 'NATS_URL' ? 'NATS_SERVERS' : k))),
      required: new Set([...schema.required].map((k) => (k === 'NATS_URL' ? 'NATS_SERVERS' : k))),
    });
    const problems = chartEnvProblems(objects, (service) => (service === 'place-names' ? renamed(serviceEnvSchema(service)) : serviceEnvSchema(service)));
    expect(problems).toEqual([
      "Deployment civil-civil-affairs-place-names: the chart sets NATS_URL, which is not in the service's configuration schema",
      'Deployment civil-civil-affairs-place-names: the service requires NATS_SERVERS, which the chart does not set',
    ]);
  });

  it('reports a required variable the chart does not set, or sets only from an optional Secret key', () => {
    const objects = renderChart({ set: ['services.elderly-care.secretEnv.DATABASE_URL.optional=true'] });
    const withoutPort = objects.map((o): K8sObject => {
      if (o.kind !== 'ConfigMap' || o.metadata.name !== 'civil-civil-affairs-gateway') return o;
      const data = { ...(o as unknown as { data: Record<string, string> }).data };
      delete data.PORT;
      return { ...o, data };
    });
    expect(chartEnvProblems(withoutPort).sort()).toEqual([
      'Deployment civil-civil-affairs-elderly-care: the service requires DATABASE_URL, which the chart does not set (only from an optional Secret key)',
      'Deployment civil-civil-affairs-gateway: the service requires PORT, which the chart does not set',
      'Job civil-civil-affairs-elderly-care-migrate: the service requires DATABASE_URL, which the chart does not set (only from an optional Secret key)',
    ]);
  });

  it('checks migration Jobs against what the migrate command reads', () => {
    expect([...migrationEnvSchema().required]).toEqual(['DATABASE_URL']);
  });

  it("calls, in its helm test, a gateway route that really is public", () => {
    const load = createRequire(__filename);
    const { ROUTES } = load(path.join(REPO_ROOT, 'services/gateway/dist/routes/route-table.js')) as { ROUTES: { method: string; path: string; access: string }[] };
    expect(ROUTES.find((r) => r.method === 'GET' && r.path === '/api/v1/place-names')).toMatchObject({ access: 'public' });
  });
});
